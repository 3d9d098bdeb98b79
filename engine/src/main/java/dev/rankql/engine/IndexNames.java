package dev.rankql.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Elasticsearch's index-name rules, which also guarantee that a name is one plain folder inside the data directory. */
public final class IndexNames {

    /** The file-name characters Elasticsearch forbids in index names. */
    public static final String INVALID_FILENAME_CHARS = "\\/*?\"<>| ,";

    /** How Elasticsearch lists {@link #INVALID_FILENAME_CHARS} in its message. */
    private static final String INVALID_FILENAME_CHARS_TEXT = "[ , \", *, \\, <, |, ,, >, /, ?]";

    /** Elasticsearch's limit on the UTF-8 length of a name. */
    public static final int MAX_BYTES = 255;

    private IndexNames() {}

    /** Throws {@code invalid_index_name_exception} with Elasticsearch's message unless {@code name} is valid. */
    public static void validate(String name) {
        if (name == null) {
            throw EngineException.invalidIndexName("null", "must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (INVALID_FILENAME_CHARS.indexOf(name.charAt(i)) >= 0) {
                throw EngineException.invalidIndexName(
                        name, "must not contain the following characters " + INVALID_FILENAME_CHARS_TEXT);
            }
        }
        if (name.isEmpty()) {
            throw EngineException.invalidIndexName(name, "must not be empty");
        }
        if (name.contains("#")) {
            throw EngineException.invalidIndexName(name, "must not contain '#'");
        }
        if (name.contains(":")) {
            throw EngineException.invalidIndexName(name, "must not contain ':'");
        }
        char first = name.charAt(0);
        if (first == '_' || first == '-' || first == '+') {
            throw EngineException.invalidIndexName(name, "must not start with '_', '-', or '+'");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw EngineException.invalidIndexName(name, "index name is too long, (" + bytes + " > " + MAX_BYTES + ")");
        }
        if (name.equals(".") || name.equals("..")) {
            throw EngineException.invalidIndexName(name, "must not be '.' or '..'");
        }
        if (!name.toLowerCase(Locale.ROOT).equals(name)) {
            throw EngineException.invalidIndexName(name, "must be lowercase");
        }
        // Elasticsearch stores indices under UUIDs, so it can allow these; rankql uses the name as a folder name.
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)
                    && !Character.isSurrogatePair(c, i + 1 < name.length() ? name.charAt(i + 1) : c)
                    && !(i > 0 && Character.isSurrogatePair(name.charAt(i - 1), c))) {
                throw EngineException.invalidIndexName(name, "must not contain control, format or unpaired surrogate characters");
            }
        }
    }
}
