package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An aggregation of a search request, computed over every document the request matches.
 *
 * <p>Only {@code terms} exists; further aggregation types join this hierarchy as records.
 */
public sealed interface Aggregation {

    /** Where the aggregation was written. */
    Span span();

    /** The aggregation's type in JSON: {@code terms}. */
    default String type() {
        return switch (this) {
            case Terms t -> "terms";
        };
    }

    /** Buckets of the distinct values of {@code field}, the {@code size} most frequent first. */
    record Terms(Span span, String field, Optional<Integer> size) implements Aggregation {

        /** Elasticsearch's number of buckets when {@code size} is not given. */
        public static final int DEFAULT_SIZE = 10;

        public Terms {
            requireNonNull(span, "span");
            Checks.notBlank(field, "field");
            requireNonNull(size, "size");
            size.ifPresent(s -> {
                if (s < 1) {
                    throw new IllegalArgumentException("[size] must be greater than 0. Found [" + s + "]");
                }
            });
        }

        /** The number of buckets returned: {@code size}, or 10. */
        public int effectiveSize() {
            return size.orElse(DEFAULT_SIZE);
        }

        /** Elasticsearch's message for a {@code size} below 1 in the aggregation called {@code name}. */
        public static String sizeMessage(int size, String name) {
            return "[size] must be greater than 0. Found [" + size + "] in [" + name + "]";
        }
    }
}
