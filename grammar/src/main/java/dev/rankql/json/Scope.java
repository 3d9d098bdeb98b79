package dev.rankql.json;

import dev.rankql.ast.Keyword;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * One JSON object being read: typed getters that report a wrong value at the field's path, and a final sweep over
 * the fields nobody asked for.
 */
final class Scope {

    final JsonNode node;
    final String path;
    final Problems problems;
    /** The keys the getters took; objects have a handful of fields, so a scan beats a hash set. */
    private String[] taken = new String[8];
    private int takenCount;
    private final List<Diagnostic> later = new ArrayList<>();

    Scope(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String at(String key) {
        return Json.field(path, key);
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The field's node, or null when absent; the field counts as known either way. */
    JsonNode take(String key) {
        if (!isTaken(key)) {
            if (takenCount == taken.length) {
                taken = Arrays.copyOf(taken, 2 * takenCount);
            }
            taken[takenCount++] = key;
        }
        return node.get(key);
    }

    private boolean isTaken(String key) {
        for (int i = 0; i < takenCount; i++) {
            if (taken[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    // The getters below answer a well-typed value at once and build the field's path only to report a problem.

    Optional<Integer> integer(String key) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return Optional.of(value.intValue());
        }
        return Optional.ofNullable(integer(value, at(key), problems));
    }

    Optional<Float> number(String key) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            float result = value.decimalValue().floatValue();
            if (Float.isFinite(result)) {
                return Optional.of(result);
            }
        }
        return Optional.ofNullable(number(value, at(key), problems));
    }

    Optional<String> string(String key) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isString()) {
            return Optional.of(value.stringValue());
        }
        return Optional.ofNullable(string(value, at(key), problems));
    }

