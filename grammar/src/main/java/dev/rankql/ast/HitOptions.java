package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What each hit carries beyond its id, score and source, as the search body's {@code version},
 * {@code seq_no_primary_term}, {@code track_scores}, {@code fields}, {@code docvalue_fields} and
 * {@code stored_fields} ask: the document's version, its sequence number and primary term, scores computed even when
 * sorting by a field, named field values read from the source or from doc values, and stored fields.
 *
 * <p>{@code storedFields} is empty when the body does not name any; {@link #NO_STORED_FIELDS} ({@code _none_}) alone
 * turns off every stored field, {@code _id} and {@code _source} included, as in Elasticsearch.
 */
public record HitOptions(
        boolean version,
        boolean seqNoPrimaryTerm,
        boolean trackScores,
        List<String> fields,
        List<FieldAndFormat> docvalueFields,
        Optional<List<String>> storedFields) {

    /** Elasticsearch's {@code stored_fields} value that disables stored fields altogether. */
    public static final String NO_STORED_FIELDS = "_none_";

    /** Nothing beyond Elasticsearch's defaults. */
    public static final HitOptions NONE = new HitOptions(false, false, false, List.of());

    public HitOptions {
        fields = List.copyOf(fields);
        fields.forEach(f -> Checks.notBlank(f, "fields"));
        docvalueFields = List.copyOf(docvalueFields);
        requireNonNull(storedFields, "storedFields");
        storedFields = storedFields.map(List::copyOf);
        storedFields.ifPresent(names -> {
            names.forEach(n -> Checks.notBlank(n, "stored_fields"));
            if (names.contains(NO_STORED_FIELDS) && names.size() > 1) {
                throw new IllegalArgumentException(COMBINED_NONE_MESSAGE);
            }
        });
    }

    /** Elasticsearch's message for {@code _none_} given beside other stored fields. */
    public static final String COMBINED_NONE_MESSAGE = "cannot combine _none_ with other fields";

    /** Options without doc value or stored fields: the shape before those were read. */
    public HitOptions(boolean version, boolean seqNoPrimaryTerm, boolean trackScores, List<String> fields) {
        this(version, seqNoPrimaryTerm, trackScores, fields, List.of(), Optional.empty());
    }

    /** Whether {@code stored_fields} is {@code _none_}: no stored field, no {@code _id} and no {@code _source}. */
    public boolean storedFieldsDisabled() {
        return storedFields.map(names -> names.equals(List.of(NO_STORED_FIELDS))).orElse(false);
    }

    /** Whether every option is at its default. */
    public boolean isDefault() {
        return equals(NONE);
    }
}
