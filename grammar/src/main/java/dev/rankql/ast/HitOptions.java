package dev.rankql.ast;

import java.util.List;

/**
 * What each hit carries beyond its id, score and source, as the search body's {@code version},
 * {@code seq_no_primary_term}, {@code track_scores} and {@code fields} ask: the document's version, its sequence
 * number and primary term, scores computed even when sorting by a field, and named field values.
 */
public record HitOptions(boolean version, boolean seqNoPrimaryTerm, boolean trackScores, List<String> fields) {

    /** Nothing beyond Elasticsearch's defaults. */
    public static final HitOptions NONE = new HitOptions(false, false, false, List.of());

    public HitOptions {
        fields = List.copyOf(fields);
        fields.forEach(f -> Checks.notBlank(f, "fields"));
    }

    /** Whether every option is at its default. */
    public boolean isDefault() {
        return equals(NONE);
    }
}
