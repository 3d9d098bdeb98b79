package dev.rankql.cli;

import dev.rankql.ast.Query;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The body of Elasticsearch's explain API, read as Elasticsearch reads it: an object with {@code query} and nothing else. */
public final class ExplainBody {

    private ExplainBody() {}

    /**
     * The body's {@code query}, or empty when it has none (which the caller answers with {@link #queryMissing()}).
     *
     * @throws EngineException 400 {@code parsing_exception} for a body that is not an object or has another key
     * @throws dev.rankql.json.InvalidRequestException for a query that does not parse
     */
    public static Optional<Query> parse(String text) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse explain request: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw EngineException.parsing("request body is required to be an object");
        }
        for (var key : body.propertyNames()) {
            if (!key.equals("query")) {
                throw EngineException.parsing("request does not support [" + key + "]");
            }
        }
        return body.has("query") ? Optional.of(EsJson.parseQuery(body.get("query"), "$.query")) : Optional.empty();
    }

    /** Elasticsearch's error for an explain request without a query (no body, or a body without {@code query}). */
    public static EngineException queryMissing() {
        return new EngineException("action_request_validation_exception", "Validation Failed: 1: query is missing;", 400);
    }
}
