package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchResponse;
import tools.jackson.databind.node.ObjectNode;

/** One page of a scroll: the search response and the {@code _scroll_id} that asks for the next page. */
public record ScrollResponse(String scrollId, SearchResponse response) {

    public ScrollResponse {
        requireNonNull(scrollId, "scrollId");
        requireNonNull(response, "response");
    }

    /** Elasticsearch's body: {@code _scroll_id} first, then the search response's fields. */
    public ObjectNode toJson() {
        return toJson(false);
    }

    /** {@link #toJson()}, with {@code hits.total} a plain number when {@code restTotalHitsAsInt}. */
    public ObjectNode toJson(boolean restTotalHitsAsInt) {
        var body = Json.object();
        body.put("_scroll_id", scrollId);
        response.toJson(restTotalHitsAsInt).properties().forEach(e -> body.set(e.getKey(), e.getValue()));
        return body;
    }
}
