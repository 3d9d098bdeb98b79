package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON-like literal: script and model parameters, term values, range bounds and {@code ext} options. */
public sealed interface Value {

    /** The JSON {@code null}. */
    record Null() implements Value {}

    /** A boolean. */
    record Bool(boolean value) implements Value {}

    /** A whole number, written without a fraction or exponent. */
    record Int(long value) implements Value {}

    /** A number written with a fraction or exponent; always finite. */
    record Dbl(double value) implements Value {
        public Dbl {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a number must be finite, got " + value);
            }
        }
    }

    /** A string. */
    record Str(String value) implements Value {
        public Str {
            requireNonNull(value, "value");
        }
    }

    /** An ordered list. */
    record Arr(List<Value> values) implements Value {
        public Arr {
            values = List.copyOf(values);
        }
    }

    /** An object whose keys keep the order they were written in (equality ignores that order). */
    record Obj(Map<String, Value> entries) implements Value {
        public Obj {
            entries = copyOf(entries);
        }
    }

    /** Shorthand for a string value. */
    static Value of(String value) {
        return new Str(value);
    }

    /** Shorthand for a whole-number value. */
    static Value of(long value) {
        return new Int(value);
    }

    /** Shorthand for a decimal value. */
    static Value of(double value) {
        return new Dbl(value);
    }

    /** Shorthand for a boolean value. */
    static Value of(boolean value) {
        return new Bool(value);
    }

    /** Whether this value is a string, number or boolean. */
    default boolean isScalar() {
        return switch (this) {
            case Str s -> true;
            case Int i -> true;
            case Dbl d -> true;
            case Bool b -> true;
            case Null n -> false;
            case Arr a -> false;
            case Obj o -> false;
        };
    }

    /** The JSON type name used in error messages: string, number, boolean, null, array or object. */
    default String typeName() {
        return switch (this) {
            case Str s -> "string";
            case Int i -> "number";
            case Dbl d -> "number";
            case Bool b -> "boolean";
            case Null n -> "null";
            case Arr a -> "array";
            case Obj o -> "object";
        };
    }

    /** An immutable, insertion-ordered copy of a map of values, rejecting null keys and values. */
    static Map<String, Value> copyOf(Map<String, Value> entries) {
        var copy = new LinkedHashMap<String, Value>();
        entries.forEach((key, value) -> copy.put(requireNonNull(key, "key"), requireNonNull(value, "value of " + key)));
        return Collections.unmodifiableMap(copy);
    }
}
