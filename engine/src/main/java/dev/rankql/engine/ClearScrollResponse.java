package dev.rankql.engine;

import dev.rankql.engine.mapping.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's answer to a clear-scroll request: how many scroll contexts were freed; its status is 404 when
 * none was, as Elasticsearch answers, and 200 otherwise.
 */
public record ClearScrollResponse(int numFreed) {

    public ClearScrollResponse {
        if (numFreed < 0) {
            throw new IllegalArgumentException("numFreed must not be negative, got " + numFreed);
        }
    }

    /** The HTTP status: 200 when a context was freed, 404 when none was found. */
    public int status() {
        return numFreed > 0 ? 200 : 404;
    }

    /** {@code {"succeeded": true, "num_freed": N}}. */
    public ObjectNode toJson() {
        var body = Json.object();
        body.put("succeeded", true);
        body.put("num_freed", numFreed);
        return body;
    }
}
