package dev.rankql.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rankql.cli.http.RankqlHttpServer;
import dev.rankql.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every {@code http} block of the docs against {@code rankql serve}'s server, in order, one fresh data directory
 * per Markdown file. A block is a request line ({@code METHOD /path?query}) and an optional body; the {@code json}
 * block right after it, if any, is the expected response, compared as a subset (volatile fields such as {@code took}
 * may be left out). The expected status is the body's numeric {@code status} when it has one (Elasticsearch's error
 * bodies do), 404 for a get's {@code "found": false} and for an explain's {@code "matched": false} without an
 * {@code explanation}, else any 2xx.
 */
class HttpExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request of the docs and what it must answer. */
    private record Exchange(Examples.Block request, Examples.Block expected) {
        @Override
        public String toString() {
            return request.toString() + " " + request.text().lines().findFirst().orElse("");
        }
    }

    @TestFactory
    Stream<DynamicNode> httpExamplesRunAsDocumented() {
        return Examples.markdownFiles().stream()
                .filter(file -> Examples.blocks(file).stream().anyMatch(b -> b.lang().equals("http")))
                .map(file -> {
                    var blocks = Examples.blocks(file);
                    var exchanges = new ArrayList<Exchange>();
                    for (int i = 0; i < blocks.size(); i++) {
                        if (blocks.get(i).lang().equals("http")) {
                            var next = i + 1 < blocks.size() && blocks.get(i + 1).lang().equals("json") ? blocks.get(i + 1) : null;
                            exchanges.add(new Exchange(blocks.get(i), next));
                        }
                    }
                    return dynamicContainer(file.getFileName().toString(), Stream.of(dynamicTest("session", () -> run(exchanges))));
                });
    }

    private static void run(List<Exchange> exchanges) throws Exception {
        var data = Files.createTempDirectory("rankql-docs-http-");
        try (var engine = Engine.open(data);
                var server = RankqlHttpServer.start(engine, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        RankqlHttpServer.DEFAULT_MAX_CONTENT_LENGTH, RankqlHttpServer.info(data, "docs", "docs"), line -> { })) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var base = URI.create("http://127.0.0.1:" + server.address().getPort());
            for (var exchange : exchanges) {
                var text = exchange.request().text();
                var firstLine = text.lines().findFirst().orElseThrow().strip();
                var parts = firstLine.split(" ", 2);
                var body = text.substring(text.indexOf('\n') + 1);
                var builder = HttpRequest.newBuilder(base.resolve(parts[1]));
                if (body.isBlank()) {
                    builder.method(parts[0], HttpRequest.BodyPublishers.noBody());
                } else {
                    var type = parts[1].contains("_bulk") ? "application/x-ndjson"
                            : parts[1].contains("_rankql") ? "text/plain" : "application/json";
                    builder.method(parts[0], HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
                }
                var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                if (exchange.expected() == null) {
                    assertThat(response.statusCode()).as("%s answered %s", exchange, response.body()).isBetween(200, 299);
                    continue;
                }
                var want = JSON.readTree(exchange.expected().text());
                var status = want.path("status");
                // A get of a missing document, or an explain of one (matched false and no explanation), is a 404.
                boolean missing = want.path("found").isBoolean() && !want.path("found").asBoolean()
                        || want.path("matched").isBoolean() && !want.path("matched").asBoolean() && !want.has("explanation");
                if (status.isInt() || missing) {
                    assertThat(response.statusCode()).as("%s answered %s", exchange, response.body())
                            .isEqualTo(status.isInt() ? status.asInt() : 404);
                } else {
                    assertThat(response.statusCode()).as("%s answered %s", exchange, response.body()).isBetween(200, 299);
                }
                var problems = new ArrayList<String>();
                ConsoleExamplesTest.subset(want, JSON.readTree(response.body()), "$", problems);
                assertThat(problems).as("%s answered %s", exchange, response.body()).isEmpty();
            }
        } finally {
            deleteRecursively(data);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
