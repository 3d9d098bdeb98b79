package dev.rankql.json;

import tools.jackson.core.StreamReadConstraints;

/**
 * The size limits every JSON reader of rankql applies to what it reads (string, number and name lengths, nesting,
 * document length), each settable with a system property so that a user with larger inputs can raise it.
 */
public final class JsonLimits {

    /** The longest string value, in characters: {@code -Drankql.json.max_string_length}. */
    public static final int MAX_STRING_LENGTH = property("rankql.json.max_string_length", 20_000_000);

    /** The longest number, in characters (digits, sign, point, exponent): {@code -Drankql.json.max_number_length}. */
    public static final int MAX_NUMBER_LENGTH = property("rankql.json.max_number_length", 1_000);

    /** The longest property name, in characters: {@code -Drankql.json.max_name_length}. */
    public static final int MAX_NAME_LENGTH = property("rankql.json.max_name_length", 50_000);

    /** The deepest nesting of objects and arrays: {@code -Drankql.json.max_nesting_depth}. */
    public static final int MAX_NESTING_DEPTH = property("rankql.json.max_nesting_depth", 1_000);

    private JsonLimits() {}

    /** The constraints with these limits and the given longest document, in characters ({@code -1}: unlimited). */
    public static StreamReadConstraints constraints(long maxDocumentLength) {
        return constraints(maxDocumentLength, MAX_NESTING_DEPTH);
    }

    /** The constraints with these limits, the given longest document and the given deepest nesting. */
    public static StreamReadConstraints constraints(long maxDocumentLength, int maxNestingDepth) {
        return StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxNestingDepth(maxNestingDepth)
                .maxDocumentLength(maxDocumentLength)
                .build();
    }

    /**
     * An integer system property; a value that is not a positive integer fails at start-up, naming the property,
     * rather than being ignored.
     */
    public static int property(String name, int defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the property's name.
        }
        throw new IllegalArgumentException("system property [" + name + "] must be a positive integer, got [" + value
                + "]");
    }
}
