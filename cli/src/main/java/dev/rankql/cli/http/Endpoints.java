package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Query;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.TreePrinter;
import dev.rankql.cli.ExplainBody;
import dev.rankql.dsl.Dsl;
import dev.rankql.engine.BulkResponse;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.IndicesOptions;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.StoredDocument;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.json.EsJson;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Elasticsearch endpoints rankql serves, each a call into the {@link Engine} and an ES-shaped answer. */
final class Endpoints {

    private final Engine engine;
    private final ObjectNode info;

    Endpoints(Engine engine, ObjectNode info) {
        this.engine = requireNonNull(engine, "engine");
        this.info = requireNonNull(info, "info");
    }

    /** Every route, registered on {@code router}. */
    Router register(Router router) {
        new ScrollEndpoints(engine).register(router);
        return router
                .add("GET", "/", (r, p) -> json(200, info.deepCopy()))
                .add("PUT", "/{index}", (r, p) -> json(200, engine.createIndex(p.get("index"), r.hasBody() ? r.text() : null)))
                .add("GET", "/{index}", (r, p) -> json(200, engine.getIndex(p.get("index")).toJson()))
                .add("HEAD", "/{index}", (r, p) -> new RestResponse.Empty(engine.exists(p.get("index")) ? 200 : 404))
                .add("DELETE", "/{index}", (r, p) -> json(200, engine.deleteIndex(p.get("index"))))
                .add("GET", "/{index}/_mapping", (r, p) -> json(200, engine.getIndex(p.get("index")).toMappingJson()))
                .add("POST", "/_bulk", (r, p) -> bulk(r, null))
                .add("PUT", "/_bulk", (r, p) -> bulk(r, null))
                .add("POST", "/{index}/_bulk", (r, p) -> bulk(r, p.get("index")))
                .add("PUT", "/{index}/_bulk", (r, p) -> bulk(r, p.get("index")))
                .add("PUT", "/{index}/_doc/{id}", (r, p) -> indexDocument(r, p.get("index"), Optional.of(p.get("id")), false))
                .add("POST", "/{index}/_doc/{id}", (r, p) -> indexDocument(r, p.get("index"), Optional.of(p.get("id")), false))
                .add("POST", "/{index}/_doc", (r, p) -> indexDocument(r, p.get("index"), Optional.empty(), false))
                .add("PUT", "/{index}/_create/{id}", (r, p) -> indexDocument(r, p.get("index"), Optional.of(p.get("id")), true))
                .add("POST", "/{index}/_create/{id}", (r, p) -> indexDocument(r, p.get("index"), Optional.of(p.get("id")), true))
                .add("POST", "/{index}/_update/{id}", (r, p) -> writeResult(
                        engine.updateDocument(p.get("index"), p.get("id"), requireBody(r).getBytes(StandardCharsets.UTF_8), refresh(r))))
                .add("GET", "/{index}/_doc/{id}", (r, p) -> getDocument(p.get("index"), p.get("id")))
                .add("DELETE", "/{index}/_doc/{id}", (r, p) -> deleteDocument(r, p.get("index"), p.get("id")))
                .add("GET", "/_cluster/health", (r, p) -> json(200, health()))
                .add("POST", "/_refresh", (r, p) -> refreshAll())
                .add("GET", "/_refresh", (r, p) -> refreshAll())
                .add("POST", "/{index}/_refresh", (r, p) -> refresh(p.get("index")))
                .add("GET", "/{index}/_refresh", (r, p) -> refresh(p.get("index")))
                .add("GET", "/_search", (r, p) -> search(r, "_all", jsonSearch(r)))
                .add("POST", "/_search", (r, p) -> search(r, "_all", jsonSearch(r)))
                .add("GET", "/_count", (r, p) -> count(r, "_all"))
                .add("POST", "/_count", (r, p) -> count(r, "_all"))
                .add("GET", "/{index}/_search", (r, p) -> search(r, p.get("index"), jsonSearch(r)))
                .add("POST", "/{index}/_search", (r, p) -> search(r, p.get("index"), jsonSearch(r)))
                .add("GET", "/{index}/_count", (r, p) -> count(r, p.get("index")))
                .add("POST", "/{index}/_count", (r, p) -> count(r, p.get("index")))
                .add("GET", "/{index}/_explain/{id}", (r, p) -> explain(r, p.get("index"), p.get("id")))
                .add("POST", "/{index}/_explain/{id}", (r, p) -> explain(r, p.get("index"), p.get("id")))
                .add("GET", "/{index}/_rank_eval", (r, p) -> json(200, engine.rankEval(p.get("index"), jsonBody(r, "rank_eval"))))
                .add("POST", "/{index}/_rank_eval", (r, p) -> json(200, engine.rankEval(p.get("index"), jsonBody(r, "rank_eval"))))
                .add("PUT", "/_ml/trained_models/{id}", (r, p) -> json(200,
                        engine.putModel(p.get("id"), requireBody(r), r.flag("replace"))))
                .add("GET", "/_ml/trained_models/{id}", (r, p) -> json(200, engine.getModels(p.get("id"), tagsParam(r))))
                .add("GET", "/_ml/trained_models", (r, p) -> json(200, engine.getModels(null, tagsParam(r))))
                .add("DELETE", "/_ml/trained_models/{id}", (r, p) -> json(200, engine.deleteModel(p.get("id"))))
                .add("POST", "/{index}/_rankql", (r, p) -> search(r, p.get("index"), dslSearch(r, p.get("index"))))
                .add("GET", "/{index}/_rankql", (r, p) -> search(r, p.get("index"), dslSearch(r, p.get("index"))))
                .add("POST", "/_rankql/translate", (r, p) -> translate(r));
    }

