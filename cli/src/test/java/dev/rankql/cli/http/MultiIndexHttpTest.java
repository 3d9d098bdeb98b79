package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Searches and counts over several indices through the REST API: index lists, wildcards, {@code /_search}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiIndexHttpTest {

    private TestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = new TestServer(data, 64 * 1024);
        send("PUT", "/shop-2024", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"kind\": {\"type\": \"keyword\"}}}}");
        send("PUT", "/shop-2025", "{\"mappings\": {\"properties\": {\"name\": {\"type\": \"text\"}, \"title\": {\"type\": \"alias\", "
                + "\"path\": \"name\"}, \"kind\": {\"type\": \"keyword\"}}}}");
        send("POST", "/_bulk?refresh=true", """
                {"index": {"_index": "shop-2024", "_id": "a"}}
                {"title": "oak desk", "kind": "desk"}
                {"index": {"_index": "shop-2024", "_id": "b"}}
                {"title": "pine shelf", "kind": "shelf"}
                {"index": {"_index": "shop-2025", "_id": "c"}}
                {"name": "oak shelf", "kind": "shelf"}
                """);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path));
        builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
        return http.send(builder.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private static List<String> where(JsonNode response) {
        var hits = new ArrayList<String>();
        response.at("/hits/hits").forEach(h -> hits.add(h.path("_index").asString() + "/" + h.path("_id").asString()));
        return hits;
    }

    @Test
    void listsWildcardsAndAllSearchEveryNamedIndex() throws Exception {
        var body = "{\"query\": {\"match\": {\"title\": \"oak\"}}}";
        var listed = json(send("POST", "/shop-2024,shop-2025/_search", body));
        assertThat(where(listed)).containsExactlyInAnyOrder("shop-2024/a", "shop-2025/c");
        assertThat(listed.at("/_shards/total").asInt()).isEqualTo(2);
        assertThat(listed.at("/hits/total/value").asInt()).isEqualTo(2);
        assertThat(where(json(send("POST", "/shop-*/_search", body)))).containsExactlyInAnyOrder("shop-2024/a", "shop-2025/c");
        var everything = json(send("GET", "/_search", null));
        assertThat(everything.at("/hits/total/value").asInt()).isEqualTo(3);
        assertThat(everything.at("/_shards/total").asInt()).isEqualTo(2);
        assertThat(json(send("GET", "/_all/_search?size=1", null)).at("/hits/hits").size()).isEqualTo(1);
    }

    @Test
    void countsAddUpAcrossIndices() throws Exception {
        var count = json(send("POST", "/shop-*/_count", "{\"query\": {\"term\": {\"kind\": \"shelf\"}}}"));
        assertThat(count.get("count").asInt()).isEqualTo(2);
        assertThat(count.at("/_shards/total").asInt()).isEqualTo(2);
        assertThat(json(send("GET", "/_count", null)).get("count").asInt()).isEqualTo(3);
    }

    @Test
    void missingIndicesAre404UnlessIgnoredAndEmptyWildcardsAreEmpty() throws Exception {
        var missing = send("GET", "/shop-2024,gone/_search", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/type").asString()).isEqualTo("index_not_found_exception");
        assertThat(json(missing).at("/error/reason").asString()).isEqualTo("no such index [gone]");
        var ignored = send("GET", "/shop-2024,gone/_search?ignore_unavailable=true", null);
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(json(ignored).at("/hits/total/value").asInt()).isEqualTo(2);
        var empty = send("GET", "/nothing-*/_search", null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json(empty).at("/hits/total/value").asInt()).isZero();
        assertThat(json(empty).at("/_shards/total").asInt()).isZero();
        assertThat(send("GET", "/nothing-*/_search?allow_no_indices=false", null).statusCode()).isEqualTo(404);
    }
}
