package dev.rankql.cli.http;

import dev.rankql.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine on a temporary data directory served on a free loopback port, with the request log kept in memory. */
final class TestServer implements AutoCloseable {

    final Engine engine;
    final RankqlHttpServer server;
    final List<String> log = new CopyOnWriteArrayList<>();

    TestServer(Path data, long maxContentLength) throws IOException {
        this(data, maxContentLength, HttpAuth.none());
    }

    TestServer(Path data, long maxContentLength, HttpAuth auth) throws IOException {
        this.engine = Engine.open(data);
        try {
            this.server = RankqlHttpServer.start(engine, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    maxContentLength, RankqlHttpServer.info(data, "test", "2026-11-26T00:00:00.000Z"), log::add, auth);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    TestServer(Path data) throws IOException {
        this(data, RankqlHttpServer.DEFAULT_MAX_CONTENT_LENGTH);
    }

    /** The server's base URI, such as {@code http://127.0.0.1:54321}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    URI uri(String pathAndQuery) {
        return base().resolve(pathAndQuery);
    }

    @Override
    public void close() throws IOException {
        server.close();
        engine.close();
    }
}
