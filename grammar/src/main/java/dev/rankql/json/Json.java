package dev.rankql.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Small helpers over Jackson nodes: JSON paths, Elasticsearch token names, value descriptions and suggestions. */
final class Json {

    private static final int QUOTE_LIMIT = 40;

    private Json() {}

    /** {@code $.a.b}, or {@code $['a.b']} for names that are not plain identifiers (letters, digits, {@code _@$-}). */
    static String field(String path, String name) {
        if (isPlain(name)) {
            return path + "." + name;
        }
        return path + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static boolean isPlain(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0)) || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '@' || c == '$' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }

    /** The name Elasticsearch's XContent gives the token that starts {@code node}: {@code VALUE_STRING}, ... */
    static String token(JsonNode node) {
        if (node.isObject()) {
            return "START_OBJECT";
        }
        if (node.isArray()) {
            return "START_ARRAY";
        }
        if (node.isString()) {
            return "VALUE_STRING";
        }
        if (node.isNumber()) {
            return "VALUE_NUMBER";
        }
        if (node.isBoolean()) {
            return "VALUE_BOOLEAN";
        }
        return "VALUE_NULL";
    }

    /** Whether {@code node} is a string, number or boolean (what Elasticsearch calls a value token). */
    static boolean isValue(JsonNode node) {
        return node.isString() || node.isNumber() || node.isBoolean();
    }

    /** {@code string "ten"}, {@code number 1.5}, {@code boolean true}, {@code null}, {@code object}, {@code array}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isString()) {
            return "string " + quote(node.stringValue());
        }
        if (node.isNumber()) {
            return "number " + node.asString();
        }
        if (node.isBoolean()) {
            return "boolean " + node.booleanValue();
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        return "null";
    }

    static String quote(String text) {
        var shown = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Elasticsearch's "did you mean" tail for an unknown name: the candidates whose similarity (one minus the edit
     * distance over the longer length) is above one half, best first; empty when there is none.
     */
    static String suggest(String unknown, Collection<String> candidates) {
        record Scored(float similarity, String name) {}
        var scored = new ArrayList<Scored>();
        for (var candidate : candidates) {
            float similarity = similarity(unknown, candidate);
            if (similarity > 0.5f) {
                scored.add(new Scored(similarity, candidate));
            }
        }
        if (scored.isEmpty()) {
            return "";
        }
        scored.sort((a, b) -> a.similarity != b.similarity
                ? Float.compare(b.similarity, a.similarity)
                : a.name.compareTo(b.name));
        List<String> names = scored.stream().map(Scored::name).toList();
        return names.size() == 1 ? " did you mean [" + names.getFirst() + "]?" : " did you mean any of " + names + "?";
    }

    private static float similarity(String a, String b) {
        int longest = Math.max(a.length(), b.length());
        if (longest == 0) {
            return 1f;
        }
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return 1f - (float) previous[b.length()] / longest;
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