    private static RestResponse json(int status, JsonNode body) {
        return new RestResponse.Json(status, body);
    }

    private static String requireBody(RestRequest request) {
        if (!request.hasBody()) {
            throw EngineException.parsing("request body is required");
        }
        return request.text();
    }

    private RestResponse bulk(RestRequest request, String index) {
        if (!request.hasBody()) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: no requests added;", 400);
        }
        var reader = new InputStreamReader(new ByteArrayInputStream(request.body()), StandardCharsets.UTF_8);
        return json(200, engine.bulk(index, reader, refresh(request)).toJson());
    }

    private static RefreshPolicy refresh(RestRequest request) {
        return RefreshPolicy.parse(request.param("refresh").orElse(null));
    }

    private RestResponse indexDocument(RestRequest request, String index, Optional<String> id, boolean create) {
        if (!request.hasBody()) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: source is missing;", 400);
        }
        boolean asCreate = create || request.param("op_type").map(opType -> switch (opType) {
            case "create" -> true;
            case "index" -> false;
            default -> throw EngineException.illegalArgument("opType must be 'create' or 'index', found: [" + opType + "]");
        }).orElse(false);
        if (asCreate && id.isEmpty()) {
            throw new EngineException("action_request_validation_exception",
                    "Validation Failed: 1: an id must be provided if version type or value are set;", 400);
        }
        return writeResult(engine.indexDocument(index, id, request.body(), asCreate, refresh(request)));
    }

    private RestResponse deleteDocument(RestRequest request, String index, String id) {
        return writeResult(engine.deleteDocument(index, id, refresh(request)));
    }

    /** A single-document write answers with its bulk item's body and status, or the item's error as an ES error. */
    private static RestResponse writeResult(BulkResponse.Item item) {
        if (item.error().isPresent()) {
            throw item.error().get();
        }
        var body = (ObjectNode) item.toJson().get(item.action());
        body.remove("status");
        return json(item.status(), body);
    }

    private RestResponse getDocument(String index, String id) {
        return engine.getDocument(index, id)
                .map(doc -> json(200, doc.toJson()))
                .orElseGet(() -> json(404, StoredDocument.notFoundJson(index, id)));
    }

    private RestResponse refresh(String index) {
        engine.refresh(index);
        var body = Json.object();
        var shards = body.putObject("_shards");
        shards.put("total", 1);
        shards.put("successful", 1);
        shards.put("failed", 0);
        return json(200, body);
    }

    /** {@code POST /_refresh}: every index. */
    private RestResponse refreshAll() {
        var names = engine.listIndices();
        names.forEach(engine::refresh);
        var body = Json.object();
        var shards = body.putObject("_shards");
        shards.put("total", names.size());
        shards.put("successful", names.size());
        shards.put("failed", 0);
        return json(200, body);
    }

    /**
     * {@code GET /_cluster/health}: one node holding one primary shard per index, always green; rankql has no
     * replicas to be missing, so there is nothing to wait for.
     */
    private ObjectNode health() {
        int shards = engine.listIndices().size();
        var body = Json.object();
        body.put("cluster_name", "rankql");
        body.put("status", "green");
        body.put("timed_out", false);
        body.put("number_of_nodes", 1);
        body.put("number_of_data_nodes", 1);
        body.put("active_primary_shards", shards);
        body.put("active_shards", shards);
        body.put("relocating_shards", 0);
        body.put("initializing_shards", 0);
        body.put("unassigned_shards", 0);
        body.put("unassigned_primary_shards", 0);
        body.put("delayed_unassigned_shards", 0);
        body.put("number_of_pending_tasks", 0);
        body.put("number_of_in_flight_fetch", 0);
        body.put("task_max_waiting_in_queue_millis", 0);
        body.put("active_shards_percent_as_number", 100.0);
        return body;
    }

    private static SearchRequest jsonSearch(RestRequest request) {
        return EsJson.parseSearch(request.hasBody() ? request.text() : "{}");
    }

    private static SearchRequest dslSearch(RestRequest request, String index) {
        var text = requireBody(request);
        if (text.stripLeading().startsWith("{")) {
            return EsJson.parseSearch(text);
        }
        var parsed = Dsl.parseRequest(text);
        parsed.index().filter(named -> !named.equals(index)).ifPresent(named -> {
            throw EngineException.illegalArgument("the search names index [" + named + "] (FROM " + named
                    + ") but runs on index [" + index + "]; search [" + named + "] or drop the FROM clause");
        });
        return parsed.withoutIndex();
    }

    private RestResponse search(RestRequest request, String index, SearchRequest body) {
        var search = body;
        var q = queryParam(request);
        if (q.isPresent()) {
            search = SearchRequests.withQuery(search, q.get());
        }
        var track = request.param("track_total_hits");
        if (track.isPresent()) {
            search = SearchRequests.withTrackTotalHits(search, trackTotalHits(track.get()));
        }
        var options = SearchOptions.NONE;
        try {
            var from = request.intParam("from");
            var size = request.intParam("size");
            if (from.isPresent()) {
                options = options.withFrom(from.get());
            }
            if (size.isPresent()) {
                options = options.withSize(size.get());
            }
            if (request.param("explain").isPresent()) {
                options = options.withExplain(request.flag("explain"));
            }
            var timeout = request.param("timeout");
            if (timeout.isPresent()) {
                options = options.withTimeout(SearchRequest.parseTimeValue(timeout.get(), "timeout"));
            }
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
        var scroll = request.param("scroll");
        if (scroll.isPresent()) {
            var page = engine.searchScroll(index, search, options, ScrollEndpoints.keepAlive(scroll.get()),
                    request.flag("request_cache"));
            return json(200, page.toJson(request.flag("rest_total_hits_as_int")));
        }
        var response = engine.searchIndices(index, search, options, indicesOptions(request));
        return json(200, response.toJson(request.flag("rest_total_hits_as_int")));
    }

    /** Elasticsearch's {@code ignore_unavailable} (default false) and {@code allow_no_indices} (default true). */
    private static IndicesOptions indicesOptions(RestRequest request) {
        return new IndicesOptions(request.flag("ignore_unavailable"),
                request.param("allow_no_indices").map(v -> !v.equals("false")).orElse(true));
    }

    private static TrackTotalHits trackTotalHits(String value) {
        return switch (value) {
            case "", "true" -> new TrackTotalHits.Flag(true);
            case "false" -> new TrackTotalHits.Flag(false);
            default -> {
                try {
                    yield new TrackTotalHits.UpTo(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw EngineException.illegalArgument("Failed to parse int parameter [track_total_hits] with value ["
                            + value + "]");
                }
            }
        };
    }

    /**
     * The {@code q} URL parameter. rankql reads the common forms of Lucene's query syntax only: {@code *:*},
     * {@code FIELD:TERM}, {@code FIELD:"a phrase"}, and {@code TEXT} (plain words) with {@code df}; they become a
     * {@code match} (or {@code match_phrase}) query, with {@code default_operator} as its operator and
     * {@code analyzer} as its analyzer. Syntax it would misread (wildcards, boolean operators, several fields, boosts,
     * fuzziness, ranges, groups) is a 400 rather than another query.
     */
    private static Optional<Query> queryParam(RestRequest request) {
        var q = request.param("q");
        if (q.isEmpty()) {
            return Optional.empty();
        }
        var text = q.get().strip();
        var node = Json.object();
        if (text.equals("*:*") || text.equals("*")) {
            node.putObject("match_all");
            return Optional.of(EsJson.parseQuery(Json.write(node)));
        }
        int colon = text.indexOf(':');
        boolean fielded = colon > 0 && !text.substring(0, colon).contains(" ");
        String field;
        String value;
        if (fielded) {
            field = text.substring(0, colon);
            value = text.substring(colon + 1);
            requirePlain(text, field);
        } else if (request.param("df").isPresent()) {
            field = request.param("df").get();
            value = text;
        } else {
            throw unreadableQueryString(text, "it names no field");
        }
        boolean phrase = value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2;
        if (phrase) {
            value = value.substring(1, value.length() - 1);
            if (value.contains("\"")) {
                throw unreadableQueryString(text, "a phrase is one quoted text");
            }
        } else {
            if (fielded && value.strip().contains(" ")) {
                // Lucene reads the words after the first against the default field, not against FIELD.
                throw unreadableQueryString(text, "FIELD:TEXT takes one term or a quoted phrase");
            }
            for (var word : value.strip().split("\\s+")) {
                requirePlain(text, word);
            }
        }
        var options = (phrase ? node.putObject("match_phrase") : node.putObject("match")).putObject(field);
        options.put("query", value);
        request.param("analyzer").ifPresent(analyzer -> options.put("analyzer", analyzer));
        var operator = request.param("default_operator");
        if (operator.isPresent()) {
            var upper = operator.get().toUpperCase(java.util.Locale.ROOT);
            if (!upper.equals("AND") && !upper.equals("OR")) {
                throw EngineException.illegalArgument("[default_operator] must be AND or OR, got [" + operator.get() + "]");
            }
            if (!phrase) {
                options.put("operator", upper.toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (request.flag("lenient")) {
            throw EngineException.illegalArgument("rankql does not support [lenient] for [q]; send the query in the body");
        }
        return Optional.of(EsJson.parseQuery(Json.write(node)));
    }

    /** Refuses a word of {@code q} that Lucene's query syntax would read as more than a term. */
    private static void requirePlain(String text, String word) {
        if (word.equals("AND") || word.equals("OR") || word.equals("NOT") || word.equals("&&") || word.equals("||")
                || word.startsWith("+") || word.startsWith("-") || word.startsWith("!")) {
            throw unreadableQueryString(text, "boolean operators are not read");
        }
        for (char c : word.toCharArray()) {
            if ("*?~^()[]{}:\"/\\".indexOf(c) >= 0) {
                throw unreadableQueryString(text, "[" + c + "] is query syntax rankql does not read");
            }
        }
    }

    private static EngineException unreadableQueryString(String text, String why) {
        return EngineException.illegalArgument("rankql reads [q] as FIELD:TERM, FIELD:\"a phrase\", *:* or plain words with [df]; got ["
                + text + "] (" + why + "); send the query in the body instead");
    }

    /**
     * {@code GET|POST /{index}/_explain/{id}}: the body's {@code query}, else the {@code q} parameter's; the
     * {@code _source} parameters and {@code stored_fields} add the document's {@code get} part; a missing document
     * answers 404 with {@code matched: false}, as Elasticsearch. {@code routing} and {@code preference} change nothing
     * with one shard.
     */
    private RestResponse explain(RestRequest request, String index, String id) {
        if (request.param("fields").isPresent()) {
            throw EngineException.illegalArgument(
                    "The parameter [fields] is no longer supported, please use [stored_fields] to retrieve stored fields");
        }
        // Elasticsearch reads q only when there is no body.
        var query = request.hasBody() ? ExplainBody.parse(request.text()) : queryParam(request);
        if (query.isEmpty()) {
            throw ExplainBody.queryMissing();
        }
        var response = engine.explain(index, id, query.get(), sourceParams(request), request.param("stored_fields").isPresent());
        return json(response.status(), response.toJson());
    }

    /**
     * The {@code _source}, {@code _source_includes} and {@code _source_excludes} URL parameters as Elasticsearch reads
     * them: {@code _source} is {@code true}, {@code false} or a comma list of includes, which
     * {@code _source_includes} replaces; empty when none is given.
     */
    static Optional<SourceFilter> sourceParams(RestRequest request) {
        var source = request.param("_source");
        var includes = request.param("_source_includes");
        var excludes = request.param("_source_excludes");
        if (source.isEmpty() && includes.isEmpty() && excludes.isEmpty()) {
            return Optional.empty();
        }
        if (source.isPresent() && source.get().equals("false")) {
            return Optional.of(new SourceFilter.Fetch(false));
        }
        var included = includes.or(() -> source.filter(s -> !s.equals("true"))).map(Endpoints::commaList).orElse(List.of());
        var excluded = excludes.map(Endpoints::commaList).orElse(List.of());
        if (included.isEmpty() && excluded.isEmpty()) {
            return Optional.of(new SourceFilter.Fetch(true));
        }
        return Optional.of(new SourceFilter.Fields(included, excluded));
    }

    /** The {@code tags} URL parameter of {@code GET _ml/trained_models}: a comma list, none when absent. */
    private static List<String> tagsParam(RestRequest request) {
        return request.param("tags").map(Endpoints::commaList).orElse(List.of());
    }

    private static List<String> commaList(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The request body as a JSON object, or ES's parse error naming {@code api}. */
    private static JsonNode jsonBody(RestRequest request, String api) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(requireBody(request));
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse " + api + " request: " + e.getOriginalMessage());
        }
        if (!body.isObject()) {
            throw EngineException.parsing("request body is required to be an object");
        }
        return body;
    }

    private RestResponse count(RestRequest request, String index) {
        Query query;
        var q = queryParam(request);
        if (q.isPresent()) {
            query = q.get();
        } else if (request.hasBody()) {
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(request.text());
            } catch (JacksonException e) {
                throw EngineException.parsing("Failed to parse count request: " + e.getOriginalMessage());
            }
            if (!body.isObject()) {
                throw EngineException.parsing("request body is required to be an object");
            }
            for (var key : body.propertyNames()) {
                if (!key.equals("query")) {
                    throw EngineException.parsing("request does not support [" + key + "]");
                }
            }
            query = body.has("query") ? EsJson.parseQuery(body.get("query"), "$.query") : matchAll();
        } else {
            query = matchAll();
        }
        var counted = engine.countIndices(index, query, indicesOptions(request));
        var response = Json.object();
        response.put("count", counted.total().orElseThrow(() -> new IllegalStateException("a count has a total")).value());
        var shards = response.putObject("_shards");
        shards.put("total", counted.shards());
        shards.put("successful", counted.shards());
        shards.put("skipped", 0);
        shards.put("failed", 0);
        return json(200, response);
    }

    private static Query matchAll() {
        return EsJson.parseQuery("{\"match_all\": {}}");
    }

    /**
     * rankql's translation endpoint: a DSL body becomes Elasticsearch JSON, a JSON body becomes DSL, or {@code to}
     * names the form ({@code json}, {@code dsl} or {@code ast}).
     */
    private static RestResponse translate(RestRequest request) {
        var text = requireBody(request);
        boolean isJson = text.stripLeading().startsWith("{");
        var parsed = isJson ? EsJson.parseSearch(text) : Dsl.parseRequest(text);
        var to = request.param("to").orElse(isJson ? "dsl" : "json");
        return switch (to) {
            case "json" -> json(200, EsJson.toJsonNode(parsed.withoutIndex()));
            case "dsl" -> new RestResponse.Text(200, Dsl.print(parsed));
            case "ast" -> new RestResponse.Text(200, TreePrinter.print(parsed));
            default -> throw EngineException.illegalArgument("[to] must be json, dsl or ast, got [" + to + "]");
        };
    }

}
