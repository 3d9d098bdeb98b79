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
    void byteSizesReadAsElasticsearchWritesThem() {
        assertThat(ServeCommand.parseByteSize("100mb")).isEqualTo(100L << 20);
        assertThat(ServeCommand.parseByteSize("512KB")).isEqualTo(512L << 10);
        assertThat(ServeCommand.parseByteSize("1gb")).isEqualTo(1L << 30);
        assertThat(ServeCommand.parseByteSize("4096")).isEqualTo(4096);
        assertThat(ServeCommand.parseByteSize("10b")).isEqualTo(10);
    }
}
