package dev.rankql.engine.mapping;

import dev.rankql.engine.EngineException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The settings of an index that rankql honours, kept beside the flat {@code index.*} map the user gave.
 *
 * <p>{@code number_of_shards} and {@code number_of_replicas} are accepted and recorded but change nothing: a rankql
 * index is one Lucene index.
 */
public record IndexSettings(
        Map<String, String> flat,
        float k1,
        float b,
        int maxRescoreWindow,
        int maxResultWindow,
        long refreshIntervalMillis) {

    /** Elasticsearch's default for {@code index.max_result_window}, which {@code index.max_rescore_window} follows. */
    public static final int DEFAULT_MAX_WINDOW = 10_000;

    /** Elasticsearch's default {@code index.refresh_interval}: one second. */
    public static final long DEFAULT_REFRESH_MILLIS = 1000;

    public IndexSettings {
        flat = Map.copyOf(flat);
    }

    /** The defaults: BM25 k1 1.2, b 0.75, windows of 10,000, refresh every second. */
    public static IndexSettings defaults() {
        return parse(null);
    }

    /** Parses a {@code settings} object, nested ({@code {"index": {"number_of_shards": 1}}}) or flat. */
    public static IndexSettings parse(JsonNode node) {
        var flat = new TreeMap<String, String>();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
            if (!node.isObject()) {
                throw EngineException.parsing("Failed to parse settings: expected an object but got " + Json.tokenName(node));
            }
            flatten(node, "", flat);
        }
        var normalized = new TreeMap<String, String>();
        flat.forEach((k, v) -> normalized.put(k.startsWith("index.") ? k : "index." + k, v));
        normalized.putIfAbsent("index.number_of_shards", "1");
        normalized.putIfAbsent("index.number_of_replicas", "1");
        positiveInt(normalized, "index.number_of_shards", 1);
        nonNegativeInt(normalized, "index.number_of_replicas");
        var type = normalized.getOrDefault("index.similarity.default.type", "BM25");
        if (!type.equals("BM25")) {
            throw EngineException.illegalArgument("rankql supports only the [BM25] default similarity, got [" + type + "]");
        }
        float k1 = floatSetting(normalized, "index.similarity.default.k1", 1.2f);
        float b = floatSetting(normalized, "index.similarity.default.b", 0.75f);
        if (k1 < 0 || !Float.isFinite(k1)) {
            throw EngineException.illegalArgument("illegal k1 value: " + k1 + ", must be a non-negative finite value");
        }
        if (b < 0 || b > 1 || Float.isNaN(b)) {
            throw EngineException.illegalArgument("illegal b value: " + b + ", must be between 0 and 1");
        }
        int maxResult = nonNegativeInt(normalized, "index.max_result_window");
        maxResult = maxResult < 0 ? DEFAULT_MAX_WINDOW : maxResult;
        int maxRescore = nonNegativeInt(normalized, "index.max_rescore_window");
        return new IndexSettings(
                normalized,
                k1,
                b,
                // As in Elasticsearch, the rescore limit defaults to the result-window limit.
                maxRescore < 0 ? maxResult : maxRescore,
                maxResult,
                refreshInterval(normalized.get("index.refresh_interval")));
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        for (var entry : node.properties()) {
            var key = prefix + entry.getKey();
            var value = entry.getValue();
            if (value.isObject()) {
                flatten(value, key + ".", out);
            } else if (value.isArray()) {
                out.put(key, value.toString());
            } else if (!value.isNull()) {
                out.put(key, value.asString());
            }
        }
    }

    private static void positiveInt(Map<String, String> settings, String key, int min) {
        var text = settings.get(key);
        try {
            if (Integer.parseInt(text) < min) {
                throw EngineException.illegalArgument("Failed to parse value [" + text + "] for setting [" + key + "] must be >= " + min);
            }
        } catch (NumberFormatException e) {
            throw EngineException.illegalArgument("Failed to parse value [" + text + "] for setting [" + key + "]");
        }
    }

    private static int nonNegativeInt(Map<String, String> settings, String key) {
        var text = settings.get(key);
        if (text == null) {
            return -1;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw EngineException.illegalArgument("Failed to parse value [" + text + "] for setting [" + key + "] must be >= 0");
            }
            return value;
        } catch (NumberFormatException e) {
            throw EngineException.illegalArgument("Failed to parse value [" + text + "] for setting [" + key + "]");
        }
    }

    private static float floatSetting(Map<String, String> settings, String key, float fallback) {
        var text = settings.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw EngineException.illegalArgument("Failed to parse value [" + text + "] for setting [" + key + "]");
        }
    }

    private static long refreshInterval(String text) {
        if (text == null) {
            return DEFAULT_REFRESH_MILLIS;
        }
        if (text.equals("-1")) {
            return -1;
        }
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
        if (!m.matches()) {
            throw EngineException.illegalArgument(
                    "failed to parse setting [index.refresh_interval] with value [" + text + "] as a time value: unit is missing or unrecognized");
        }
        long amount = Long.parseLong(m.group(1));
        var unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
    }

    /** The settings as Elasticsearch nests them under {@code settings.index}. */
    public ObjectNode toJson() {
        var root = Json.object();
        flat.forEach((key, value) -> {
            var parts = key.split("\\.");
            var node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                var child = node.get(parts[i]);
                node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
            }
            node.put(parts[parts.length - 1], value);
        });
        return root;
    }
}
