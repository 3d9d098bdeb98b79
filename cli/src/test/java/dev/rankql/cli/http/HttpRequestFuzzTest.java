package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of rankql's side of HTTP request parsing: the input is a request line and headers as a
 * client sends them; what the JDK server accepts (a URI that parses) goes through the path and query decoding,
 * media-type negotiation and routing of the real endpoints, which answer or fail with an {@link EngineException}
 * (a 4xx answer), never with anything else.
 */
class HttpRequestFuzzTest {

    private static final Router ROUTER = router();
    // Compiled once: String.split would compile it again for every input, and under fuzzing each compilation also
    // passes through Jazzer's regular-expression hooks.
    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");

    private static Router router() {
        try {
            // The routes are registered without touching the engine; it only has to exist.
            var engine = Engine.open(Files.createTempDirectory("rankql-http-fuzz"));
            return new Endpoints(engine, Json.object()).register(new Router());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void parse(byte[] input) {
        var lines = LINE_BREAK.split(new String(input, StandardCharsets.ISO_8859_1), -1);
        var requestLine = lines[0].split(" ", 3);
        if (requestLine.length < 2) {
            return;
        }
        String method = requestLine[0];
        URI uri;
        try {
            uri = new URI(requestLine[1]);
        } catch (URISyntaxException e) {
            // The JDK server answers 400 itself before rankql sees the request.
            return;
        }
        var headers = new HashMap<String, String>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        try {
            MediaTypes.negotiate(headers.get("content-type"), headers.get("accept"));
            var params = RankqlHttpServer.params(uri.getRawQuery());
            var segments = RankqlHttpServer.segments(uri.getRawPath());
            assertThat(params).doesNotContainKey(null);
            var match = ROUTER.route(method, segments);
            if (match instanceof Router.Match.Found found) {
                assertThat(found.handler()).isNotNull();
            }
        } catch (EngineException e) {
            assertThat(e.status()).isBetween(400, 499);
        }
    }
}
