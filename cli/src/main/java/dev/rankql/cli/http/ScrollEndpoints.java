package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Elasticsearch's scroll endpoints: {@code GET|POST /_search/scroll[/<id>]} for the next page and
 * {@code DELETE /_search/scroll[/<id>|/_all]} to free contexts; the first page is a search with {@code ?scroll=}.
 */
final class ScrollEndpoints {

    private final Engine engine;

    ScrollEndpoints(Engine engine) {
        this.engine = requireNonNull(engine, "engine");
    }

    /** Adds the scroll routes to {@code router}. */
    Router register(Router router) {
        return router
                .add("GET", "/_search/scroll", (r, p) -> next(r, Optional.empty()))
                .add("POST", "/_search/scroll", (r, p) -> next(r, Optional.empty()))
                .add("GET", "/_search/scroll/{scroll_id}", (r, p) -> next(r, Optional.of(p.get("scroll_id"))))
                .add("POST", "/_search/scroll/{scroll_id}", (r, p) -> next(r, Optional.of(p.get("scroll_id"))))
                .add("DELETE", "/_search/scroll", (r, p) -> clear(r, Optional.empty()))
                .add("DELETE", "/_search/scroll/{scroll_id}", (r, p) -> clear(r, Optional.of(p.get("scroll_id"))));
    }

    /** The keep-alive of the {@code scroll} URL parameter, with Elasticsearch's time-value errors. */
    static Duration keepAlive(String text) {
        try {
            return SearchRequest.parseTimeValue(text, "scroll");
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
    }

    private RestResponse next(RestRequest request, Optional<String> pathId) {
        var scrollId = pathId.or(() -> request.param("scroll_id"));
        var scroll = request.param("scroll");
        if (request.hasBody()) {
            var body = object(request);
            for (var entry : body.properties()) {
                var value = entry.getValue();
                switch (entry.getKey()) {
                    case "scroll_id" -> {
                        if (!value.isString()) {
                            throw wrongType(entry.getKey(), value);
                        }
                        scrollId = Optional.of(value.asString());
                    }
                    case "scroll" -> {
                        if (!value.isString()) {
                            throw wrongType(entry.getKey(), value);
                        }
                        scroll = Optional.of(value.asString());
                    }
                    default -> throw wrongType(entry.getKey(), value);
                }
            }
        }
        var response = engine.scroll(scrollId.orElse(null), scroll.map(ScrollEndpoints::keepAlive));
        return new RestResponse.Json(200, response.toJson(request.flag("rest_total_hits_as_int")));
    }

    private RestResponse clear(RestRequest request, Optional<String> pathIds) {
        var ids = new ArrayList<String>();
        pathIds.or(() -> request.param("scroll_id")).ifPresent(text -> ids.addAll(Arrays.asList(text.split(","))));
        if (request.hasBody()) {
            var body = object(request);
            for (var entry : body.properties()) {
                var value = entry.getKey().equals("scroll_id") ? entry.getValue() : null;
                if (value == null) {
                    throw wrongType(entry.getKey(), entry.getValue());
                }
                if (value.isString()) {
                    ids.add(value.asString());
                } else if (value.isArray()) {
                    for (var element : value) {
                        if (!element.isString()) {
                            throw EngineException.illegalArgument("scroll_id array element should only contain scroll_id");
                        }
                        ids.add(element.asString());
                    }
                } else {
                    throw wrongType(entry.getKey(), value);
                }
            }
        }
        var response = ids.contains("_all") ? engine.clearAllScrolls() : engine.clearScroll(List.copyOf(ids));
        return new RestResponse.Json(response.status(), response.toJson());
    }

    private static JsonNode object(RestRequest request) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.text());
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse request body: " + e.getOriginalMessage());
        }
        if (!body.isObject()) {
            throw EngineException.parsing("request body is required to be an object");
        }
        return body;
    }

    /** Elasticsearch's message for a body field a scroll request does not have, or of the wrong type. */
    private static EngineException wrongType(String field, JsonNode value) {
        return EngineException.illegalArgument("Unknown parameter [" + field
                + "] in request body or parameter is of the wrong type[" + Json.tokenName(value) + "] ");
    }
}
