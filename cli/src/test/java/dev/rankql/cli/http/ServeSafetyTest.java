package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankql serve} as a process, for what only a process shows: the warning when it listens beyond loopback, and
 * {@code --read-timeout}, which the JDK's server reads once per process.
 */
class ServeSafetyTest {

    /** Long enough never to fire on a server that works, short enough to end a test whose server hangs. */
    private static final int SAFETY_TIMEOUT_MILLIS = 120_000;

    @Test
    void listeningBeyondLoopbackWarnsOnStderr(@TempDir Path data) throws Exception {
        // Port 0 and closed at once; the warning is written before the server reports that it serves.
        try (var server = ServeProcess.start(data, List.of("--host", "0.0.0.0"))) {
            // The wildcard address is written as the JVM names it: 0.0.0.0, or the IPv6 one on a dual-stack machine.
            assertThat(server.log()).anySatisfy(line -> assertThat(line).matches("rankql: warning: listening on "
                    + "(0\\.0\\.0\\.0|0:0:0:0:0:0:0:0), reachable from other machines; no authentication is "
                    + "configured \\(--api-key-file, --users-file\\) and rankql has no TLS"));
            var info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(server.terminate()).isTrue();
        }
    }

    @Test
    void aClientThatStallsItsRequestIsDisconnectedAndOthersAreServed(@TempDir Path data) throws Exception {
        try (var server = ServeProcess.start(data, List.of("--read-timeout", "1s"))) {
            assertThat(server.log()).as("loopback is not warned about").noneSatisfy(line -> assertThat(line).startsWith("rankql: warning"));
            var address = InetAddress.getLoopbackAddress();
            int port = server.uri("/").getPort();
            try (var stalled = new Socket(address, port); var silent = new Socket(address, port)) {
                stalled.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
                silent.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
                // Headers promising a body, half of which never comes.
                var out = stalled.getOutputStream();
                out.write(("POST /notes/_bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"index\": {\"_id\": \"1\"}}\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readToEnd(stalled.getInputStream())).isEmpty();
                // A connection that sends nothing at all is closed too.
                assertThat(readToEnd(silent.getInputStream())).isEmpty();
            }
            // The server is still there for everyone else, and the stalled request wrote nothing.
            var http = HttpClient.newHttpClient();
            var put = http.send(HttpRequest.newBuilder(server.uri("/notes/_doc/2?refresh=true"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"text\": \"kept\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(201);
            var count = http.send(HttpRequest.newBuilder(server.uri("/notes/_count")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).contains("\"count\":1");
            assertThat(server.terminate()).isTrue();
        }
    }

    /** What the server sends before it closes the connection (a reset counts as a close). */
    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        }
    }
}
