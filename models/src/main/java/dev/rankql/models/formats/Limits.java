package dev.rankql.models.formats;

import dev.rankql.models.ModelException;

/** Bounds that keep a malformed model from making the reader allocate without end. */
final class Limits {

    /** The most features a model may declare or number; far above any real LTR feature set. */
    static final int MAX_FEATURES = 1 << 20;

    private Limits() {}

    static void features(long count, String where) {
        if (count < 0 || count > MAX_FEATURES) {
            throw new ModelException(where, "the model declares " + count + " features; at most " + MAX_FEATURES
                    + " are supported");
        }
    }
}
