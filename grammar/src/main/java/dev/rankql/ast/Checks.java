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
