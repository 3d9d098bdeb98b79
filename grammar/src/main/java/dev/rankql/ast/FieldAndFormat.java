package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of {@code docvalue_fields}: a field name or {@code *} pattern, and the format its values are written in
 * (a date pattern or named date format for dates, a {@code DecimalFormat} pattern for numbers); without one, each
 * field's mapping decides.
 */
public record FieldAndFormat(String field, Optional<String> format) {

    public FieldAndFormat {
        Checks.notBlank(field, "field");
        requireNonNull(format, "format");
        format.ifPresent(f -> Checks.notBlank(f, "format"));
    }

    /** A field with its mapping's format. */
    public static FieldAndFormat of(String field) {
        return new FieldAndFormat(field, Optional.empty());
    }
}
