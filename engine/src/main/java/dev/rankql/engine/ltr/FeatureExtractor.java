package dev.rankql.engine.ltr;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.models.embedding.TextEmbedder;
import dev.rankql.models.embedding.TextEmbedders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One named feature of an LTR model: Elasticsearch's {@code query_extractor}, or one of rankql's extractors
 * ({@code field_value}, {@code original_score}, {@code param_value}, {@code filter}, {@code term_stats},
 * {@code proximity}, {@code field_length}, {@code feedback}, {@code vector_similarity}, {@code window_stat}).
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
            case TermStats t -> "term_stats";
            case Proximity p -> "proximity";
            case FieldLength f -> "field_length";
            case Feedback f -> "feedback";
            case VectorSimilarity v -> "vector_similarity";
            case WindowStat w -> "window_stat";
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

    /**
     * rankql: a statistic of the query's terms in some text fields, aggregated over the terms. {@code terms} (a string,
     * usually the template {@code "{{query_text}}"}) is analysed with each field's search analyzer; every distinct
     * (field, term) pair is one term. Missing when the text has no term; with {@code over: matched}, also when the
     * document contains none of them.
     */
    record TermStats(String featureName, List<String> fields, JsonNode terms, TermStat stat, TermAggregation aggregation,
            TermSelection over) implements FeatureExtractor {
        public TermStats {
            requireName(featureName);
            fields = requireFields(fields, "term_stats");
            requireTerms(terms, "term_stats");
            terms = terms.deepCopy();
            requireNonNull(stat, "stat");
            requireNonNull(aggregation, "aggregation");
            requireNonNull(over, "over");
        }
    }

    /**
     * rankql: where and how close together the query's terms occur in one text field (from the indexed positions).
     * Missing when the text has no term or the document contains none of them.
     */
    record Proximity(String featureName, String field, JsonNode terms, ProximityStat stat, int distance)
            implements FeatureExtractor {
        public Proximity {
            requireName(featureName);
            requireFields(List.of(field == null ? "" : field), "proximity");
            requireTerms(terms, "proximity");
            terms = terms.deepCopy();
            requireNonNull(stat, "stat");
            if (distance < 1) {
                throw EngineException.illegalArgument("[proximity] requires [distance] to be at least 1, got [" + distance + "]");
            }
        }
    }

    /** rankql: the number of indexed positions of a text field (from its norms, exact up to 40, then within 1/8). */
    record FieldLength(String featureName, String field) implements FeatureExtractor {
        public FieldLength {
            requireName(featureName);
            requireFields(List.of(field == null ? "" : field), "field_length");
        }
    }

    /**
     * rankql: pseudo-relevance feedback (RM3). The query's terms in one text field are expanded with the
     * {@code expansionTerms} most probable terms of the {@code docs} window documents that scored highest before this
     * rescorer, and the feature is the BM25 score of that weighted query; missing where the document has none of them.
     * A term found in more than {@code maxDocFraction} of the field's documents is never an expansion term.
     */
    record Feedback(String featureName, String field, JsonNode terms, int docs, int expansionTerms, double originalWeight,
            double maxDocFraction) implements FeatureExtractor {
        public Feedback {
            requireName(featureName);
            requireFields(List.of(field == null ? "" : field), "feedback");
            requireTerms(terms, "feedback");
            terms = terms.deepCopy();
            if (docs < 1) {
                throw EngineException.illegalArgument("[feedback] requires [docs] to be at least 1, got [" + docs + "]");
            }
            if (expansionTerms < 0 || expansionTerms > 1000) {
                throw EngineException.illegalArgument("[feedback] requires [expansion_terms] between 0 and 1000, got ["
                        + expansionTerms + "]");
            }
            if (!(originalWeight >= 0 && originalWeight <= 1)) {
                throw EngineException.illegalArgument("[feedback] requires [original_weight] between 0 and 1, got ["
                        + originalWeight + "]");
            }
            if (!(maxDocFraction > 0 && maxDocFraction <= 1)) {
                throw EngineException.illegalArgument("[feedback] requires [max_doc_fraction] above 0 and at most 1, got ["
                        + maxDocFraction + "]");
            }
        }
    }

    /**
     * rankql: Elasticsearch's knn score of a document's {@code dense_vector} field against a query vector (the value a
     * knn search would score the document with, e.g. {@code (1 + cos) / 2} for cosine), missing when the document has
     * no vector. The query vector is {@link GivenVector given} (an array of numbers, or a request parameter holding
     * one) or {@link TextEmbedding embedded} from a text by a model on the class path, as Elasticsearch's
     * {@code query_vector_builder} does for knn.
     */
    record VectorSimilarity(String featureName, String field, QueryVector queryVector) implements FeatureExtractor {
        public VectorSimilarity {
            requireName(featureName);
            requireFields(List.of(field == null ? "" : field), "vector_similarity");
            requireNonNull(queryVector, "queryVector");
        }

        /** The parameter named by {@code "{{name}}"}, if the query vector is such a reference. */
        public static java.util.Optional<String> parameterName(JsonNode queryVector) {
            if (!queryVector.isString()) {
                return java.util.Optional.empty();
            }
            var text = queryVector.asString().strip();
            if (text.startsWith("{{") && text.endsWith("}}") && text.length() > 4) {
                var name = text.substring(2, text.length() - 2).strip();
                if (!name.isEmpty() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
                    return java.util.Optional.of(name);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** Where a {@code vector_similarity} feature's query vector comes from. */
    sealed interface QueryVector permits GivenVector, TextEmbedding {}

    /**
     * {@code "query_vector"}: an array of numbers, or {@code "{{name}}"}, the request parameter {@code name} holding one
     * (missing for every document when the parameter is absent).
     */
    record GivenVector(JsonNode vector) implements QueryVector {
        public GivenVector {
            requireNonNull(vector, "vector");
            if (!vector.isArray() && VectorSimilarity.parameterName(vector).isEmpty()) {
                throw EngineException.illegalArgument("[vector_similarity] requires [query_vector] to be an array of numbers "
                        + "or a parameter reference such as \"{{query_vector}}\"");
            }
            if (vector.isArray()) {
                for (var element : vector) {
                    if (!element.isNumber()) {
                        throw EngineException.illegalArgument("[vector_similarity] [query_vector] must contain only numbers, got "
                                + Json.tokenName(element));
                    }
                }
            }
            vector = vector.deepCopy();
        }
    }

    /**
     * {@code "query_vector_builder": {"text_embedding": {"model_id": ..., "model_text": ...}}}: the vector of
     * {@code modelText} (a string, usually the template {@code "{{query_text}}"}) as a query of the text embedding model
     * {@code modelId}, computed once per search (missing for every document when a template parameter is absent).
     */
    record TextEmbedding(String modelId, JsonNode modelText) implements QueryVector {
        public TextEmbedding {
            requireNonNull(modelId, "modelId");
            requireNonNull(modelText, "modelText");
            if (modelId.isBlank()) {
                throw EngineException.illegalArgument("[text_embedding] requires a non-empty [model_id]");
            }
            if (!modelText.isString()) {
                throw EngineException.illegalArgument("[text_embedding] [model_text] must be a string, got "
                        + Json.tokenName(modelText));
            }
        }

        /** The embedder of {@link #modelId}, or the error naming {@code featureName} and the models there are. */
        public TextEmbedder embedder(String featureName) {
            return TextEmbedders.named(modelId).orElseThrow(() -> EngineException.illegalArgument(
                    "[vector_similarity] feature [" + featureName + "]: no text embedding model [" + modelId
                            + "]; the models available are " + TextEmbedders.names()));
        }

        /** Refuses, with {@link #embedder}'s error, a model no provider on the class path offers, without opening it. */
        public void checkEmbedder(String featureName) {
            if (!TextEmbedders.exists(modelId)) {
                embedder(featureName);
            }
        }
    }

    /**
     * rankql: a statistic of another feature, named by {@code feature} and listed before this one, over the documents
     * of the rescore window where that feature is present. {@code max}, {@code min}, {@code mean} and {@code count}
     * describe the window (the same value for every document; the first three missing when no document has the
     * feature); {@code ratio_to_max} and {@code gap_to_max} compare the document's own value with the window's
     * maximum. Window statistics never make a document count as having features: a document whose other features are
     * all missing keeps its previous score.
     */
    record WindowStat(String featureName, String feature, WindowStatistic stat) implements FeatureExtractor {
        public WindowStat {
            requireName(featureName);
            if (feature == null || feature.isBlank()) {
                throw EngineException.illegalArgument("[window_stat] requires a [feature]");
            }
            requireNonNull(stat, "stat");
        }
    }

    /** What {@link WindowStat} computes from the window's values of its feature. */
    enum WindowStatistic {
        /** The largest value in the window. */
        MAX,
        /** The smallest value in the window. */
        MIN,
        /** The mean of the values in the window. */
        MEAN,
        /** How many window documents have the feature (0 when none has). */
        COUNT,
        /**
         * The document's value divided by the window's maximum; missing when either is missing or the maximum is not
         * positive.
         */
        RATIO_TO_MAX,
        /** The window's maximum minus the document's value (0 for the best document); missing where the value is. */
        GAP_TO_MAX;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@link TermStats} measures for one query term. */
    enum TermStat {
        /** 1 for every term: sums count terms, {@code coverage} is the fraction of the terms matched. */
        UNIT,
        /** The number of documents with the term in the field. */
        DF,
        /** BM25's idf, {@code ln(1 + (N − df + 0.5) / (df + 0.5))} with N the documents that have the field. */
        IDF,
        /** The term's frequency in the document's field (0 when absent). */
        TF,
        /** {@code tf × idf}. */
        TF_IDF;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How {@link TermStats} combines its terms' values. */
    enum TermAggregation {
        SUM, MEAN, MAX, MIN,
        /** The sum over the terms the document contains divided by the sum over all terms (0 when that is 0). */
        COVERAGE;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which terms {@link TermStats} aggregates. */
    enum TermSelection {
        /** Only the terms the document contains. */
        MATCHED,
        /** Every query term, whether the document contains it or not. */
        ALL;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@link Proximity} measures. */
    enum ProximityStat {
        /** The position (from 0) of the first occurrence of any query term. */
        FIRST_POSITION,
        /** The length in positions of the shortest span that contains every distinct query term the document has. */
        MIN_WINDOW,
        /** The distinct query terms the document has divided by {@code min_window}: 1 when they sit side by side. */
        DENSITY,
        /** Pairs of occurrences of two different query terms at most {@code distance} positions apart. */
        CLOSE_PAIRS;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static List<String> requireFields(List<String> fields, String type) {
        if (fields == null || fields.isEmpty()) {
            throw EngineException.illegalArgument("[" + type + "] requires at least one field in [fields]");
        }
        for (var field : fields) {
            if (field == null || field.isBlank()) {
                throw EngineException.illegalArgument("[" + type + "] requires field names that are not empty");
            }
        }
        return List.copyOf(fields);
    }

    private static void requireTerms(JsonNode terms, String type) {
        if (terms == null || !terms.isString()) {
            throw EngineException.illegalArgument("[" + type + "] requires [terms] to be a string (for example "
                    + "\"{{query_text}}\")");
        }
    }

    private static <E extends Enum<E>> E option(JsonNode body, String field, String where, E fallback, E[] values) {
        var value = body.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw EngineException.parsing("[" + where + "] requires [" + field + "]");
            }
            return fallback;
        }
        var names = java.util.Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList();
        if (value.isString() && names.contains(value.asString())) {
            return values[names.indexOf(value.asString())];
        }
        throw EngineException.parsing("[" + where + "." + field + "] must be one of " + names + ", got "
                + (value.isString() ? "[" + value.asString() + "]" : Json.tokenName(value)));
    }

    private static List<String> fieldList(JsonNode body, String where) {
        var value = body.get("fields");
        if (value == null || !value.isArray()) {
            throw EngineException.parsing("[" + where + "] requires [fields] to be an array of field names");
        }
        var fields = new ArrayList<String>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw EngineException.parsing("[" + where + ".fields[" + i + "]] must be a string, got "
                        + Json.tokenName(value.get(i)));
            }
            fields.add(value.get(i).asString());
        }
        return fields;
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
            if (extractor instanceof WindowStat w && !names.contains(w.feature())) {
                throw EngineException.illegalArgument("[" + path + "[" + i + "].window_stat] feature [" + w.featureName()
                        + "] needs [feature] to name an extractor listed before it, got [" + w.feature() + "]");
            }
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
            case "term_stats" -> {
                allowOnly(body, where, "feature_name", "fields", "terms", "stat", "aggr", "over");
                yield new TermStats(string(body, "feature_name", where), fieldList(body, where), terms(body, where),
                        option(body, "stat", where, null, TermStat.values()),
                        option(body, "aggr", where, null, TermAggregation.values()),
                        option(body, "over", where, TermSelection.MATCHED, TermSelection.values()));
            }
            case "proximity" -> {
                allowOnly(body, where, "feature_name", "field", "terms", "stat", "distance");
                int distance = body.has("distance") ? (int) number(body, "distance", where) : 1;
                yield new Proximity(string(body, "feature_name", where), string(body, "field", where), terms(body, where),
                        option(body, "stat", where, null, ProximityStat.values()), distance);
            }
            case "field_length" -> {
                allowOnly(body, where, "feature_name", "field");
                yield new FieldLength(string(body, "feature_name", where), string(body, "field", where));
            }
            case "feedback" -> {
                allowOnly(body, where, "feature_name", "field", "terms", "docs", "expansion_terms", "original_weight",
                        "max_doc_fraction");
                yield new Feedback(string(body, "feature_name", where), string(body, "field", where), terms(body, where),
                        body.has("docs") ? integer(body, "docs", where) : 10,
                        body.has("expansion_terms") ? integer(body, "expansion_terms", where) : 10,
                        body.has("original_weight") ? number(body, "original_weight", where) : 0.5,
                        body.has("max_doc_fraction") ? number(body, "max_doc_fraction", where) : 1.0);
            }
            case "vector_similarity" -> {
                allowOnly(body, where, "feature_name", "field", "query_vector", "query_vector_builder");
                var vector = body.get("query_vector");
                var builder = body.get("query_vector_builder");
                if (vector == null && builder == null) {
                    throw EngineException.parsing("[" + where + "] either [query_vector] or [query_vector_builder] must be "
                            + "provided");
                }
                if (vector != null && builder != null) {
                    throw EngineException.parsing("[" + where + "] cannot provide both [query_vector] and "
                            + "[query_vector_builder]");
                }
                yield new VectorSimilarity(string(body, "feature_name", where), string(body, "field", where),
                        vector != null ? new GivenVector(vector) : textEmbedding(builder, where + ".query_vector_builder"));
            }
            case "window_stat" -> {
                allowOnly(body, where, "feature_name", "feature", "stat");
                yield new WindowStat(string(body, "feature_name", where), string(body, "feature", where),
                        option(body, "stat", where, null, WindowStatistic.values()));
            }
            default -> throw EngineException.parsing("[" + path + "] unknown feature extractor type [" + type
                    + "]: expected query_extractor, field_value, original_score, param_value, filter, term_stats, "
                    + "proximity, field_length, feedback, vector_similarity or window_stat");
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
            case TermStats t -> {
                var fields = body.putArray("fields");
                t.fields().forEach(fields::add);
                body.set("terms", t.terms().deepCopy());
                body.put("stat", t.stat().key());
                body.put("aggr", t.aggregation().key());
                body.put("over", t.over().key());
            }
            case Proximity p -> {
                body.put("field", p.field());
                body.set("terms", p.terms().deepCopy());
                body.put("stat", p.stat().key());
                if (p.stat() == ProximityStat.CLOSE_PAIRS) {
                    body.put("distance", p.distance());
                }
            }
            case FieldLength f -> body.put("field", f.field());
            case Feedback f -> {
                body.put("field", f.field());
                body.set("terms", f.terms().deepCopy());
                body.put("docs", f.docs());
                body.put("expansion_terms", f.expansionTerms());
                body.put("original_weight", f.originalWeight());
                body.put("max_doc_fraction", f.maxDocFraction());
            }
            case VectorSimilarity v -> {
                body.put("field", v.field());
                switch (v.queryVector()) {
                    case GivenVector g -> body.set("query_vector", g.vector().deepCopy());
                    case TextEmbedding t -> {
                        var embedding = body.putObject("query_vector_builder").putObject("text_embedding");
                        embedding.put("model_id", t.modelId());
                        embedding.set("model_text", t.modelText().deepCopy());
                    }
                }
            }
            case WindowStat w -> {
                body.put("feature", w.feature());
                body.put("stat", w.stat().key());
            }
        }
        return node;
    }

    /** Reads {@code {"text_embedding": {"model_id": ..., "model_text": ...}}}, the only query vector builder. */
    private static TextEmbedding textEmbedding(JsonNode builder, String where) {
        if (!builder.isObject() || builder.size() != 1 || !builder.has("text_embedding")) {
            throw EngineException.parsing("[" + where + "] must be an object with exactly one builder, [text_embedding]");
        }
        var body = builder.get("text_embedding");
        var at = where + ".text_embedding";
        if (!body.isObject()) {
            throw EngineException.parsing("[" + at + "] must be an object, got " + Json.tokenName(body));
        }
        allowOnly(body, at, "model_id", "model_text");
        var text = body.get("model_text");
        if (text == null) {
            throw EngineException.parsing("[" + at + "] requires [model_text]");
        }
        return new TextEmbedding(string(body, "model_id", at), text);
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

    private static int integer(JsonNode body, String field, String where) {
        double value = number(body, field, where);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw EngineException.parsing("[" + where + "." + field + "] must be an integer, got [" + value + "]");
        }
        return (int) value;
    }

    private static JsonNode terms(JsonNode body, String where) {
        var value = body.get("terms");
        if (value == null || !value.isString()) {
            throw EngineException.parsing("[" + where + "] requires [terms] to be a string such as \"{{query_text}}\", got "
                    + (value == null ? "nothing" : Json.tokenName(value)));
        }
        return value;
    }

    private static JsonNode object(JsonNode body, String field, String where) {
        var value = body.get(field);
        if (value == null || !value.isObject()) {
            throw EngineException.parsing("[" + where + "] requires [" + field + "] to be a query object");
        }
        return value;
    }
}
