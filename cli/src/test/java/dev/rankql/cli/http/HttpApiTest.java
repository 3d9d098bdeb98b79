package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.dsl.Dsl;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The REST API over plain HTTP: Elasticsearch's statuses, error bodies, headers, HEAD, 405/400 routing, limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {

    private static final String JSON = "application/json";
    private static final long LIMIT = 64 * 1024;

    private TestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = new TestServer(data, LIMIT);
        assertThat(send("PUT", "/products", """
                {"mappings": {"properties": {"title": {"type": "text"}, "price": {"type": "integer"}}}}
                """).statusCode()).isEqualTo(200);
        var bulk = new StringBuilder();
        String[] titles = {"desk lamp", "floor lamp", "usb cable", "desk", "lamp shade", "cable tie"};
        for (int i = 0; i < titles.length; i++) {
            bulk.append("{\"index\": {\"_id\": \"p").append(i).append("\"}}\n");
            bulk.append("{\"title\": \"").append(titles[i]).append("\", \"price\": ").append(10 * (i + 1)).append("}\n");
        }
        var response = send("POST", "/products/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("errors").asBoolean()).isFalse();
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path));
        if (body == null) {
            builder.method(method, BodyPublishers.noBody());
        } else {
            builder.method(method, BodyPublishers.ofString(body)).header("Content-Type", contentType);
        }
        return http.send(builder.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, JSON);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null, null);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void everyResponseSaysItIsElasticsearch() throws Exception {
        for (var response : new HttpResponse<?>[] {send("GET", "/"), send("GET", "/nope/_search"), send("PATCH", "/products"),
                send("GET", "/a/b/c/d"), send("HEAD", "/products")}) {
            assertThat(response.headers().firstValue("X-Elastic-Product")).as(response.uri().toString()).contains("Elasticsearch");
        }
        var info = json(send("GET", "/"));
        assertThat(info.at("/version/number").asString()).isEqualTo(RankqlHttpServer.ES_VERSION);
        assertThat(info.at("/version/build_flavor").asString()).isEqualTo("default");
        assertThat(info.at("/tagline").asString()).isEqualTo("You Know, for Search");
    }

    @Test
    void malformedJsonIsA400ParseErrorWithElasticsearchsType() throws Exception {
        var response = send("POST", "/products/_search", "{\"query\": {\"match\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        var body = json(response);
        assertThat(body.at("/status").asInt()).isEqualTo(400);
        assertThat(body.at("/error/type").asString()).isIn("parsing_exception", "x_content_parse_exception");
        assertThat(body.at("/error/root_cause/0/type").asString()).isEqualTo(body.at("/error/type").asString());

        var unknown = send("POST", "/products/_search", "{\"query\": {\"no_such_query\": {}}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).at("/error/path").asString()).startsWith("$.query");
    }

    @Test
    void aMissingIndexIsA404IndexNotFound() throws Exception {
        for (var response : java.util.List.of(send("POST", "/nope/_search", "{}"), send("GET", "/nope/_mapping"),
                send("DELETE", "/nope"), send("GET", "/nope/_count"), send("GET", "/nope/_doc/1"))) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(404);
            var body = json(response);
            assertThat(body.at("/error/type").asString()).isEqualTo("index_not_found_exception");
            assertThat(body.at("/error/reason").asString()).isEqualTo("no such index [nope]");
            assertThat(body.at("/error/index").asString()).isEqualTo("nope");
            assertThat(body.at("/status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void aBodyOverTheLimitIsA413WithoutBody() throws Exception {
        var big = "{\"query\": {\"match\": {\"title\": \"" + "x".repeat((int) LIMIT) + "\"}}}";
        var response = send("POST", "/products/_search", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("X-Elastic-Product")).contains("Elasticsearch");
        // The server is still fine afterwards.
        assertThat(send("GET", "/products/_count").statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersWithTheStatusOnly() throws Exception {
        var exists = send("HEAD", "/products");
        assertThat(exists.statusCode()).isEqualTo(200);
        assertThat(exists.body()).isEmpty();
        var missing = send("HEAD", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
        assertThat(send("HEAD", "/").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/products/_doc/p1").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/products/_doc/zzz").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownMethodsAndRoutesGetElasticsearchsAnswers() throws Exception {
        var wrong = send("POST", "/products", "{}");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("DELETE,GET,HEAD,PUT");
        assertThat(Json.write(json(wrong))).isEqualTo("{\"error\":\"Incorrect HTTP method for uri [/products] and method "
                + "[POST], allowed: [DELETE, GET, HEAD, PUT]\",\"status\":405}");
        var unknown = send("GET", "/products/_nothing/here?x=1");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.write(json(unknown)))
                .isEqualTo("{\"error\":\"no handler found for uri [/products/_nothing/here?x=1] and method [GET]\"}");
    }

    @Test
    void compatibleMediaTypesAreAcceptedAndAnswered() throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/products/_search"))
                .header("Accept", "application/vnd.elasticsearch+json; compatible-with=8")
                .header("Content-Type", "application/vnd.elasticsearch+json; compatible-with=8")
                .POST(BodyPublishers.ofString("{\"query\": {\"match\": {\"title\": \"lamp\"}}}")).build();
        var response = http.send(request, BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/vnd.elasticsearch+json;compatible-with=8");
        assertThat(json(response).at("/hits/total/value").asInt()).isEqualTo(3);

        var old = http.send(HttpRequest.newBuilder(server.uri("/"))
                .header("Accept", "application/vnd.elasticsearch+json; compatible-with=7").GET().build(), BodyHandlers.ofString());
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(json(old).at("/error/type").asString()).isEqualTo("media_type_header_exception");

        var form = send("POST", "/products/_search", "{}", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(406);
    }

    @Test
    void searchUrlParametersOverrideTheBody() throws Exception {
        var body = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 1}";
        var all = json(send("POST", "/products/_search?size=10&rest_total_hits_as_int=true", body));
        assertThat(all.at("/hits/total").asInt()).isEqualTo(3);
        assertThat(all.at("/hits/hits")).hasSize(3);
        var paged = json(send("POST", "/products/_search?size=1&from=1", body));
        assertThat(paged.at("/hits/hits/0/_id").asString()).isEqualTo(all.at("/hits/hits/1/_id").asString());
        var explained = json(send("GET", "/products/_search?q=title:cable&explain=true"));
        assertThat(explained.at("/hits/total/value").asInt()).isEqualTo(2);
        assertThat(explained.at("/hits/hits/0/_explanation/value").isNumber()).isTrue();
        assertThat(send("GET", "/products/_search?size=-1").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/products/_search?size=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void rankEvalScoresRatedRequests() throws Exception {
        var response = send("POST", "/products/_rank_eval", """
                {"requests": [{"id": "desk", "request": {"query": {"match": {"title": "desk"}}},
                               "ratings": [{"_index": "products", "_id": "p3", "rating": 1},
                                           {"_index": "products", "_id": "p0", "rating": 0}]}],
                 "metric": {"precision": {"k": 2, "relevant_rating_threshold": 1}}}
                """);
        assertThat(response.statusCode()).isEqualTo(200);
        var body = json(response);
        assertThat(body.get("metric_score").asDouble()).isEqualTo(0.5);
        assertThat(body.at("/details/desk/metric_score").asDouble()).isEqualTo(0.5);
        assertThat(body.at("/details/desk/unrated_docs").size()).isZero();

        var missing = send("POST", "/products/_rank_eval", "{\"requests\": []}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(send("POST", "/nope/_rank_eval", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void countTakesAQueryOrQ() throws Exception {
        assertThat(json(send("GET", "/products/_count")).get("count").asInt()).isEqualTo(6);
        assertThat(json(send("POST", "/products/_count", "{\"query\": {\"range\": {\"price\": {\"gte\": 40}}}}"))
                .get("count").asInt()).isEqualTo(3);
        assertThat(json(send("GET", "/products/_count?q=title:desk")).get("count").asInt()).isEqualTo(2);
        var bad = send("POST", "/products/_count", "{\"size\": 3}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).at("/error/type").asString()).isEqualTo("parsing_exception");
    }

    @Test
    void documentsAreWrittenReadAndDeletedWithElasticsearchsStatuses() throws Exception {
        var created = send("PUT", "/notes/_doc/1?refresh=true", "{\"text\": \"first\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("result").asString()).isEqualTo("created");
        assertThat(json(created).has("status")).isFalse();
        var updated = send("POST", "/notes/_doc/1", "{\"text\": \"second\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).get("_version").asInt()).isEqualTo(2);
        var got = json(send("GET", "/notes/_doc/1"));
        assertThat(got.at("/_source/text").asString()).isEqualTo("second");
        var conflict = send("PUT", "/notes/_doc/1?op_type=create", "{\"text\": \"third\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).at("/error/type").asString()).isEqualTo("version_conflict_engine_exception");
        var auto = send("POST", "/notes/_doc", "{\"text\": \"auto\"}");
        assertThat(auto.statusCode()).isEqualTo(201);
        assertThat(json(auto).get("_id").asString()).isNotBlank();
        var partial = send("POST", "/notes/_update/1", "{\"doc\": {\"tag\": \"x\"}}");
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(json(send("GET", "/notes/_doc/1")).at("/_source/tag").asString()).isEqualTo("x");
        var missingDoc = send("POST", "/notes/_update/nope", "{\"doc\": {\"tag\": \"x\"}}");
        assertThat(missingDoc.statusCode()).isEqualTo(404);
        assertThat(json(missingDoc).at("/error/type").asString()).isEqualTo("document_missing_exception");
        assertThat(send("DELETE", "/notes/_doc/1").statusCode()).isEqualTo(200);
        var gone = send("GET", "/notes/_doc/1");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Json.write(json(gone))).isEqualTo("{\"_index\":\"notes\",\"_id\":\"1\",\"found\":false}");
        var deletedAgain = send("DELETE", "/notes/_doc/1");
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
        assertThat(json(deletedAgain).get("result").asString()).isEqualTo("not_found");
        assertThat(json(send("POST", "/notes/_refresh")).at("/_shards/failed").asInt()).isZero();
        assertThat(send("DELETE", "/notes").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/products", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void theDslEndpointRunsWhatTheEngineRuns() throws Exception {
        var dsl = "QUERY match(title, \"lamp\") SIZE 2";
        var response = send("POST", "/products/_rankql", dsl, "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        var expected = server.engine.search("products", Dsl.parseRequest(dsl));
        assertThat(json(response).at("/hits/hits/0/_id").asString()).isEqualTo(expected.hits().getFirst().id());
        assertThat(json(response).at("/hits/hits")).hasSize(2);

        var broken = send("POST", "/products/_rankql", "QUERY match(title, \"lamp\"", "text/plain");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).at("/error/type").asString()).isEqualTo("parsing_exception");
        assertThat(json(broken).at("/error/line").asInt()).isEqualTo(1);

        var other = send("POST", "/products/_rankql", "FROM other QUERY match_all()", "text/plain");
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(json(other).at("/error/type").asString()).isEqualTo("illegal_argument_exception");
    }

    @Test
    void translateTurnsDslIntoJsonAndBack() throws Exception {
        var dsl = "QUERY match(title, \"lamp\") SIZE 2";
        var toJson = send("POST", "/_rankql/translate", dsl, "text/plain");
        assertThat(toJson.statusCode()).isEqualTo(200);
        assertThat(json(toJson)).isEqualTo(EsJson.toJsonNode(Dsl.parseRequest(dsl)));
        var toDsl = send("POST", "/_rankql/translate", toJson.body());
        assertThat(toDsl.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(Dsl.parseRequest(toDsl.body())).isEqualTo(Dsl.parseRequest(dsl));
        assertThat(send("POST", "/_rankql/translate?to=yaml", dsl, "text/plain").statusCode()).isEqualTo(400);
    }

    @Test
    void modelsArePutReadReplacedAndDeleted() throws Exception {
        var root = Path.of(System.getProperty("rankql.root"));
        var model = java.nio.file.Files.readString(root.resolve("examples/ltr/model.json"));
        assertThat(send("PUT", "/_ml/trained_models/m1", model).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/_ml/trained_models/m1", model).statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/_ml/trained_models/m1?replace=true", model).statusCode()).isEqualTo(200);
        assertThat(json(send("GET", "/_ml/trained_models/m1")).get("count").asInt()).isEqualTo(1);
        assertThat(send("DELETE", "/_ml/trained_models/m1").statusCode()).isEqualTo(200);
        var missing = send("GET", "/_ml/trained_models/m1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/type").asString()).isEqualTo("resource_not_found_exception");
    }

    @Test
    void concurrentKeepAliveClientsGetConsistentAnswers() throws Exception {
        var expected = json(send("POST", "/products/_search", "{\"query\": {\"match\": {\"title\": \"lamp desk\"}}}")).at("/hits/hits");
        var tasks = new ArrayList<Callable<Integer>>();
        for (int t = 0; t < 4; t++) {
            tasks.add(() -> {
                // One socket per client, reused for every request: keep-alive, not one connection per request.
                try (var socket = new Socket(server.base().getHost(), server.base().getPort())) {
                    var in = new BufferedInputStream(socket.getInputStream());
                    var out = socket.getOutputStream();
                    for (int i = 0; i < 20; i++) {
                        var body = rawPost(out, in, "/products/_search", "{\"query\": {\"match\": {\"title\": \"lamp desk\"}}}");
                        assertThat(Json.MAPPER.readTree(body).at("/hits/hits")).isEqualTo(expected);
                    }
                }
                return 20;
            });
        }
        try (var pool = Executors.newFixedThreadPool(4)) {
            int done = 0;
            for (var future : pool.invokeAll(tasks)) {
                done += future.get();
            }
            assertThat(done).isEqualTo(80);
        }
    }

    @Test
    void clusterHealthAndRefreshOfEveryIndexAnswerAsOneGreenNode() throws Exception {
        var health = json(send("GET", "/_cluster/health"));
        assertThat(health.get("status").asString()).isEqualTo("green");
        assertThat(health.get("number_of_nodes").asInt()).isEqualTo(1);
        var refreshed = json(send("POST", "/_refresh"));
        assertThat(refreshed.at("/_shards/failed").asInt()).isZero();
        assertThat(refreshed.at("/_shards/successful").asInt()).isEqualTo(refreshed.at("/_shards/total").asInt());
    }

    @Test
    void everyRequestIsLoggedOnOneLine() throws Exception {
        send("GET", "/products/_count?q=title:lamp&log=1");
        // The line is written once the exchange is closed, which may be just after the client has read the answer.
        var expected = "GET /products/_count\\?q=title:lamp&log=1 200 [0-9.]+ms";
        for (int i = 0; i < 1000 && server.log.stream().noneMatch(line -> line.matches(expected)); i++) {
            Thread.sleep(10);
        }
        assertThat(server.log).anySatisfy(line -> assertThat(line).matches(expected));
    }

    /** Sends one HTTP/1.1 request on an open socket and reads exactly its response body (Content-Length framed). */
    private static String rawPost(OutputStream out, InputStream in, String path, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        int length = -1;
        String status = readLine(in);
        assertThat(status).startsWith("HTTP/1.1 200");
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
            assertThat(line.toLowerCase(java.util.Locale.ROOT)).isNotEqualTo("connection: close");
        }
        assertThat(length).isPositive();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
