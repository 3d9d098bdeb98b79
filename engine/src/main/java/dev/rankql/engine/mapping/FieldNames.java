package dev.rankql.engine.mapping;

/** The Lucene field names of Elasticsearch's metadata fields as rankql indexes them. */
public final class FieldNames {

    /** The document id: indexed as one term and stored. */
    public static final String ID = "_id";

    /** The document as sent, stored as bytes. */
    public static final String SOURCE = "_source";

    /** One term per field path that has a value, for {@code exists}. */
    public static final String FIELD_NAMES = "_field_names";

    /** The Lucene field that holds every {@code rank_feature} field, the feature name being the field path. */
    public static final String FEATURE = "_feature";

    /** The document's version, as doc values. */
    public static final String VERSION = "_version";

    /** The document's sequence number, as doc values. */
    public static final String SEQ_NO = "_seq_no";

    private FieldNames() {}

    /** Whether {@code name} is a metadata field that documents may not contain. */
    public static boolean isMetadata(String name) {
        return switch (name) {
            case ID, SOURCE, FIELD_NAMES, VERSION, SEQ_NO, "_index", "_routing", "_ignored", "_doc_count",
                    "_primary_term", "_tier", "_data_stream_timestamp" -> true;
            default -> false;
        };
    }
}
