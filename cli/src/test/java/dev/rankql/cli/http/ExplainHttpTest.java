package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET|POST /{index}/_explain/{id}} over HTTP, after Elasticsearch's explain REST tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainHttpTest {

    private TestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = new TestServer(data);
        assertThat(send("PUT", "/test_1", """
                {"mappings": {"properties": {"number": {"type": "integer"}}}}""").statusCode()).isEqualTo(200);
        var bulk = """
                {"index": {"_id": "id_1"}}
                {"foo": "bar", "title": "howdy"}
                {"index": {"_id": "1"}}
                {"include": {"field1": "v1", "field2": "v2"}, "count": 1, "field": "foo bar"}
                """;
        var response = send("POST", "/test_1/_bulk?refresh=true", bulk);
        assertThat(json(response).get("errors").asBoolean()).as(response.body()).isFalse();
    }

    @AfterAll
    void stop() throws Exception {
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

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void basicExplainAnswersMatchedAndTheExplanationWithGetOrPost() throws Exception {
        for (var method : List.of("GET", "POST")) {
            var response = send(method, "/test_1/_explain/id_1", "{\"query\": {\"match_all\": {}}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            var body = json(response);
            assertThat(List.copyOf(body.propertyNames())).containsExactly("_index", "_id", "matched", "explanation");
            assertThat(body.get("matched").asBoolean()).isTrue();
            assertThat(body.at("/explanation/value").floatValue()).isEqualTo(1f);
            assertThat(body.get("_index").asString()).isEqualTo("test_1");
            assertThat(body.get("_id").asString()).isEqualTo("id_1");
        }
    }

    @Test
    void theExplanationIsTheOneASearchGivesTheHit() throws Exception {
        var query = "{\"bool\": {\"must\": [{\"match\": {\"title\": \"howdy\"}}], \"should\": [{\"match\": {\"foo\": \"bar\"}}]}}";
        var search = json(send("POST", "/test_1/_search", "{\"explain\": true, \"query\": " + query + "}"));
        var hit = search.at("/hits/hits/0");
        assertThat(hit.get("_id").asString()).isEqualTo("id_1");
        var explained = json(send("POST", "/test_1/_explain/id_1", "{\"query\": " + query + "}"));
        assertThat(explained.get("explanation")).isEqualTo(hit.get("_explanation"));
    }

    @Test
    void aDocumentTheQueryMissesIsExplainedAndAMissingOneIs404() throws Exception {
        var miss = send("POST", "/test_1/_explain/id_1", "{\"query\": {\"term\": {\"foo\": \"nope\"}}}");
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(json(miss).get("matched").asBoolean()).isFalse();
        assertThat(json(miss).at("/explanation/description").asString()).isNotEmpty();

        var missing = send("POST", "/test_1/_explain/nope", "{\"query\": {\"match_all\": {}}}");
        assertThat(missing.statusCode()).isEqualTo(404);
        var body = json(missing);
        assertThat(List.copyOf(body.propertyNames())).containsExactly("_index", "_id", "matched");
        assertThat(body.get("matched").asBoolean()).isFalse();

        var noIndex = send("POST", "/nope/_explain/1", "{\"query\": {\"match_all\": {}}}");
        assertThat(noIndex.statusCode()).isEqualTo(404);
        assertThat(json(noIndex).at("/error/type").asString()).isEqualTo("index_not_found_exception");
    }

    @Test
    void aBodyWithoutQueryOrNoBodyAtAllIsABadRequest() throws Exception {
        var noQuery = send("POST", "/test_1/_explain/id_1", "{\"match_all\": {}}");
        assertThat(noQuery.statusCode()).isEqualTo(400);
        assertThat(json(noQuery).at("/error/type").asString()).isEqualTo("parsing_exception");
        assertThat(json(noQuery).at("/error/reason").asString()).isEqualTo("request does not support [match_all]");

        var noBody = send("GET", "/test_1/_explain/id_1", null);
        assertThat(noBody.statusCode()).isEqualTo(400);
        assertThat(json(noBody).at("/error/type").asString()).isEqualTo("action_request_validation_exception");
        assertThat(json(noBody).at("/error/reason").asString()).isEqualTo("Validation Failed: 1: query is missing;");

        var empty = send("POST", "/test_1/_explain/id_1", "{}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).at("/error/reason").asString()).isEqualTo("Validation Failed: 1: query is missing;");

        var badQuery = send("POST", "/test_1/_explain/1", "{\"query\": {\"term\": {\"number\": \"foo\"}}}");
        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(json(badQuery).at("/error/type").asString()).isEqualTo("query_shard_exception");

        var unknown = send("POST", "/test_1/_explain/1", "{\"query\": {\"nope\": {}}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).at("/error/type").asString()).isEqualTo("parsing_exception");

        var fields = send("POST", "/test_1/_explain/1?fields=count", "{\"query\": {\"match_all\": {}}}");
        assertThat(fields.statusCode()).isEqualTo(400);
        assertThat(json(fields).at("/error/reason").asString()).contains("please use [stored_fields]");
    }

    @Test
    void sourceFilteringAddsTheGetPart() throws Exception {
        var all = "{\"query\": {\"match_all\": {}}}";
        var off = json(send("POST", "/test_1/_explain/1?_source=false", all));
        assertThat(off.get("_id").asString()).isEqualTo("1");
        assertThat(off.has("get")).isFalse();

        var on = json(send("POST", "/test_1/_explain/1?_source=true", all));
        assertThat(on.at("/get/found").asBoolean()).isTrue();
        assertThat(on.at("/get/_source/include/field1").asString()).isEqualTo("v1");

        var listed = json(send("POST", "/test_1/_explain/1?_source=include.field1", all));
        assertThat(listed.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(listed.at("/get/_source/include").has("field2")).isFalse();

        var included = json(send("POST", "/test_1/_explain/1?_source_includes=include.field1,include.field2", all));
        assertThat(included.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(included.at("/get/_source/include/field2").asString()).isEqualTo("v2");
        assertThat(included.at("/get/_source").has("count")).isFalse();

        var excluded = json(send("POST", "/test_1/_explain/1?_source_includes=include&_source_excludes=*.field2", all));
        assertThat(excluded.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(excluded.at("/get/_source/include").has("field2")).isFalse();
        assertThat(excluded.at("/get/_source").has("count")).isFalse();

        var stored = json(send("POST", "/test_1/_explain/1?stored_fields=count&routing=r1&preference=_local", all));
        assertThat(stored.get("matched").asBoolean()).isTrue();
        assertThat(stored.at("/get/found").asBoolean()).isTrue();
        assertThat(stored.get("get").has("_source")).isFalse();
    }

    @Test
    void queryStringParametersAreReadWhereRankqlCanReadThem() throws Exception {
        assertThat(json(send("GET", "/test_1/_explain/1?q=bar&df=field", null)).get("matched").asBoolean()).isTrue();
        assertThat(json(send("GET", "/test_1/_explain/1?q=" + q("field:foo"), null)).get("matched").asBoolean()).isTrue();
        assertThat(json(send("GET", "/test_1/_explain/1?q=" + q("foo xyz") + "&df=field", null)).get("matched").asBoolean())
                .isTrue();
        assertThat(json(send("GET", "/test_1/_explain/1?q=" + q("foo xyz") + "&df=field&default_operator=AND", null))
                .get("matched").asBoolean()).isFalse();
        assertThat(json(send("GET", "/test_1/_explain/1?q=" + q("field:\"foo bar\""), null)).get("matched").asBoolean())
                .isTrue();
        // The body wins over q, as in Elasticsearch.
        assertThat(json(send("POST", "/test_1/_explain/1?q=field:nothing", "{\"query\": {\"match_all\": {}}}"))
                .get("matched").asBoolean()).isTrue();

        for (var unreadable : List.of("field:BA*", "field:foo field:xyz", "field:foo AND field:bar", "foo~2", "+foo")) {
            var response = send("GET", "/test_1/_explain/1?q=" + q(unreadable) + "&df=field", null);
            assertThat(response.statusCode()).as(unreadable).isEqualTo(400);
            assertThat(json(response).at("/error/reason").asString()).as(unreadable).contains("rankql reads [q] as");
        }
        var lenient = send("GET", "/test_1/_explain/1?q=number:foo&lenient=true", null);
        assertThat(lenient.statusCode()).isEqualTo(400);
        assertThat(json(lenient).at("/error/reason").asString()).contains("[lenient]");
        var operator = send("GET", "/test_1/_explain/1?q=bar&df=field&default_operator=XOR", null);
        assertThat(operator.statusCode()).isEqualTo(400);
    }
}
