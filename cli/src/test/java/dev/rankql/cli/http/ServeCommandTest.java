package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.cli.Main;
import dev.rankql.engine.Engine;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rankql serve} as a process: it starts, logs each request, and on SIGTERM closes the data cleanly. */
class ServeCommandTest {

    private static final Pattern SERVING = Pattern.compile("rankql: serving .* on http://127\\.0\\.0\\.1:(\\d+) .*");

    @Test
    void servesUntilSigtermThenReleasesTheDataDirectory(@TempDir Path data) throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data", data.toString(), "serve", "--port", "0").start();
        var lines = new CopyOnWriteArrayList<String>();
        var port = new CompletableFuture<Integer>();
        var reader = Thread.ofPlatform().start(() -> {
            try (var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (var line = err.readLine(); line != null; line = err.readLine()) {
                    lines.add(line);
                    var matcher = SERVING.matcher(line);
                    if (matcher.matches()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("serve ended before serving: " + lines));
        });
        try {
            var base = URI.create("http://127.0.0.1:" + port.get(2, TimeUnit.MINUTES));
            var http = HttpClient.newHttpClient();
            var put = http.send(HttpRequest.newBuilder(base.resolve("/notes/_doc/1"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"text\": \"kept\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(201);
            var info = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(info.headers().firstValue("X-Elastic-Product")).contains("Elasticsearch");
        } finally {
            // SIGTERM as a service manager sends it; Process.destroy() was seen to end a JVM child without its hooks.
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            reader.join();
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("PUT /notes/_doc/1 201 [0-9.]+ms"));
        assertThat(lines).as("exit %d", process.exitValue()).anySatisfy(line -> assertThat(line).startsWith("rankql: stopped;"));
        // The lock is released and the acknowledged write is there.
        try (var engine = Engine.open(data)) {
            assertThat(engine.getDocument("notes", "1").orElseThrow().source().get("text").asString()).isEqualTo("kept");
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndCommitsIt(@TempDir Path data) throws Exception {
        int docs = 2_000;
        var ndjson = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            ndjson.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n{\"text\": \"document ").append(i).append("\"}\n");
        }
        var bytes = ndjson.toString().getBytes(StandardCharsets.UTF_8);
        var pipeIn = new java.io.PipedInputStream(1 << 16);
        var pipeOut = new java.io.PipedOutputStream(pipeIn);
        var halfSent = new java.util.concurrent.CountDownLatch(1);
        var terminated = new java.util.concurrent.CountDownLatch(1);
        try (var server = ServeProcess.start(data, List.of())) {
            // The body arrives in two halves with the SIGTERM between them, so the request is surely in flight.
            var sender = Thread.ofPlatform().start(() -> {
                try (pipeOut) {
                    pipeOut.write(bytes, 0, bytes.length / 2);
                    pipeOut.flush();
                    halfSent.countDown();
                    terminated.await();
                    pipeOut.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            var response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(server.uri("/notes/_bulk"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> pipeIn)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(halfSent.await(2, TimeUnit.MINUTES)).isTrue();
            while (server.log().stream().noneMatch(line -> line.startsWith("rankql: serving"))) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            new ProcessBuilder("kill", "-TERM", Long.toString(server.process.pid())).inheritIO().start().waitFor();
            while (server.log().stream().noneMatch(line -> line.equals("rankql: stopping"))) {
                Thread.sleep(10);
            }
            terminated.countDown();
            var answer = response.get(2, TimeUnit.MINUTES);
            sender.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"errors\":false");
            assertThat(server.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(server.log()).anySatisfy(line -> assertThat(line).startsWith("rankql: stopped;"));
            assertThat(server.log()).anySatisfy(line -> assertThat(line).startsWith("POST /notes/_bulk 200"));
        }
        try (var engine = Engine.open(data)) {
            assertThat(engine.count("notes", new dev.rankql.ast.Query.MatchAll(dev.rankql.ast.Span.NONE,
                    java.util.Optional.empty(), java.util.Optional.empty()))).isEqualTo(docs);
        }
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path data) {
        for (var args : List.of(List.of("serve", "--port", "70000"), List.of("serve", "--max-content-length", "lots"),
                List.of("serve", "--max-content-length", "0mb"))) {
            var err = new StringWriter();
            var all = new java.util.ArrayList<>(List.of("--data", data.toString()));
            all.addAll(args);
            int status = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[0]))
                    .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
            assertThat(status).as("%s: %s", args, err).isEqualTo(2);
        }
    }

    @Test
    void hashPasswordPrintsAUsersFileLineAndBadCredentialFilesAreRefused(@TempDir Path data) throws Exception {
        var out = new StringWriter();
        int status = Main.commandLine(Map.of(), () -> new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("serve", "--hash-password", "alice");
        assertThat(status).isZero();
        var line = out.toString().strip();
        assertThat(line).startsWith("alice:pbkdf2_sha256$").doesNotContain("s3cret");
        var auth = HttpAuth.of(List.of(), "keys", List.of(line), "users");
        var header = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret pass".getBytes(StandardCharsets.UTF_8));
        assertThat(auth.check(header, "/")).isEmpty();

        var plain = data.resolveSibling(data.getFileName() + "-users");
        java.nio.file.Files.writeString(plain, "alice:s3cret\n");
        for (var args : List.of(List.of("serve", "--users-file", plain.toString()),
                List.of("serve", "--api-key-file", data.resolve("missing-keys").toString()))) {
            var err = new StringWriter();
            var all = new java.util.ArrayList<>(List.of("--data", data.toString()));
            all.addAll(args);
            int code = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[0]))
                    .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
            assertThat(code).as("%s: %s", args, err).isEqualTo(args.get(1).equals("--users-file") ? 2 : 3);
        }
    }

    @Test
    void byteSizesReadAsElasticsearchWritesThem() {
        assertThat(ServeCommand.parseByteSize("100mb")).isEqualTo(100L << 20);
        assertThat(ServeCommand.parseByteSize("512KB")).isEqualTo(512L << 10);
        assertThat(ServeCommand.parseByteSize("1gb")).isEqualTo(1L << 30);
        assertThat(ServeCommand.parseByteSize("4096")).isEqualTo(4096);
        assertThat(ServeCommand.parseByteSize("10b")).isEqualTo(10);
    }
}
