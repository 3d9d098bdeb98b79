package dev.rankql.engine;

import dev.rankql.engine.search.SearchResponse;
import java.io.StringReader;
import java.util.List;

/** Helpers to fill an engine from test data and read results back. */
final class TestIndex {

    private TestIndex() {}

    /** Bulk-indexes {@code docs} (JSON objects) with ids "1".."n" into {@code index}, refreshing. */
    static BulkResponse indexDocs(Engine engine, String index, List<String> docs) {
        var ndjson = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            ndjson.append("{\"index\":{\"_id\":\"").append(i + 1).append("\"}}\n").append(docs.get(i)).append('\n');
        }
        var response = engine.bulk(index, new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
        if (response.errors()) {
            throw new AssertionError("bulk failed: " + response.toJson());
        }
        return response;
    }

    static List<String> ids(SearchResponse response) {
        return response.hits().stream().map(SearchResponse.Hit::id).toList();
    }

    static List<Float> scores(SearchResponse response) {
        return response.hits().stream().map(h -> h.score().orElseThrow()).toList();
    }
}
