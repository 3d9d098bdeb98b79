package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The scroll API over HTTP: {@code ?scroll=}, {@code /_search/scroll} in its forms, clearing, and ES's errors. */
class ScrollHttpTest {

    private static final int DOCS = 23;

    private TestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start(@TempDir Path data) throws Exception {
        server = new TestServer(data);
        assertThat(send("PUT", "/items", """
                {"mappings": {"properties": {"title": {"type": "text"}, "n": {"type": "integer"},
                 "numeric_group": {"type": "integer"}}}}""").statusCode()).isEqualTo(200);
        var bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            bulk.append("{\"index\": {\"_id\": \"i").append(i).append("\"}}\n");
            bulk.append("{\"title\": \"item ").append(i % 4 == 0 ? "lamp" : "desk").append("\", \"n\": ").append((i * 7) % 11)
                    .append(", \"numeric_group\": ").append(i % 3).append("}\n");
        }
        assertThat(send("POST", "/items/_bulk?refresh=true", bulk.toString()).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path));
        if (body == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        }
        return http.send(builder.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private static List<String> ids(JsonNode body) {
        var ids = new ArrayList<String>();
        body.get("hits").get("hits").forEach(hit -> ids.add(hit.get("_id").asString()));
        return ids;
    }

    @Test
    void aScrollPagesThroughEveryHitInTheOrderOfOneSearch() throws Exception {
        var whole = ids(json(send("POST", "/items/_search", "{\"sort\": [{\"n\": \"desc\"}], \"size\": 100}")));
        var first = send("POST", "/items/_search?scroll=1m", "{\"sort\": [{\"n\": \"desc\"}], \"size\": 5}");
        assertThat(first.statusCode()).isEqualTo(200);
        var body = json(first);
        assertThat(body.propertyNames().iterator().next()).isEqualTo("_scroll_id");
        assertThat(body.get("hits").get("total").get("value").asInt()).isEqualTo(DOCS);
        var seen = new ArrayList<>(ids(body));
        var scrollId = body.get("_scroll_id").asString();
        int round = 0;
        while (round <= DOCS) {
            // Every form Elasticsearch takes: the body, the path, and the URL parameter.
            var next = switch (round++ % 3) {
                case 0 -> send("POST", "/_search/scroll", "{\"scroll\": \"1m\", \"scroll_id\": \"" + scrollId + "\"}");
                case 1 -> send("GET", "/_search/scroll/" + scrollId + "?scroll=30s", null);
                default -> send("GET", "/_search/scroll?scroll_id=" + URLEncoder.encode(scrollId, StandardCharsets.UTF_8)
                        + "&rest_total_hits_as_int=true", null);
            };
            assertThat(next.statusCode()).isEqualTo(200);
            var page = json(next);
            var total = page.get("hits").get("total");
            assertThat(total.isInt() ? total.asInt() : total.get("value").asInt()).isEqualTo(DOCS);
            if (ids(page).isEmpty()) {
                break;
            }
            seen.addAll(ids(page));
            scrollId = page.get("_scroll_id").asString();
        }
        assertThat(seen).isEqualTo(whole);
        var cleared = send("DELETE", "/_search/scroll", "{\"scroll_id\": [\"" + scrollId + "\"]}");
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(json(cleared).toString()).isEqualTo("{\"succeeded\":true,\"num_freed\":1}");
        var again = send("DELETE", "/_search/scroll", "{\"scroll_id\": \"" + scrollId + "\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).toString()).isEqualTo("{\"succeeded\":true,\"num_freed\":0}");
    }

    @Test
    void collapseInAScrollIsElasticsearchsValidationError() throws Exception {
        // search/110_field_collapsing.yml, "field collapsing and scroll".
        var response = send("POST", "/items/_search?scroll=1s", "{\"collapse\": {\"field\": \"numeric_group\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        var error = json(response).get("error");
        assertThat(error.get("type").asString()).isEqualTo("action_request_validation_exception");
        assertThat(error.get("reason").asString()).matches(".*cannot use `collapse` in a scroll context.*");
        var cached = send("POST", "/items/_search?scroll=1m&request_cache=true", "{\"size\": 0}");
        assertThat(json(cached).get("error").get("reason").asString()).isEqualTo("Validation Failed: 1: [size] cannot be [0] "
                + "in a scroll context;2: [request_cache] cannot be used in a scroll context;");
        assertThat(send("POST", "/items/_search?scroll=1m&request_cache=false", "{}").statusCode()).isEqualTo(200);
        var from = send("POST", "/items/_search?scroll=1m&from=3", "{}");
        assertThat(json(from).get("error").get("reason").asString())
                .isEqualTo("Validation Failed: 1: using [from] is not allowed in a scroll context;");
    }

    @Test
    void aMissingContextIsA404SearchContextMissing() throws Exception {
        var first = json(send("POST", "/items/_search?scroll=1m", "{\"size\": 2}"));
        var scrollId = first.get("_scroll_id").asString();
        assertThat(send("DELETE", "/_search/scroll/_all", null).statusCode()).isEqualTo(200);
        var missing = send("POST", "/_search/scroll", "{\"scroll_id\": \"" + scrollId + "\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        var error = json(missing).get("error");
        assertThat(error.get("type").asString()).isEqualTo("search_phase_execution_exception");
        assertThat(error.get("root_cause").get(0).get("type").asString()).isEqualTo("search_context_missing_exception");
        assertThat(error.get("root_cause").get(0).get("reason").asString()).isEqualTo("No search context found for id [1]");
        assertThat(send("DELETE", "/_search/scroll/_all", null).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedScrollRequestsGetElasticsearchsErrors() throws Exception {
        var bad = send("POST", "/_search/scroll", "{\"scroll_id\": \"%%%\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").get("reason").asString()).isEqualTo("Cannot parse scroll id");
        var none = send("POST", "/_search/scroll", "{\"scroll\": \"1m\"}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).get("error").get("reason").asString()).isEqualTo("Validation Failed: 1: scrollId is missing;");
        var unknown = send("POST", "/_search/scroll", "{\"scrol\": \"1m\"}");
        assertThat(json(unknown).get("error").get("reason").asString())
                .isEqualTo("Unknown parameter [scrol] in request body or parameter is of the wrong type[VALUE_STRING] ");
        var keepAlive = send("POST", "/items/_search?scroll=1x", "{}");
        assertThat(keepAlive.statusCode()).isEqualTo(400);
        assertThat(json(keepAlive).get("error").get("reason").asString()).contains("failed to parse setting [scroll]");
        var tooLong = send("POST", "/items/_search?scroll=2d", "{}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").get("root_cause").get(0).get("reason").asString())
                .startsWith("Keep alive for request (2d) is too large.");
        var noIds = send("DELETE", "/_search/scroll", "{}");
        assertThat(json(noIds).get("error").get("reason").asString()).isEqualTo("Validation Failed: 1: no scroll ids specified;");
    }

    @Test
    void aScrollDoesNotSeeLaterWrites() throws Exception {
        var first = json(send("POST", "/items/_search?scroll=1m", "{\"size\": 10}"));
        assertThat(send("PUT", "/items/_doc/late?refresh=true", "{\"title\": \"late lamp\", \"n\": 1}").statusCode())
                .isEqualTo(201);
        var seen = new ArrayList<>(ids(first));
        var scrollId = first.get("_scroll_id").asString();
        while (seen.size() <= DOCS) {
            var page = json(send("POST", "/_search/scroll", "{\"scroll_id\": \"" + scrollId + "\"}"));
            assertThat(page.get("hits").get("total").get("value").asInt()).isEqualTo(DOCS);
            if (ids(page).isEmpty()) {
                break;
            }
            seen.addAll(ids(page));
        }
        assertThat(seen).hasSize(DOCS).doesNotContain("late");
    }
}
