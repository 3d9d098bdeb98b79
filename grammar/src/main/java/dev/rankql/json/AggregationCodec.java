package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;
import static dev.rankql.json.Diagnostic.X_CONTENT_PARSE_EXCEPTION;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes the top-level {@code aggs} section, checked the way Elasticsearch's AggregatorFactories does. */
final class AggregationCodec {

    static final String TERMS = "terms";
    static final String FIELD = "field";
    static final String SIZE = "size";

    /** The aggregation types rankql runs, as the error for any other type lists them. */
    static final List<String> SUPPORTED = List.of(TERMS);

    private static final List<String> TERMS_FIELDS = List.of(FIELD, SIZE);
    /** Terms options that Elasticsearch reads and rankql does not execute. */
    private static final Set<String> TERMS_ELASTICSEARCH_ONLY = Set.of("shard_size", "min_doc_count",
            "shard_min_doc_count", "order", "include", "exclude", "missing", "script", "execution_hint",
            "collect_mode", "value_type", "format", "show_term_doc_count_error", "missing_bucket");

    /**
     * Aggregation types that Elasticsearch registers: a request naming one of them is valid Elasticsearch that rankql
     * does not run, while any other name is Elasticsearch's "Unknown aggregation type".
     */
    private static final Set<String> ELASTICSEARCH_TYPES = new TreeSet<>(List.of("adjacency_matrix", "auto_date_histogram",
            "avg", "avg_bucket", "boxplot", "bucket_count_ks_test", "bucket_correlation", "bucket_script",
            "bucket_selector", "bucket_sort", "cardinality", "categorize_text", "change_point", "children", "composite",
            "cumulative_cardinality", "cumulative_sum", "date_histogram", "date_range", "derivative",
            "diversified_sampler", "extended_stats", "extended_stats_bucket", "filter", "filters", "frequent_item_sets",
            "geo_bounds", "geo_centroid", "geo_distance", "geo_line", "geohash_grid", "geohex_grid", "geotile_grid",
            "global", "histogram", "inference", "ip_prefix", "ip_range", "matrix_stats", "max", "max_bucket",
            "median_absolute_deviation", "min", "min_bucket", "missing", "moving_fn", "moving_percentiles",
            "multi_terms", "nested", "normalize", "parent", "percentile_ranks", "percentiles", "percentiles_bucket",
            "random_sampler", "range", "rare_terms", "rate", "reverse_nested", "sampler", "scripted_metric",
            "serial_diff", "significant_terms", "significant_text", "stats", "stats_bucket", "string_stats",
            "sum", "sum_bucket", "t_test", "terms", "time_series", "top_hits", "top_metrics", "value_count",
            "variable_width_histogram", "weighted_avg"));

    private final Problems problems;

    AggregationCodec(Problems problems) {
        this.problems = problems;
    }

    /** The named aggregations of an {@code aggs} object, in body order; those with problems are left out. */
    Map<String, Aggregation> read(JsonNode node, String path) {
        var aggregations = new LinkedHashMap<String, Aggregation>();
        for (var entry : node.properties()) {
            String name = entry.getKey();
            String at = Json.field(path, name);
            var aggregation = readNamed(name, entry.getValue(), at);
            if (aggregation != null) {
                aggregations.put(name, aggregation);
            }
        }
        return aggregations;
    }

    private Aggregation readNamed(String name, JsonNode definition, String path) {
        if (name.isEmpty() || name.indexOf('[') >= 0 || name.indexOf(']') >= 0 || name.indexOf('>') >= 0) {
            problems.add(path, "Invalid aggregation name [" + name + "]. Aggregation names can contain any character "
                    + "except '[', ']', and '>'", PARSING_EXCEPTION);
            return null;
        }
        if (!definition.isObject()) {
            // Elasticsearch's own text lacks the closing bracket after the name.
            problems.add(path, "Aggregation definition for [" + name + " starts with a [" + Json.token(definition)
                    + "], expected a [START_OBJECT].", PARSING_EXCEPTION);
            return null;
        }
        int mark = problems.size();
        String type = null;
        JsonNode body = null;
        for (var entry : definition.properties()) {
            String key = entry.getKey();
            var value = entry.getValue();
            String at = Json.field(path, key);
            if (!value.isObject()) {
                problems.add(at, "Expected [START_OBJECT] under [" + key + "], but got a [" + Json.token(value)
                        + "] in [" + name + "]", PARSING_EXCEPTION);
                continue;
            }
            switch (key) {
                case "meta" -> problems.unsupported(at, "aggregation [meta]");
                case "aggs", "aggregations" -> problems.unsupported(at, "a sub-aggregation");
                default -> {
                    if (type != null) {
                        problems.add(at, "Found two aggregation type definitions in [" + name + "]: [" + type
                                + "] and [" + key + "]", PARSING_EXCEPTION);
                    } else if (!SUPPORTED.contains(key)) {
                        problems.add(at, unsupportedType(key), ELASTICSEARCH_TYPES.contains(key)
                                ? ILLEGAL_ARGUMENT_EXCEPTION : PARSING_EXCEPTION);
                        type = key;
                    } else {
                        type = key;
                        body = value;
                    }
                }
            }
        }
        if (type == null && problems.size() == mark) {
            problems.add(path, "Missing definition for aggregation [" + name + "]", PARSING_EXCEPTION);
        }
        if (body == null || problems.size() > mark) {
            return null;
        }
        return readTerms(name, new Scope(body, Json.field(path, TERMS), problems));
    }

    /**
     * Elasticsearch's text for a type it does not know, with its suggestion; for a type it knows, that rankql does
     * not run it; both name the types rankql supports.
     */
    static String unsupportedType(String type) {
        var supported = " (rankql supports " + SUPPORTED + ")";
        if (ELASTICSEARCH_TYPES.contains(type)) {
            return "the [" + type + "] aggregation is not supported by rankql" + supported;
        }
        return "Unknown aggregation type [" + type + "]" + Json.suggest(type, ELASTICSEARCH_TYPES) + supported;
    }

    private Aggregation readTerms(String name, Scope o) {
        int mark = problems.size();
        var field = o.string(FIELD);
        var size = o.integer(SIZE);
        if (size.isPresent() && size.get() < 1) {
            problems.add(o.at(SIZE), Aggregation.Terms.sizeMessage(size.get(), name), ILLEGAL_ARGUMENT_EXCEPTION);
        }
        if (!o.has(FIELD)) {
            o.later("Required one of fields [field, script], but none were specified.", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        o.rest((key, value) -> {
            if (TERMS_ELASTICSEARCH_ONLY.contains(key)) {
                problems.unsupported(o.at(key), "the terms option [" + key + "]");
            } else {
                problems.add(o.at(key), "[" + TERMS + "] unknown field [" + key + "]" + Json.suggest(key, TERMS_FIELDS),
                        X_CONTENT_PARSE_EXCEPTION);
            }
        });
        if (problems.size() > mark || field.isEmpty()) {
            return null;
        }
        return problems.build(o.path, () -> new Aggregation.Terms(Span.NONE, field.get(), size));
    }

    /** The canonical {@code aggs} object. */
    static ObjectNode write(Map<String, Aggregation> aggregations) {
        var o = JsonNodeFactory.instance.objectNode();
        aggregations.forEach((name, aggregation) -> {
            var body = o.putObject(name).putObject(aggregation.type());
            switch (aggregation) {
                case Aggregation.Terms t -> {
                    body.put(FIELD, t.field());
                    t.size().ifPresent(v -> body.put(SIZE, v));
                }
            }
        });
        return o;
    }
}
