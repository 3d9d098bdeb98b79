package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.eval.RequestTemplate;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's {@code _rank_eval} API: reads the request body (rated requests, templates, one metric), runs every
 * request for the metric's {@code k} hits, and writes the response with the overall {@code metric_score}, per-request
 * {@code details} (score, {@code unrated_docs}, rated hits, {@code metric_details}) and {@code failures}.
 *
 * <p>Malformed bodies fail as a whole with Elasticsearch's messages and the JSON path of the problem (an
 * {@link EngineException} with status 400); a request that fails to render or to run is reported under
 * {@code failures} and the others are still evaluated, as in Elasticsearch.
 */
public final class RankEval {

    private static final Set<String> TOP_LEVEL = Set.of("requests", "metric", "templates", "max_concurrent_searches");
    private static final Set<String> REQUEST_FIELDS =
            Set.of("id", "request", "ratings", "params", "template_id", "summary_fields");
    private static final Set<String> RATING_FIELDS = Set.of("_index", "_id", "rating");
    private static final List<String> METRICS =
            List.of("precision", "recall", "mean_reciprocal_rank", "dcg", "expected_reciprocal_rank");

    /** One rated request as read from the body. */
    private record Rated(String id, Optional<SearchRequest> request, Optional<String> templateId,
            Map<String, Object> params, Map<String, Integer> ratings, List<String> summaryFields) {}

    private RankEval() {}

    /**
     * Evaluates {@code body} on {@code index}.
     *
     * @param search runs a request on the index with the given size (Elasticsearch forces the metric's k)
     * @throws EngineException (400) when the body is malformed, with the JSON path in the error's {@code path}
     */
    public static ObjectNode evaluate(String index, JsonNode body,
            BiFunction<SearchRequest, Integer, SearchResponse> search) {
        requireNonNull(index, "index");
        requireNonNull(search, "search");
        if (body == null || !body.isObject()) {
            throw error("parsing_exception", "", "request body is required to be an object");
        }
        for (String field : body.propertyNames()) {
            if (!TOP_LEVEL.contains(field)) {
                throw error("x_content_parse_exception", field, "[rank_eval] unknown field [" + field + "]");
            }
        }
        if (!body.has("requests")) {
            throw error("x_content_parse_exception", "requests", "Required [requests]");
        }
        if (!body.has("metric")) {
            throw error("x_content_parse_exception", "metric", "Required [metric]");
        }
        RankEvalMetric metric = metric(body.get("metric"));
        Map<String, RequestTemplate> templates = templates(body.get("templates"));
        if (body.has("max_concurrent_searches") && !body.get("max_concurrent_searches").isInt()) {
            throw error("x_content_parse_exception", "max_concurrent_searches",
                    "[rank_eval] failed to parse field [max_concurrent_searches]");
        }
        JsonNode requests = body.get("requests");
        if (!requests.isArray()) {
            throw error("x_content_parse_exception", "requests", "[rank_eval] requests doesn't support values of type: "
                    + Json.tokenName(requests));
        }
        if (requests.isEmpty()) {
            throw error("illegal_argument_exception", "requests",
                    "Cannot evaluate ranking if no search requests with rated results are provided. Seen: []");
        }
        List<Rated> rated = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Rated request = rated(requests.get(i), "requests[" + i + "]", index);
            if (request.request().isEmpty() && templates.isEmpty()) {
                throw error("illegal_argument_exception", "requests[" + i + "]",
                        "Cannot evaluate ranking if neither template nor evaluation request is provided. Seen for "
                                + "request id: " + request.id());
            }
            if (!ids.add(request.id())) {
                throw error("illegal_argument_exception", "requests[" + i + "].id",
                        "duplicate request id [" + request.id() + "]");
            }
            rated.add(request);
        }

