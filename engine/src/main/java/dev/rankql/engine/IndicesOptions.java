package dev.rankql.engine;

/**
 * Elasticsearch's index-resolution options of a search: {@code ignore_unavailable} (skip named indices that do not
 * exist instead of answering 404) and {@code allow_no_indices} (a wildcard that matches nothing is an empty search
 * rather than a 404).
 */
public record IndicesOptions(boolean ignoreUnavailable, boolean allowNoIndices) {

    /** Elasticsearch's defaults for searches: missing names fail, wildcards may match nothing. */
    public static final IndicesOptions DEFAULT = new IndicesOptions(false, true);
}
