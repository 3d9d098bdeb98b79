package dev.rankql.ast;

/** The {@code track_total_hits} option: count exactly, not at all, or exactly up to a bound. */
public sealed interface TrackTotalHits {

    /** {@code track_total_hits: true|false}. */
    record Flag(boolean enabled) implements TrackTotalHits {}

    /** {@code track_total_hits: N}: count exactly up to N, then report a lower bound. */
    record UpTo(int limit) implements TrackTotalHits {
        public UpTo {
            if (limit < -1) {
                throw new IllegalArgumentException(
                        "[track_total_hits] parameter must be positive or equals to -1, got " + limit);
            }
        }
    }
}
