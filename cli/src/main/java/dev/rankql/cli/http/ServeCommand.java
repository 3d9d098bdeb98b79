package dev.rankql.cli.http;

import dev.rankql.cli.CommandFailure;
import dev.rankql.cli.RankqlCommand;
import dev.rankql.cli.Version;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rankql serve}: the data directory behind Elasticsearch's REST API, until SIGINT or SIGTERM. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the data directory over HTTP with Elasticsearch's REST API (index, _bulk, _doc, _search, _count,",
            "_ml/trained_models, ...), so that curl scripts and the official Elasticsearch clients work unchanged;",
            "rankql's own POST /INDEX/_rankql takes a DSL search. See docs/http.md for every endpoint.",
            "Listens on 127.0.0.1 unless --host says otherwise (with a warning: there is no authentication).",
            "One line per request is logged on stderr; Ctrl-C (SIGINT) or SIGTERM stops it and closes the data cleanly."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql serve",
            "  rankql --data /srv/rankql serve --port 9201",
            "  rankql serve --port 0                        a free port, printed at start",
            "  curl -s localhost:9200/products/_search -H 'Content-Type: application/json' \\",
            "      -d '{\"query\": {\"match\": {\"title\": \"lamp\"}}}'",
            "  curl -s localhost:9200/products/_rankql -d 'QUERY match(title, \"lamp\") SIZE 3'"
        })
public final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9200",
            description = "The port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--max-content-length", paramLabel = "SIZE", defaultValue = "100mb",
            description = "The largest request body accepted, as Elasticsearch's http.max_content_length "
                    + "(default: ${DEFAULT-VALUE}); larger ones get 413.")
    private String maxContentLength;

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            throw CommandFailure.badRequest("--port must be between 0 and 65535, got " + port);
        }
        long limit = parseByteSize(maxContentLength);
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw CommandFailure.badRequest("--host [" + host + "] is not a known address");
        }
        var data = ((RankqlCommand) spec.root().userObject()).dataDirectory();
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw CommandFailure.badRequest("the data directory " + data + " is not a directory");
        }
        Engine engine;
        try {
            engine = Engine.open(data);
        } catch (IOException | UncheckedIOException | EngineException e) {
            throw CommandFailure.failed("cannot open the data directory " + data + ": " + e.getMessage(), e);
        }
        var build = Version.build();
        RankqlHttpServer server;
        try {
            server = RankqlHttpServer.start(engine, new InetSocketAddress(address, port), limit,
                    RankqlHttpServer.info(data, build.getProperty("version"), build.getProperty("built")), line -> {
                        synchronized (err) {
                            err.println(line);
                            err.flush();
                        }
                    });
        } catch (IOException e) {
            closeQuietly(engine);
            throw CommandFailure.failed("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        var bound = server.address();
        if (!address.isLoopbackAddress()) {
            err.println("rankql: warning: listening on " + bound.getAddress().getHostAddress()
                    + ", reachable from other machines; rankql has no authentication or TLS");
        }
        err.println("rankql: serving " + data + " on http://" + hostText(bound) + ":" + bound.getPort()
                + " (Ctrl-C stops)");
        err.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (err) {
                err.println("rankql: stopping");
                err.flush();
            }
            server.close();
            closeQuietly(engine);
            synchronized (err) {
                err.println("rankql: stopped; " + data + " closed");
                err.flush();
            }
            stopped.countDown();
        }, "rankql-serve-shutdown"));
        stopped.await();
        return 0;
    }

    private static String hostText(InetSocketAddress address) {
        var text = address.getAddress().getHostAddress();
        return text.contains(":") ? "[" + text + "]" : text;
    }

    private static void closeQuietly(Engine engine) {
        try {
            engine.close();
        } catch (IOException e) {
            System.err.println("rankql: closing the data directory failed: " + e.getMessage());
        }
    }

    /** Elasticsearch's byte sizes: a number with an optional unit b, kb, mb, gb (powers of 1024). */
    static long parseByteSize(String text) {
        var value = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (var suffix : new String[] {"kb", "mb", "gb", "b"}) {
            if (value.endsWith(suffix)) {
                unit = switch (suffix) {
                    case "kb" -> 1L << 10;
                    case "mb" -> 1L << 20;
                    case "gb" -> 1L << 30;
                    default -> 1;
                };
                value = value.substring(0, value.length() - suffix.length()).strip();
                break;
            }
        }
        try {
            long number = Long.parseLong(value);
            if (number <= 0) {
                throw CommandFailure.badRequest("--max-content-length must be positive, got [" + text + "]");
            }
            return Math.multiplyExact(number, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw CommandFailure.badRequest("--max-content-length takes a size such as 100mb, 512kb or 1048576, got ["
                    + text + "]");
        }
    }
}
