package dev.rankql.models.formats;

import dev.rankql.models.ModelLimits;

/** Bounds that keep a malformed model from making the reader allocate without end (see {@link ModelLimits}). */
final class Limits {

    private Limits() {}

    static void features(long count, String where) {
        ModelLimits.features(count, where);
    }
}
