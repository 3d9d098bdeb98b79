package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A field name with an optional per-field boost, written {@code title^2} in both JSON and the DSL. */
public record FieldRef(String field, Optional<Float> boost) {

    public FieldRef {
        Checks.notBlank(field, "field");
        if (field.indexOf('^') >= 0) {
            throw new IllegalArgumentException("invalid boost in field [" + field + "]: '^' separates a field from its "
                    + "boost and may appear once, followed by a number");
        }
        requireNonNull(boost, "boost");
        Checks.finite(boost, "boost");
    }

    /** A field without a boost. */
    public static FieldRef of(String field) {
        return new FieldRef(field, Optional.empty());
    }

    /** Parses {@code name} or {@code name^boost}; a malformed boost raises {@link IllegalArgumentException}. */
    public static FieldRef parse(String text) {
        int caret = text.lastIndexOf('^');
        if (caret < 0) {
            return of(text);
        }
        String boost = text.substring(caret + 1);
        try {
            return new FieldRef(text.substring(0, caret), Optional.of(Float.parseFloat(boost)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid boost [" + boost + "] in field [" + text + "]");
        }
    }

    @Override
    public String toString() {
        return boost.map(b -> field + "^" + Numbers.format(b)).orElse(field);
    }
}