    Optional<Boolean> bool(String key) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        return Optional.ofNullable(bool(value, at(key), problems));
    }

    /** A string, or a number kept as its text: {@code minimum_should_match} and {@code fuzziness}. */
    Optional<String> text(String key) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isString() || value.isNumber()) {
            return Optional.of(value.asString());
        }
        problems.expected(at(key), "string or number", value);
        return Optional.empty();
    }

    <E extends Enum<E> & Keyword> Optional<E> keyword(String key, Class<E> type) {
        var value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isString()) {
            var found = Keyword.lookup(type, value.stringValue());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.ofNullable(keyword(value, at(key), type, problems));
    }

    Optional<Float> boost() {
        var value = take("boost");
        if (value == null) {
            return Optional.empty();
        }
        Float boost = null;
        if (value.isNumber()) {
            float result = value.decimalValue().floatValue();
            boost = Float.isFinite(result) ? result : null;
        }
        if (boost == null) {
            boost = number(value, at("boost"), problems);
        }
        if (boost != null && boost < 0) {
            problems.add(at("boost"), "negative [boost] are not allowed.", Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return Optional.ofNullable(boost);
    }

    Optional<String> name() {
        return string("_name");
    }

    Map<String, Value> params(String key) {
        var value = take(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            problems.expected(at(key), "object", value);
            return Map.of();
        }
        return entries(value, at(key), problems);
    }

    /**
     * Holds a diagnostic about the object as a whole (a required field is missing) until {@link #rest} has reported
     * the unknown fields, which is the order Elasticsearch's parsers find them in.
     */
    void later(String message, String type) {
        later.add(new Diagnostic(path, message, type));
    }

    /**
     * Calls {@code unknown} with every field that no getter took, in document order, then reports what was held
     * {@linkplain #later later}.
     */
    void rest(BiConsumer<String, JsonNode> unknown) {
        for (var entry : node.properties()) {
            if (!isTaken(entry.getKey())) {
                unknown.accept(entry.getKey(), entry.getValue());
            }
        }
        later.forEach(d -> problems.add(d.path(), d.message(), d.type()));
        later.clear();
    }

    /** Reports every field that no getter took as ObjectParser does: {@code [parser] unknown field [f]}. */
    void rejectRest(String parser, List<String> known) {
        rest((key, value) -> problems.add(at(key),
                "[" + parser + "] unknown field [" + key + "]" + Json.suggest(key, known),
                Diagnostic.X_CONTENT_PARSE_EXCEPTION));
    }

    static Integer integer(JsonNode value, String path, Problems problems) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isString()) {
            try {
                return Integer.valueOf(value.stringValue().trim());
            } catch (NumberFormatException e) {
                // reported below, with the value
            }
        }
        problems.expected(path, "integer", value);
        return null;
    }

    static Float number(JsonNode value, String path, Problems problems) {
        float result = Float.NaN;
        if (value.isNumber()) {
            // Through BigDecimal: Jackson's own narrowing throws on values beyond the float range.
            result = value.decimalValue().floatValue();
        } else if (value.isString()) {
            try {
                result = Float.parseFloat(value.stringValue().trim());
            } catch (NumberFormatException e) {
                result = Float.NaN;
            }
        }
        if (Float.isFinite(result)) {
            return result;
        }
        problems.expected(path, "finite number", value);
        return null;
    }

    static String string(JsonNode value, String path, Problems problems) {
        if (value.isString()) {
            return value.stringValue();
        }
        problems.expected(path, "string", value);
        return null;
    }

    static Boolean bool(JsonNode value, String path, Problems problems) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString() && (value.stringValue().equals("true") || value.stringValue().equals("false"))) {
            return Boolean.valueOf(value.stringValue());
        }
        problems.expected(path, "boolean", value);
        return null;
    }

    static <E extends Enum<E> & Keyword> E keyword(JsonNode value, String path, Class<E> type, Problems problems) {
        if (value.isString()) {
            var found = Keyword.lookup(type, value.stringValue());
            if (found.isPresent()) {
                return found.get();
            }
        }
        problems.expected(path, "one of " + Keyword.choices(type), value);
        return null;
    }

    /** A string, number or boolean as a {@link Value}; null (with a diagnostic) for anything else. */
    static Value scalar(JsonNode value, String path, Problems problems) {
        if (!Json.isValue(value)) {
            problems.expected(path, "string, number or boolean", value);
            return null;
        }
        return value(value, path, problems);
    }

    /** Any JSON value as a {@link Value}; null (with a diagnostic) for numbers that do not fit. */
    static Value value(JsonNode value, String path, Problems problems) {
        if (value.isString()) {
            return new Value.Str(value.stringValue());
        }
        if (value.isBoolean()) {
            return new Value.Bool(value.booleanValue());
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return new Value.Int(value.longValue());
            }
            problems.expected(path, "whole number within the 64-bit range", value);
            return null;
        }
        if (value.isNumber()) {
            double number = value.decimalValue().doubleValue();
            if (Double.isFinite(number)) {
                return new Value.Dbl(number);
            }
            problems.expected(path, "finite number", value);
            return null;
        }
        if (value.isArray()) {
            var items = new ArrayList<Value>(value.size());
            boolean ok = true;
            for (int i = 0; i < value.size(); i++) {
                var element = value.get(i);
                var item = plain(element);
                if (item == null) {
                    item = value(element, Json.index(path, i), problems);
                }
                ok &= item != null;
                items.add(item);
            }
            return ok ? new Value.Arr(items) : null;
        }
        if (value.isObject()) {
            int mark = problems.size();
            var entries = entries(value, path, problems);
            return problems.size() == mark ? new Value.Obj(entries) : null;
        }
        return new Value.Null();
    }

    /**
     * A string, boolean, null or 64-bit integer as a {@link Value}, which cannot fail and so needs no path; null for
     * anything else, which {@link #value} reads with its path.
     */
    private static Value plain(JsonNode value) {
        if (value.isString()) {
            return new Value.Str(value.stringValue());
        }
        if (value.isBoolean()) {
            return new Value.Bool(value.booleanValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return new Value.Int(value.longValue());
        }
        return value.isNull() ? new Value.Null() : null;
    }

    static Map<String, Value> entries(JsonNode object, String path, Problems problems) {
        var entries = new LinkedHashMap<String, Value>();
        for (var entry : object.properties()) {
            var item = plain(entry.getValue());
            if (item == null) {
                item = value(entry.getValue(), Json.field(path, entry.getKey()), problems);
            }
            if (item != null) {
                entries.put(entry.getKey(), item);
            }
        }
        return entries;
    }
}
