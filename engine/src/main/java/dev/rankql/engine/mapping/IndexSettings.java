package dev.rankql.engine.mapping;

import dev.rankql.ast.SearchRequest;
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
        long refreshIntervalMillis,
        boolean refreshIntervalExplicit,
        long searchIdleAfterMillis) {

    /** Elasticsearch's default for {@code index.max_result_window}, which {@code index.max_rescore_window} follows. */
    public static final int DEFAULT_MAX_WINDOW = 10_000;

    /** Elasticsearch's default {@code index.refresh_interval}: one second. */
    public static final long DEFAULT_REFRESH_MILLIS = 1000;

    /** Elasticsearch's default {@code index.search.idle.after}: thirty seconds. */
    public static final long DEFAULT_SEARCH_IDLE_AFTER_MILLIS = 30_000;

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
        durability(normalized);
        syncInterval(normalized);
        return new IndexSettings(
                normalized,
                k1,
                b,
                // As in Elasticsearch, the rescore limit defaults to the result-window limit.
                maxRescore < 0 ? maxResult : maxRescore,
                maxResult,
                refreshInterval(normalized.get("index.refresh_interval")),
                // Elasticsearch lets an index go search-idle only when its refresh interval was left to the default.
                normalized.containsKey("index.refresh_interval"),
                searchIdleAfter(normalized.get("index.search.idle.after")));
    }

    /** Elasticsearch's default {@code index.translog.sync_interval}: five seconds. */
    public static final long DEFAULT_SYNC_INTERVAL_MILLIS = 5_000;

    /**
     * Whether {@code index.translog.durability} is {@code async}: requests are acknowledged before their commit, which
     * happens every {@link #syncIntervalMillis()}, at a refresh, and at a clean close. The default, {@code request},
     * commits every write request before acknowledging it.
     */
    public boolean asyncDurability() {
        return durability(flat).equals("async");
    }

    /** {@code index.translog.sync_interval}: how often an {@code async} index commits. */
    public long syncIntervalMillis() {
        return syncInterval(flat);
    }

    private static String durability(Map<String, String> settings) {
        var value = settings.getOrDefault("index.translog.durability", "request").toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("request") && !value.equals("async")) {
            throw EngineException.illegalArgument("illegal value [" + settings.get("index.translog.durability")
                    + "] for setting [index.translog.durability], must be one of [request, async]");
        }
        return value;
    }

    private static long syncInterval(Map<String, String> settings) {
        var text = settings.get("index.translog.sync_interval");
        if (text == null) {
            return DEFAULT_SYNC_INTERVAL_MILLIS;
        }
        long millis = timeValueMillis("index.translog.sync_interval", text);
        if (millis < 100) {
            // Elasticsearch's minimum: a commit more often than this is what request durability is for.
            throw EngineException.illegalArgument("failed to parse value [" + text
                    + "] for setting [index.translog.sync_interval] must be >= 100ms");
        }
        return millis;
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
        long millis = timeValueMillis("index.refresh_interval", text);
        if (millis < -1) {
            throw EngineException.illegalArgument(
                    "failed to parse value [" + text + "] for setting [index.refresh_interval] must be >= -1");
        }
        return millis;
    }

    private static long searchIdleAfter(String text) {
        if (text == null) {
            return DEFAULT_SEARCH_IDLE_AFTER_MILLIS;
        }
        long millis = timeValueMillis("index.search.idle.after", text);
        if (millis < 0) {
            throw EngineException.illegalArgument(
                    "failed to parse value [" + text + "] for setting [index.search.idle.after] must be >= 0s");
        }
        return millis;
    }

    /**
     * Parses an Elasticsearch time value ({@code 30s}, {@code 500ms}, {@code 2m}, {@code -1}, {@code 0}) into
     * milliseconds with Elasticsearch's units ({@code nanos}, {@code micros}, {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}) and messages; {@code -1} is the only negative value allowed.
     */
    static long timeValueMillis(String key, String text) {
        java.time.Duration value;
        try {
            value = SearchRequest.parseTimeValue(text, key);
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
        // Truncated toward zero, as Elasticsearch's TimeValue#millis is: -1nanos is 0 ms, not the -1 that means "off".
        var magnitude = value.abs();
        long millis;
        try {
            millis = magnitude.toMillis();
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        return value.isNegative() ? -millis : millis;
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
