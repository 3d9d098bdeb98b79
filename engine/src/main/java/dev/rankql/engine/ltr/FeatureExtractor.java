package dev.rankql.engine.ltr;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One named feature of an LTR model: Elasticsearch's {@code query_extractor}, or one of rankql's extractors
 * ({@code field_value}, {@code original_score}, {@code param_value}, {@code filter}).
 */
public sealed interface FeatureExtractor {

    /** The feature's name, matched to the model's inputs by name. */
    String featureName();

    /** The extractor's JSON type key. */
    default String type() {
        return switch (this) {
            case QueryExtractor q -> "query_extractor";
            case FieldValue f -> "field_value";
            case OriginalScore o -> "original_score";
            case ParamValue p -> "param_value";
            case FilterExtractor f -> "filter";
        };
    }

    /**
     * Elasticsearch's {@code query_extractor}: the score of a (templated) query, missing where it does not match.
     * {@code defaultScore} is used only when a template parameter is missing.
     */
    record QueryExtractor(String featureName, JsonNode query, float defaultScore) implements FeatureExtractor {
        public QueryExtractor {
            requireName(featureName);
            requireNonNull(query, "query");
            query = query.deepCopy();
            if (!(defaultScore >= 0)) {
                throw EngineException.illegalArgument("[query_extractor] requires defaultScore to be positive.");
            }
        }
    }

    /** rankql: the first value of a numeric field, or {@code missing} (NaN: the feature is missing). */
    record FieldValue(String featureName, String field, double missing) implements FeatureExtractor {
        public FieldValue {
            requireName(featureName);
            if (field == null || field.isBlank()) {
                throw EngineException.illegalArgument("[field_value] requires a [field]");
            }
        }
    }

    /** rankql: the document's score before this rescorer (the first-pass score when LTR comes first). */
    record OriginalScore(String featureName) implements FeatureExtractor {
        public OriginalScore {
            requireName(featureName);
        }
    }

    /** rankql: a number taken from the request's params, the same for every document; {@code missing} if absent. */
    record ParamValue(String featureName, String param, OptionalDouble missing) implements FeatureExtractor {
        public ParamValue {
            requireName(featureName);
            if (param == null || param.isBlank()) {
                throw EngineException.illegalArgument("[param_value] requires a [param]");
            }
            requireNonNull(missing, "missing");
        }
    }

    /** rankql: 1 where the (templated) query matches, else missing. */
    record FilterExtractor(String featureName, JsonNode query) implements FeatureExtractor {
        public FilterExtractor {
            requireName(featureName);
            requireNonNull(query, "query");
            query = query.deepCopy();
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw EngineException.illegalArgument("[feature_name] is required and must not be empty");
        }
    }

    /** Reads a {@code feature_extractors} list; {@code path} names it in errors. */
    static List<FeatureExtractor> parseList(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw EngineException.parsing("[" + path + "] must be an array of extractors, got " + Json.tokenName(node));
        }
        var result = new ArrayList<FeatureExtractor>();
        var names = new HashSet<String>();
        for (int i = 0; i < node.size(); i++) {
            var extractor = parse(node.get(i), path + "[" + i + "]");
            if (!names.add(extractor.featureName())) {
                throw EngineException.illegalArgument("[feature_extractors] contains duplicate [feature_name] values");
            }
            result.add(extractor);
        }
        return List.copyOf(result);
    }

    /** Reads one {@code {"<type>": {...}}} extractor. */
    static FeatureExtractor parse(JsonNode node, String path) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw EngineException.parsing("[" + path + "] must be an object with exactly one extractor type, such as "
                    + "[query_extractor]");
        }
        var type = node.propertyNames().iterator().next();
        var body = node.get(type);
        if (!body.isObject()) {
            throw EngineException.parsing("[" + path + "." + type + "] must be an object, got " + Json.tokenName(body));
        }
        var where = path + "." + type;
        return switch (type) {
            case "query_extractor" -> {
                allowOnly(body, where, "feature_name", "query", "default_score");
                float defaultScore = body.has("default_score") ? (float) number(body, "default_score", where) : 0f;
                yield new QueryExtractor(string(body, "feature_name", where), object(body, "query", where), defaultScore);
            }
            case "field_value" -> {
                allowOnly(body, where, "feature_name", "field", "missing");
                double missing = body.has("missing") ? number(body, "missing", where) : Double.NaN;
                yield new FieldValue(string(body, "feature_name", where), string(body, "field", where), missing);
            }
            case "original_score" -> {
                allowOnly(body, where, "feature_name");
                yield new OriginalScore(string(body, "feature_name", where));
            }
            case "param_value" -> {
                allowOnly(body, where, "feature_name", "param", "missing");
                var missing = body.has("missing") ? OptionalDouble.of(number(body, "missing", where)) : OptionalDouble.empty();
                yield new ParamValue(string(body, "feature_name", where), string(body, "param", where), missing);
            }
            case "filter" -> {
                allowOnly(body, where, "feature_name", "query");
                yield new FilterExtractor(string(body, "feature_name", where), object(body, "query", where));
            }
            default -> throw EngineException.parsing("[" + path + "] unknown feature extractor type [" + type
                    + "]: expected query_extractor, field_value, original_score, param_value or filter");
        };
    }

    /** The extractor as it is deployed: {@code {"<type>": {...}}}. */
    default ObjectNode toJson() {
        var node = Json.object();
        var body = node.putObject(type());
        body.put("feature_name", featureName());
        switch (this) {
            case QueryExtractor q -> {
                body.set("query", q.query().deepCopy());
                if (q.defaultScore() > 0) {
                    body.put("default_score", q.defaultScore());
                }
            }
            case FieldValue f -> {
                body.put("field", f.field());
                if (!Double.isNaN(f.missing())) {
                    body.put("missing", f.missing());
                }
            }
            case OriginalScore o -> { }
            case ParamValue p -> {
                body.put("param", p.param());
                p.missing().ifPresent(m -> body.put("missing", m));
            }
            case FilterExtractor f -> body.set("query", f.query().deepCopy());
        }
        return node;
    }

    private static void allowOnly(JsonNode body, String where, String... allowed) {
        for (var key : body.propertyNames()) {
            if (!List.of(allowed).contains(key)) {
                throw EngineException.parsing("[" + where + "] unknown field [" + key + "]");
            }
        }
    }

    private static String string(JsonNode body, String field, String where) {
        var value = body.get(field);
        if (value == null || value.isNull()) {
            throw EngineException.parsing("[" + where + "] requires [" + field + "]");
        }
        if (!value.isString()) {
            throw EngineException.parsing("[" + where + "." + field + "] must be a string, got " + Json.tokenName(value));
        }
        return value.asString();
    }

    private static double number(JsonNode body, String field, String where) {
        var value = body.get(field);
        if (value == null || !value.isNumber()) {
            throw EngineException.parsing("[" + where + "." + field + "] must be a number, got "
                    + (value == null ? "nothing" : Json.tokenName(value)));
        }
        return value.doubleValue();
    }

    private static JsonNode object(JsonNode body, String field, String where) {
        var value = body.get(field);
        if (value == null || !value.isObject()) {
            throw EngineException.parsing("[" + where + "] requires [" + field + "] to be a query object");
        }
        return value;
    }
}
