package dev.rankql.engine.search;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Elasticsearch's search URL parameters, which override the body when given; {@code timeout} is also where the
 * engine puts its default search timeout when neither the URL nor the body sets one.
 */
public record SearchOptions(Optional<Integer> from, Optional<Integer> size, Optional<Boolean> explain,
        Optional<Duration> timeout) {

    /** No overrides. */
    public static final SearchOptions NONE =
            new SearchOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Options without a timeout. */
    public SearchOptions(Optional<Integer> from, Optional<Integer> size, Optional<Boolean> explain) {
        this(from, size, explain, Optional.empty());
    }

    public SearchOptions {
        requireNonNull(from, "from");
        requireNonNull(size, "size");
        requireNonNull(explain, "explain");
        requireNonNull(timeout, "timeout");
        from.ifPresent(f -> {
            if (f < 0) {
                throw new IllegalArgumentException("[from] parameter cannot be negative, found [" + f + "]");
            }
        });
        size.ifPresent(s -> {
            if (s < 0) {
                throw new IllegalArgumentException("[size] parameter cannot be negative, found [" + s + "]");
            }
        });
    }

    /** These options with {@code size} set. */
    public SearchOptions withSize(int newSize) {
        return new SearchOptions(from, Optional.of(newSize), explain, timeout);
    }

    /** These options with {@code from} set. */
    public SearchOptions withFrom(int newFrom) {
        return new SearchOptions(Optional.of(newFrom), size, explain, timeout);
    }

    /** These options with {@code explain} set. */
    public SearchOptions withExplain(boolean newExplain) {
        return new SearchOptions(from, size, Optional.of(newExplain), timeout);
    }

    /** These options with {@code timeout} set ({@link dev.rankql.ast.SearchRequest#NO_TIMEOUT} for none). */
    public SearchOptions withTimeout(Duration newTimeout) {
        return new SearchOptions(from, size, explain, Optional.of(newTimeout));
    }
}
