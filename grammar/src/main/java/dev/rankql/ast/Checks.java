package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Argument checks shared by the compact constructors of the tree. */
final class Checks {

    private Checks() {}

    static void notBlank(String text, String what) {
        requireNonNull(text, what);
        if (text.isBlank()) {
            throw new IllegalArgumentException("[" + what + "] must not be empty");
        }
    }

    static void nonNegative(Optional<Integer> value, String what) {
        requireNonNull(value, what);
        value.ifPresent(v -> {
            if (v < 0) {
                throw new IllegalArgumentException("[" + what + "] must not be negative, found [" + v + "]");
            }
        });
    }

    static void positive(float value, String what) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException("[" + what + "] must be a positive number, found [" + value + "]");
        }
    }

    static void finite(Optional<Float> value, String what) {
        requireNonNull(value, what);
        value.ifPresent(v -> {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("[" + what + "] must be a finite number, found [" + v + "]");
            }
        });
    }

    static void scalar(Value value, String what) {
        requireNonNull(value, what);
        if (!value.isScalar()) {
            throw new IllegalArgumentException(
                    "[" + what + "] must be a string, number or boolean, found " + value.typeName());
        }
    }

    static List<Value> searchAfter(List<Value> values) {
        var copy = List.copyOf(values);
        for (var value : copy) {
            if (value instanceof Value.Arr || value instanceof Value.Obj) {
                throw new IllegalArgumentException("Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or "
                        + "[VALUE_NULL] but found [" + (value instanceof Value.Arr ? "START_ARRAY" : "START_OBJECT")
                        + "] inside search_after.");
            }
        }
        return copy;
    }

    /** Elasticsearch's limit on {@code num_candidates}. */
    static final int NUM_CANDIDATES_LIMIT = 10_000;

    /** Elasticsearch's parse-time checks of a knn search's {@code k} and {@code num_candidates}, with its messages. */
    static void knn(Optional<Integer> k, Optional<Integer> numCandidates) {
        requireNonNull(k, "k");
        requireNonNull(numCandidates, "numCandidates");
        if (k.isPresent() && k.get() < 1) {
            throw new IllegalArgumentException("[k] must be greater than 0");
        }
        if (numCandidates.isPresent()) {
            int candidates = numCandidates.get();
            if (k.isPresent() && candidates < k.get()) {
                throw new IllegalArgumentException("[num_candidates] cannot be less than [k]");
            }
            if (candidates > NUM_CANDIDATES_LIMIT) {
                throw new IllegalArgumentException("[num_candidates] cannot exceed [" + NUM_CANDIDATES_LIMIT + "]");
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("[num_candidates] must be greater than 0");
            }
        }
    }

    static void common(Optional<Float> boost, Optional<String> name) {
        finite(boost, "boost");
        boost.ifPresent(b -> {
            if (b < 0) {
                throw new IllegalArgumentException("negative [boost] are not allowed.");
            }
        });
        requireNonNull(name, "name");
    }
}
