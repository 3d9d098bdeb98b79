package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.mapping.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What {@code rankql serve} does with hostile or broken requests: authentication, names that try to leave the data
 * directory, scripts that try to run code, and malformed HTTP; each gets Elasticsearch's error and the server goes on.
 */
class ServerSafetyTest {

    private static final String KEY_ID = "ingest";
    private static final String KEY = "kT3xW9vQ2pL8mZ4r";

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(TestServer server, String method, String path, String body, String... headers)
            throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String apiKey(String id, String key) {
        return "ApiKey " + Base64.getEncoder().encodeToString((id + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withCredentialsConfiguredEveryRequestMustAuthenticateAsOnASecuredElasticsearchNode() throws Exception {
        var auth = HttpAuth.of(List.of("# keys", KEY_ID + ":" + KEY), "keys",
                List.of(HttpAuth.hashPassword("alice", "correct horse".toCharArray())), "users");
        try (var server = new TestServer(root.resolve("data"), RankqlHttpServer.DEFAULT_MAX_CONTENT_LENGTH, auth)) {
            var missing = send(server, "GET", "/", null);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Basic realm=\"security\", charset=\"UTF-8\"", "ApiKey");
            assertThat(missing.headers().firstValue("X-Elastic-Product")).contains("Elasticsearch");
            var body = json(missing);
            assertThat(body.at("/status").asInt()).isEqualTo(401);
            assertThat(body.at("/error/type").asString()).isEqualTo("security_exception");
            assertThat(body.at("/error/reason").asString()).isEqualTo("missing authentication credentials for REST request [/]");
            assertThat(body.at("/error/root_cause/0/type").asString()).isEqualTo("security_exception");
            assertThat(body.at("/error/header/WWW-Authenticate/1").asString()).isEqualTo("ApiKey");

            assertThat(send(server, "GET", "/", null, "Authorization", apiKey(KEY_ID, KEY)).statusCode()).isEqualTo(200);
            assertThat(send(server, "PUT", "/notes/_doc/1?refresh=true", "{\"a\": 1}", "Authorization",
                    basic("alice", "correct horse")).statusCode()).isEqualTo(201);
            // Encoded the way Elasticsearch prints a new key's "encoded" value, the file form works too.
            var encoded = Base64.getEncoder().encodeToString("other:s3cret-value".getBytes(StandardCharsets.UTF_8));
            var fromEncoded = HttpAuth.of(List.of(encoded), "keys", List.of(), "users");
            assertThat(fromEncoded.check(apiKey("other", "s3cret-value"), "/")).isEmpty();

            var wrongKey = send(server, "GET", "/notes/_search", null, "Authorization", apiKey(KEY_ID, "guess"));
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(json(wrongKey).at("/error/reason").asString()).isEqualTo(
                    "unable to authenticate with provided credentials and anonymous access is not allowed for this request");
            assertThat(json(wrongKey).at("/error/additional_unsuccessful_credentials").asString())
                    .isEqualTo("API key: invalid credentials for API key [ingest]");
            var unknownKey = send(server, "GET", "/notes/_search", null, "Authorization", apiKey("nobody", KEY));
            assertThat(json(unknownKey).at("/error/additional_unsuccessful_credentials").asString())
                    .isEqualTo("API key: unable to find apikey with id nobody");
            var wrongPassword = send(server, "DELETE", "/notes", null, "Authorization", basic("alice", "wrong"));
            assertThat(wrongPassword.statusCode()).isEqualTo(401);
            assertThat(json(wrongPassword).at("/error/reason").asString())
                    .isEqualTo("unable to authenticate user [alice] for REST request [/notes]");
            for (var header : List.of("Bearer abc", "ApiKey !!!", "Basic bm9jb2xvbg==", "ApiKey", "")) {
                var response = send(server, "GET", "/notes/_count", null, "Authorization", header);
                assertThat(response.statusCode()).as(header).isEqualTo(401);
                assertThat(json(response).at("/error/type").asString()).isEqualTo("security_exception");
            }
            var head = send(server, "HEAD", "/notes", null);
            assertThat(head.statusCode()).isEqualTo(401);
            assertThat(head.body()).isEmpty();
            // No unauthenticated request changed anything.
            assertThat(json(send(server, "GET", "/notes/_count", null, "Authorization", apiKey(KEY_ID, KEY)))
                    .at("/count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void credentialFilesRefusePlainPasswordsAndMalformedKeysAndWarnWhenOthersCanReadThem() throws Exception {
        assertThatThrownBy(() -> HttpAuth.of(List.of(), "keys", List.of("alice:secret"), "users.txt"))
                .hasMessageStartingWith("users.txt line 1: a user is user:pbkdf2_sha256$");
        assertThatThrownBy(() -> HttpAuth.of(List.of("", "no-colon-and-not-base64!"), "keys.txt", List.of(), "users"))
                .hasMessageStartingWith("keys.txt line 2: an API key is id:key");
        var file = root.resolve("keys");
        Files.writeString(file, KEY_ID + ":" + KEY + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        var warnings = new ArrayList<String>();
        var auth = HttpAuth.load(Optional.of(file), Optional.of("env:key-from-env, second:another"), Optional.empty(), warnings);
        assertThat(warnings).singleElement().asString().contains("can be read by other users");
        assertThat(auth.check(apiKey("env", "key-from-env"), "/")).isEmpty();
        assertThat(auth.check(apiKey("second", "another"), "/")).isEmpty();
        assertThat(auth.check(apiKey(KEY_ID, KEY), "/")).isEmpty();
        assertThat(auth.challenges()).containsExactly("ApiKey");
        assertThat(HttpAuth.none().check(null, "/")).isEmpty();
    }

    @Test
    void namesThatTryToLeaveTheDataDirectoryAreRefusedAndCreateNothing() throws Exception {
        var data = root.resolve("data");
        try (var server = new TestServer(data)) {
            var attempts = List.of("/..", "/%2e%2e", "/%2E%2E", "/.%2e", "/..%2f..%2fescaped", "/a%2fb", "/a%2Fb",
                    "/%2e%2e%2fescaped", "/a%5cb", "/..%5c..%5cescaped", "/%00", "/bad%00name", "/.", "/%2e",
                    "/_models", "/-x", "/Upper", "/a%20b", "/a%0ab", "/%e2%80%aeevil");
            for (var path : attempts) {
                for (var target : List.of(path, path + "/_doc/1", path + "/_bulk")) {
                    var response = send(server, target.endsWith("_bulk") ? "POST" : "PUT", target,
                            target.endsWith("_bulk") ? "{\"index\": {}}\n{\"a\": 1}\n" : "{}");
                    var body = json(response);
                    if (target.endsWith("_bulk") && response.statusCode() == 200) {
                        // Elasticsearch's bulk fails the items, not the request: every item must have failed.
                        assertThat(body.at("/errors").asBoolean()).as(target).isTrue();
                        assertThat(body.at("/items/0/index/error/type").asString()).as(target)
                                .isEqualTo("invalid_index_name_exception");
                        continue;
                    }
                    assertThat(response.statusCode()).as(target).isBetween(400, 499);
                    if (body.has("error") && body.get("error").isObject()) {
                        assertThat(body.at("/error/type").asString()).as(target).isNotBlank();
                    }
                }
            }
            for (var id : List.of("..", "%2e%2e", "..%2f..%2fescaped", "a%2fb", "a%5cb", "%00", "UPPER", "-x", "x-")) {
                var response = send(server, "PUT", "/_ml/trained_models/" + id, "{\"inference_config\": {}}");
                assertThat(response.statusCode()).as(id).isEqualTo(400);
                assertThat(json(response).at("/error/type").asString()).as(id).isEqualTo("action_request_validation_exception");
            }
            // Document ids are not file names: any id stays inside the index.
            assertThat(send(server, "PUT", "/docs/_doc/..%2f..%2fescaped", "{\"a\": 1}").statusCode()).isEqualTo(201);
            assertThat(send(server, "GET", "/docs/_doc/..%2f..%2fescaped", null).statusCode()).isEqualTo(200);
        }
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("data");
        }
        try (var entries = Files.list(data)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("docs", "rankql.lock");
        }
    }

    @Test
    void scriptsAreLuceneExpressionsAndNothingThatRunsCode() throws Exception {
        try (var server = new TestServer(root.resolve("data"))) {
            send(server, "PUT", "/s/_doc/1?refresh=true", "{\"n\": 2}");
            var allowed = send(server, "POST", "/s/_search", script("doc['n'].value * 2", null));
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(json(allowed).at("/hits/hits/0/_score").asDouble()).isEqualTo(4.0);
            var hostile = List.of(
                    script("java.lang.Runtime.getRuntime().exec('touch " + root.resolve("pwned") + "')", null),
                    script("Runtime.getRuntime().halt(1)", null),
                    script("new File('/etc/passwd')", null),
                    script("def x = 1; return x;", null),
                    script("params.getClass().forName('java.lang.System').exit(1)", null),
                    script("System.exit(1)", "expression"),
                    script("exit(1)", "expression"),
                    script("1", "mustache"),
                    script("1", "java"),
                    script("1", "groovy"),
                    """
                    {"query": {"script_score": {"query": {"match_all": {}}, "script": {"id": "stored-script"}}}}""");
            for (var body : hostile) {
                var response = send(server, "POST", "/s/_search", body);
                assertThat(response.statusCode()).as(body).isEqualTo(400);
                assertThat(json(response).at("/error/type").asString()).as(body).isNotBlank();
            }
            assertThat(root.resolve("pwned")).doesNotExist();
            assertThat(send(server, "GET", "/s/_count", null).statusCode()).isEqualTo(200);
        }
    }

    private static String script(String source, String lang) {
        return """
                {"query": {"script_score": {"query": {"match_all": {}}, "script": {%s"source": %s}}}}"""
                .formatted(lang == null ? "" : "\"lang\": \"" + lang + "\", ", Json.MAPPER.writeValueAsString(source));
    }

    @Test
    void malformedHttpGetsAnErrorAndTheServerGoesOn() throws Exception {
        try (var server = new TestServer(root.resolve("data"), 1 << 20)) {
            send(server, "PUT", "/m", "{}");
            var port = server.server.address().getPort();
            var cases = new ArrayList<String[]>();
            cases.add(new String[] {"bad JSON", "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 9\r\n\r\n{\"query\":", "400"});
            cases.add(new String[] {"wrong content type", "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\n"
                    + "Content-Length: 2\r\n\r\n{}", "406"});
            cases.add(new String[] {"unsupported versioned type", "GET / HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: application/vnd.elasticsearch+json;compatible-with=5\r\n\r\n", "400"});
            cases.add(new String[] {"unknown method", "BREW /m HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", "405"});
            cases.add(new String[] {"not a JSON object", "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 7\r\n\r\n[1,2,3]", "400"});
            cases.add(new String[] {"binary body", "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4\r\n\r\n\u0000\u0001\u00ff\u0002", "400"});
            cases.add(new String[] {"bulk without a final newline", "POST /m/_bulk HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: 12\r\n\r\n{\"index\": {}", "400"});
            cases.add(new String[] {"over the content length", "POST /m/_search HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{}", "413"});
            for (var c : cases) {
                var answer = exchange(port, c[1], 60_000);
                assertThat(answer).as(c[0]).startsWith("HTTP/1.1 " + c[2]);
                if (!c[2].equals("413")) {
                    assertThat(answer).as(c[0]).contains("\"error\"").contains("\"status\":" + c[2]);
                }
            }
            // Broken or oversized at the protocol level: the JDK's HTTP layer answers 4xx or drops the connection
            // before rankql sees a request; either way the server goes on serving.
            var protocol = List.of(
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Huge: " + "a".repeat(2 << 20) + "\r\n\r\n",
                    "GET / HTTP/1.1\r\n" + "X-Many: 1\r\n".repeat(5000) + "\r\n",
                    "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"query\"",
                    "POST /m/_search HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
                    "POST /m/_search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                    "GARBAGE\r\n\r\n",
                    "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003",
                    "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            for (var request : protocol) {
                // A request the server can never complete (a truncated body) may get no answer at all: wait a little only.
                var answer = exchange(port, request, 3_000);
                if (!answer.isEmpty()) {
                    assertThat(answer).startsWith("HTTP/1.1 ");
                    // Never a server error: the JDK's layer refuses (4xx) or, for headers within its limits, serves.
                    assertThat(answer.substring(9, 10)).as(request.substring(0, Math.min(60, request.length())))
                            .isIn("2", "4");
                }
                assertThat(send(server, "GET", "/m/_count", null).statusCode()).as(request.substring(0, Math.min(20, request.length()))).isEqualTo(200);
            }
            assertThat(server.log).noneMatch(line -> line.startsWith("internal error"));
        }
    }

    /** Sends {@code request} raw (chars as ISO-8859-1 bytes) and reads the answer; a reset reads as the empty string. */
    private static String exchange(int port, String request, int timeoutMillis) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                // Everything is sent; a truncated body thus ends in end-of-stream, as when a client dies mid-request.
                socket.shutdownOutput();
            } catch (IOException e) {
                return "";
            }
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) {
        var out = new ByteArrayOutputStream();
        var buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (out.size() > 0 && out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                        && complete(out.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (IOException e) {
            // A reset after a partial answer: what was read is the answer.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether a response with a Content-Length has all of its body. */
    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        var length = Stream.of(response.substring(0, end).split("\r\n"))
                .filter(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(h -> Integer.parseInt(h.substring(15).strip())).findFirst();
        return length.map(l -> response.length() - end - 4 >= l).orElse(false);
    }
}
