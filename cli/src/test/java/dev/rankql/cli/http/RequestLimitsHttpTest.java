package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.mapping.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The bulk item limit and the search {@code timeout} over HTTP: Elasticsearch's statuses and bodies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestLimitsHttpTest {

    private TestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = new TestServer(data);
        var bulk = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            bulk.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n{\"title\": \"")
                    .append("lamp ".repeat(1 + i % 5)).append("desk\"}\n");
        }
        assertThat(post("/products/_bulk?refresh=true", bulk.toString(), "application/x-ndjson").statusCode())
                .isEqualTo(200);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void aBulkRequestOfTheMostItemsIsAnsweredAndOneMoreIsA400NamingTheLimit() throws Exception {
        var deletes = new StringBuilder();
        for (int i = 0; i < EngineLimits.MAX_BULK_ITEMS; i++) {
            deletes.append("{\"delete\": {\"_id\": \"gone-").append(i).append("\"}}\n");
        }
        var atLimit = post("/products/_bulk", deletes.toString(), "application/x-ndjson");
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(json(atLimit).get("items")).hasSize(EngineLimits.MAX_BULK_ITEMS);
        var onePast = post("/products/_bulk", deletes + "{\"index\": {\"_id\": \"late\"}}\n{\"title\": \"late\"}\n",
                "application/x-ndjson");
        assertThat(onePast.statusCode()).isEqualTo(400);
        var error = json(onePast).get("error");
        assertThat(error.get("type").asString()).isEqualTo("illegal_argument_exception");
        assertThat(error.get("reason").asString()).isEqualTo("the bulk request has more than [100000] items, the limit "
                + "set by [rankql.bulk.max_items]; send the items in several requests or raise the limit with "
                + "-Drankql.bulk.max_items");
        assertThat(http.send(HttpRequest.newBuilder(server.uri("/products/_doc/late")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void theTimeoutParameterAndBodyFieldAreApplied() throws Exception {
        var query = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 3}";
        var plain = json(post("/products/_search", query, "application/json"));
        assertThat(plain.get("timed_out").asBoolean()).isFalse();
        var generous = json(post("/products/_search?timeout=1h", query, "application/json"));
        assertThat(generous.get("timed_out").asBoolean()).isFalse();
        assertThat(generous.get("hits")).isEqualTo(plain.get("hits"));
        // -1s is a time value Elasticsearch accepts, and a deadline a second before the search began.
        var expired = json(post("/products/_search?timeout=-1s", query, "application/json"));
        assertThat(expired.get("timed_out").asBoolean()).isTrue();
        assertThat(expired.at("/hits/hits")).isEmpty();
        assertThat(expired.at("/_shards/failed").asInt()).isZero();
        var inBody = json(post("/products/_search", query.replaceFirst("\\{", "{\"timeout\": \"-1s\", "), "application/json"));
        assertThat(inBody.get("timed_out").asBoolean()).isTrue();
        // The URL parameter replaces the body's value, as in Elasticsearch.
        var overridden = json(post("/products/_search?timeout=-1", query.replaceFirst("\\{", "{\"timeout\": \"-1s\", "),
                "application/json"));
        assertThat(overridden.get("timed_out").asBoolean()).isFalse();
        var bad = post("/products/_search?timeout=soon", query, "application/json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).at("/error/reason").asString())
                .isEqualTo("failed to parse setting [timeout] with value [soon] as a time value: unit is missing or unrecognized");
    }
}