        Map<String, QueryQuality> details = new LinkedHashMap<>();
        Map<String, ObjectNode> hitsJson = new LinkedHashMap<>();
        Map<String, EngineException> failures = new LinkedHashMap<>();
        for (Rated request : rated) {
            try {
                SearchRequest searchRequest = request.request().orElseGet(() -> render(request, templates));
                SearchResponse response = search.apply(searchRequest, metric.k());
                List<String> ranked = response.hits().stream().map(SearchResponse.Hit::id).toList();
                QueryQuality quality = metric.evaluate(ranked, request.ratings());
                details.put(request.id(), quality);
                hitsJson.put(request.id(), detail(index, request, quality, response));
            } catch (EngineException e) {
                failures.put(request.id(), e);
            } catch (IllegalArgumentException e) {
                failures.put(request.id(), EngineException.illegalArgument(e.getMessage()));
            }
        }
        ObjectNode response = Json.object();
        response.put("metric_score", details.isEmpty() ? 0 : RankEvalMetric.combine(List.copyOf(details.values())));
        ObjectNode detailsNode = response.putObject("details");
        hitsJson.forEach(detailsNode::set);
        ObjectNode failuresNode = response.putObject("failures");
        failures.forEach((id, e) -> {
            ObjectNode failure = failuresNode.putObject(id);
            JsonNode error = e.toJson().get("error").deepCopy();
            failure.set("error", error);
        });
        return response;
    }

    private static SearchRequest render(Rated request, Map<String, RequestTemplate> templates) {
        String templateId = request.templateId().orElseThrow();
        RequestTemplate template = templates.get(templateId);
        if (template == null) {
            throw EngineException.illegalArgument("no template with id [" + templateId + "] for request ["
                    + request.id() + "]; the templates are " + templates.keySet());
        }
        SearchRequest searchRequest = template.render(request.params(), "request [" + request.id() + "]");
        checkEvaluable(searchRequest, "requests");
        return searchRequest;
    }

    private static ObjectNode detail(String index, Rated request, QueryQuality quality, SearchResponse response) {
        ObjectNode node = Json.object();
        node.put("metric_score", quality.metricScore());
        var unrated = node.putArray("unrated_docs");
        for (String docId : quality.unratedDocs()) {
            ObjectNode key = unrated.addObject();
            key.put("_index", index);
            key.put("_id", docId);
        }
        var hits = node.putArray("hits");
        for (int i = 0; i < quality.hits().size(); i++) {
            RatedHit rated = quality.hits().get(i);
            SearchResponse.Hit hit = response.hits().get(i);
            ObjectNode entry = hits.addObject();
            ObjectNode hitNode = entry.putObject("hit");
            hitNode.put("_index", index);
            hitNode.put("_id", hit.id());
            hit.score().ifPresentOrElse(score -> hitNode.put("_score", score), () -> hitNode.putNull("_score"));
            if (!request.summaryFields().isEmpty() && hit.source().isPresent()) {
                ObjectNode source = hitNode.putObject("_source");
                for (String field : request.summaryFields()) {
                    JsonNode value = hit.source().get().get(field);
                    if (value != null) {
                        source.set(field, value);
                    }
                }
            }
            if (rated.rating().isPresent()) {
                entry.put("rating", rated.rating().get());
            } else {
                entry.putNull("rating");
            }
        }
        ObjectNode details = node.putObject("metric_details");
        ObjectNode metricDetails = details.putObject(metricName(quality.metricDetails()));
        switch (quality.metricDetails()) {
            case MetricDetail.Precision p -> {
                metricDetails.put("relevant_docs_retrieved", p.relevantDocsRetrieved());
                metricDetails.put("docs_retrieved", p.docsRetrieved());
            }
            case MetricDetail.Recall r -> {
                metricDetails.put("relevant_docs_retrieved", r.relevantDocsRetrieved());
                metricDetails.put("relevant_docs", r.relevantDocs());
            }
            case MetricDetail.ReciprocalRank r -> metricDetails.put("first_relevant", r.firstRelevant());
            case MetricDetail.Dcg d -> {
                metricDetails.put("dcg", d.dcg());
                if (d.idealDcg() != 0) {
                    metricDetails.put("ideal_dcg", d.idealDcg());
                    metricDetails.put("normalized_dcg", d.normalizedDcg());
                }
                metricDetails.put("unrated_docs", d.unratedDocs());
            }
            case MetricDetail.ExpectedReciprocalRank e -> metricDetails.put("unrated_docs", e.unratedDocs());
        }
        return node;
    }

    private static String metricName(MetricDetail detail) {
        return switch (detail) {
            case MetricDetail.Precision p -> "precision";
            case MetricDetail.Recall r -> "recall";
            case MetricDetail.ReciprocalRank r -> "mean_reciprocal_rank";
            case MetricDetail.Dcg d -> "dcg";
            case MetricDetail.ExpectedReciprocalRank e -> "expected_reciprocal_rank";
        };
    }

    private static Rated rated(JsonNode node, String path, String index) {
        if (!node.isObject()) {
            throw error("x_content_parse_exception", path, "[request] expected an object, found "
                    + Json.tokenName(node));
        }
        for (String field : node.propertyNames()) {
            if (!REQUEST_FIELDS.contains(field)) {
                throw error("x_content_parse_exception", path + "." + field, "[request] unknown field [" + field + "]");
            }
        }
        if (!node.has("id")) {
            throw error("x_content_parse_exception", path, "Required [id]");
        }
        if (!node.has("ratings")) {
            throw error("x_content_parse_exception", path, "Required [ratings]");
        }
        String id = string(node.get("id"), path + ".id");
        Optional<SearchRequest> request = Optional.empty();
        if (node.has("request")) {
            JsonNode body = node.get("request");
            if (!body.isObject()) {
                throw error("x_content_parse_exception", path + ".request",
                        "[request] request doesn't support values of type: " + Json.tokenName(body));
            }
            try {
                request = Optional.of(EsJson.parseSearch(Json.write(body)));
            } catch (InvalidRequestException e) {
                var first = e.diagnostics().getFirst();
                String inner = first.path().isEmpty() ? "" : "." + first.path();
                throw error(first.type(), path + ".request" + inner, first.message());
            }
            checkEvaluable(request.get(), path + ".request");
        }
        Map<String, Object> params = Map.of();
        if (node.has("params")) {
            JsonNode paramsNode = node.get("params");
            if (!paramsNode.isObject()) {
                throw error("x_content_parse_exception", path + ".params",
                        "[request] params doesn't support values of type: " + Json.tokenName(paramsNode));
            }
            params = plainMap(paramsNode);
        }
        Optional<String> templateId = node.has("template_id")
                ? Optional.of(string(node.get("template_id"), path + ".template_id")) : Optional.empty();
        if (request.isPresent() && (!params.isEmpty() || templateId.isPresent())) {
            throw error("illegal_argument_exception", path, "Ambiguous rated request: Set both, verbatim test request "
                    + "and test request template parameters.");
        }
        if (request.isEmpty() && params.isEmpty()) {
            throw error("illegal_argument_exception", path,
                    "Need to set at least test request or test request template parameters.");
        }
        if (!params.isEmpty() && templateId.isEmpty()) {
            throw error("illegal_argument_exception", path,
                    "If template parameters are supplied need to set id of template to apply them to too.");
        }
        List<String> summaryFields = new ArrayList<>();
        if (node.has("summary_fields")) {
            JsonNode fields = node.get("summary_fields");
            if (!fields.isArray()) {
                throw error("x_content_parse_exception", path + ".summary_fields",
                        "[request] summary_fields doesn't support values of type: " + Json.tokenName(fields));
            }
            for (int i = 0; i < fields.size(); i++) {
                summaryFields.add(string(fields.get(i), path + ".summary_fields[" + i + "]"));
            }
        }
        return new Rated(id, request, templateId, params, ratings(node.get("ratings"), path + ".ratings", id, index),
                summaryFields);
    }

    /**
     * The ratings by document id. A rating of a document of another index can never match a hit of this index, but
     * Elasticsearch still counts it among the query's relevant documents (recall, the ideal DCG), so it is kept under
     * a key no document id can equal.
     */
    private static Map<String, Integer> ratings(JsonNode node, String path, String id, String index) {
        if (!node.isArray()) {
            throw error("x_content_parse_exception", path, "[request] ratings doesn't support values of type: "
                    + Json.tokenName(node));
        }
        Map<String, Integer> ratings = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode rating = node.get(i);
            if (!rating.isObject()) {
                throw error("x_content_parse_exception", at, "[rated_document] expected an object, found "
                        + Json.tokenName(rating));
            }
            for (String field : rating.propertyNames()) {
                if (!RATING_FIELDS.contains(field)) {
                    throw error("x_content_parse_exception", at + "." + field,
                            "[rated_document] unknown field [" + field + "]");
                }
            }
            for (String field : List.of("_index", "_id", "rating")) {
                if (!rating.has(field)) {
                    throw error("x_content_parse_exception", at, "Required [" + field + "]");
                }
            }
            String docIndex = string(rating.get("_index"), at + "._index");
            String docId = string(rating.get("_id"), at + "._id");
            if (docIndex.isEmpty()) {
                throw error("illegal_argument_exception", at + "._index", "Index must be set for each rated document");
            }
            if (docId.isEmpty()) {
                throw error("illegal_argument_exception", at + "._id", "DocId must be set for each rated document");
            }
            int value = integer(rating.get("rating"), at + ".rating", "rated_document", "rating");
            String key = docIndex.equals(index) ? docId : "\u0000" + docIndex + "\u0000" + docId;
            if (ratings.put(key, value) != null) {
                throw error("illegal_argument_exception", at, "Found duplicate rated document key [{\"_index\":\""
                        + docIndex + "\",\"_id\":\"" + docId + "\"}] in evaluation request [" + id + "]");
            }
        }
        return ratings;
    }

    private static Map<String, RequestTemplate> templates(JsonNode node) {
        Map<String, RequestTemplate> templates = new LinkedHashMap<>();
        if (node == null) {
            return templates;
        }
        if (!node.isArray()) {
            throw error("x_content_parse_exception", "templates", "[rank_eval] templates doesn't support values of type: "
                    + Json.tokenName(node));
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "templates[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                throw error("x_content_parse_exception", path, "[script_with_id] expected an object, found "
                        + Json.tokenName(entry));
            }
            for (String field : entry.propertyNames()) {
                if (!field.equals("id") && !field.equals("template")) {
                    throw error("x_content_parse_exception", path + "." + field,
                            "[script_with_id] unknown field [" + field + "]");
                }
            }
            if (!entry.has("id") || !entry.has("template")) {
                throw error("x_content_parse_exception", path, "Required [" + (entry.has("id") ? "template" : "id")
                        + "]");
            }
            String id = string(entry.get("id"), path + ".id");
            JsonNode template = entry.get("template");
            JsonNode source = template.isObject() ? template.get("source") : template;
            if (template.isObject()) {
                for (String field : template.propertyNames()) {
                    if (!Set.of("source", "lang", "params", "options").contains(field)) {
                        throw error("x_content_parse_exception", path + ".template." + field,
                                "[script] unknown field [" + field + "]");
                    }
                }
                if (template.has("lang") && !template.get("lang").asString("").equals("mustache")) {
                    throw error("illegal_argument_exception", path + ".template.lang",
                            "only mustache templates are supported, found lang [" + template.get("lang").asString("")
                                    + "]");
                }
            }
            if (source == null || !(source.isObject() || source.isString())) {
                throw error("x_content_parse_exception", path + ".template", "must specify <source> for a script");
            }
            String text = source.isString() ? source.asString() : Json.write(source);
            try {
                if (templates.put(id, RequestTemplate.compile(text, path + ".template.source")) != null) {
                    throw error("illegal_argument_exception", path + ".id", "duplicate template id [" + id + "]");
                }
            } catch (IllegalArgumentException e) {
                throw error("illegal_argument_exception", path + ".template.source", e.getMessage());
            }
        }
        return templates;
    }

    /** The metric object: exactly one of Elasticsearch's metric names, with its parameters. */
    static RankEvalMetric metric(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            throw error("parsing_exception", "metric", "[metric] must be an object with exactly one metric, one of "
                    + METRICS);
        }
        String name = node.propertyNames().iterator().next();
        String path = "metric." + name;
        JsonNode params = node.get(name);
        if (!METRICS.contains(name)) {
            throw error("parsing_exception", path, "unknown metric [" + name + "], expected one of " + METRICS);
        }
        if (!params.isObject()) {
            throw error("x_content_parse_exception", path, "[" + name + "] expected an object, found "
                    + Json.tokenName(params));
        }
        Set<String> allowed = switch (name) {
            case "precision" -> Set.of("k", "relevant_rating_threshold", "ignore_unlabeled");
            case "recall", "mean_reciprocal_rank" -> Set.of("k", "relevant_rating_threshold");
            case "dcg" -> Set.of("k", "normalize", "unknown_doc_rating");
            default -> Set.of("k", "maximum_relevance", "unknown_doc_rating");
        };
        for (String field : params.propertyNames()) {
            if (!allowed.contains(field)) {
                throw error("x_content_parse_exception", path + "." + field,
                        "[" + name + "] unknown field [" + field + "]");
            }
        }
        int k = params.has("k") ? integer(params.get("k"), path + ".k", name, "k") : RankEvalMetric.DEFAULT_K;
        int threshold = params.has("relevant_rating_threshold")
                ? integer(params.get("relevant_rating_threshold"), path + ".relevant_rating_threshold", name,
                        "relevant_rating_threshold")
                : RankEvalMetric.DEFAULT_RELEVANT_RATING_THRESHOLD;
        Optional<Integer> unknown = params.has("unknown_doc_rating")
                ? Optional.of(integer(params.get("unknown_doc_rating"), path + ".unknown_doc_rating", name,
                        "unknown_doc_rating"))
                : Optional.empty();
        try {
            return switch (name) {
                case "precision" -> new PrecisionAtK(threshold,
                        bool(params.get("ignore_unlabeled"), path + ".ignore_unlabeled", name), k);
                case "recall" -> new RecallAtK(threshold, k);
                case "mean_reciprocal_rank" -> new MeanReciprocalRank(threshold, k);
                case "dcg" -> new DiscountedCumulativeGain(bool(params.get("normalize"), path + ".normalize", name),
                        unknown, k);
                default -> {
                    if (!params.has("maximum_relevance")) {
                        throw error("x_content_parse_exception", path, "Required [maximum_relevance]");
                    }
                    yield new ExpectedReciprocalRank(integer(params.get("maximum_relevance"),
                            path + ".maximum_relevance", name, "maximum_relevance"), unknown, k);
                }
            };
        } catch (IllegalArgumentException e) {
            throw error("illegal_argument_exception", path, e.getMessage());
        }
    }

    /** Elasticsearch refuses evaluation requests that explain or profile (and aggregations, suggest, highlight). */
    private static void checkEvaluable(SearchRequest request, String path) {
        if (request.explain().orElse(false)) {
            throw error("illegal_argument_exception", path, "Query in rated requests should not use explain.");
        }
        if (request.profile().orElse(false)) {
            throw error("illegal_argument_exception", path, "Query in rated requests should not use profile.");
        }
    }

    private static String string(JsonNode node, String path) {
        if (!node.isString()) {
            throw error("x_content_parse_exception", path, "[" + lastName(path) + "] must be a string, found "
                    + Json.tokenName(node));
        }
        return node.asString();
    }

    private static int integer(JsonNode node, String path, String object, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("x_content_parse_exception", path, "[" + object + "] failed to parse field [" + field
                    + "]: expected an integer, found " + (node.isNumber() ? node.toString() : Json.tokenName(node)));
        }
        return node.intValue();
    }

    private static boolean bool(JsonNode node, String path, String object) {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw error("x_content_parse_exception", path, "[" + object + "] failed to parse field ["
                    + lastName(path) + "]: expected a boolean, found " + Json.tokenName(node));
        }
        return node.booleanValue();
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static Map<String, Object> plainMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            return plainMap(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return "";
    }

    private static EngineException error(String type, String path, String reason) {
        return new EngineException(type, reason, 400, path.isEmpty() ? Map.of() : Map.of("path", path),
                Optional.empty());
    }
}
