package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EsError;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.InvalidRequestException;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * rankql's Elasticsearch-compatible REST server: the JDK's HTTP server, one virtual thread per exchange, routing to
 * {@link Endpoints}; every response carries {@code X-Elastic-Product: Elasticsearch} so that official clients talk
 * to it, and errors have Elasticsearch's bodies and statuses.
 */
public final class RankqlHttpServer implements Closeable {

    /** Elasticsearch's default {@code http.max_content_length}: 100mb. */
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 100L << 20;

    /**
     * The Elasticsearch version {@code GET /} reports: a 9.x release, so that 9.x clients (which accept a server of
     * their own major version) and 8.x clients in compatibility mode talk to rankql; the LTR and retriever APIs
     * rankql implements are those of 9.x.
     */
    public static final String ES_VERSION = "9.1.0";

    private static final String PRODUCT_HEADER = "X-Elastic-Product";
    /**
     * How long a stop waits for the requests in flight. The JDK's server returns as soon as none is left, so a long
     * grace costs nothing when the server is idle, and a large bulk request in flight still gets its answer.
     */
    private static final int STOP_GRACE_SECONDS = 30;

    static {
        // The JDK server writes a response's headers and body as separate segments; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK (40 ms on Linux) on every keep-alive request. Read once, when
        // the JDK's server configuration class loads, so it is set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final long maxContentLength;
    private final Consumer<String> log;
    private final HttpAuth auth;

    private RankqlHttpServer(HttpServer server, ExecutorService executor, Router router, long maxContentLength,
            Consumer<String> log, HttpAuth auth) {
        this.server = server;
        this.executor = executor;
        this.router = router;
        this.maxContentLength = maxContentLength;
        this.log = log;
        this.auth = auth;
    }

    /**
     * Starts serving {@code engine} on {@code address} (port 0 picks a free port); request bodies longer than
     * {@code maxContentLength} bytes are answered with 413; {@code GET /} answers {@code info} (see
     * {@link #info}); one line per request goes to {@code log}.
     */
    public static RankqlHttpServer start(Engine engine, InetSocketAddress address, long maxContentLength,
            ObjectNode info, Consumer<String> log) throws IOException {
        return start(engine, address, maxContentLength, info, log, HttpAuth.none());
    }

    /** {@link #start(Engine, InetSocketAddress, long, ObjectNode, Consumer)} with requests checked by {@code auth}. */
    public static RankqlHttpServer start(Engine engine, InetSocketAddress address, long maxContentLength,
            ObjectNode info, Consumer<String> log, HttpAuth auth) throws IOException {
        requireNonNull(engine, "engine");
        requireNonNull(log, "log");
        requireNonNull(auth, "auth");
        if (maxContentLength <= 0) {
            throw new IllegalArgumentException("the maximum content length must be positive, got " + maxContentLength);
        }
        var router = new Endpoints(engine, info).register(new Router());
        var server = HttpServer.create(address, 1024);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        var instance = new RankqlHttpServer(server, executor, router, maxContentLength, log, auth);
        server.createContext("/", instance::handle);
        server.start();
        return instance;
    }

    /** The address the server listens on, with the real port when it was started on port 0. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting connections and waits a moment for the requests in flight. */
    @Override
    public void close() {
        server.stop(STOP_GRACE_SECONDS);
        executor.close();
    }

    /**
     * {@code GET /}: every field the official clients' info response requires. The cluster UUID is derived from the
     * data directory, so it is stable across restarts of the same data; the build hash and date are rankql's.
     */
    public static ObjectNode info(Path dataDir, String rankqlVersion, String buildDate) {
        var uuid = UUID.nameUUIDFromBytes(dataDir.toString().getBytes(StandardCharsets.UTF_8));
        var bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        var node = Json.object();
        node.put("name", "rankql");
        node.put("cluster_name", "rankql");
        node.put("cluster_uuid", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        var version = node.putObject("version");
        version.put("number", ES_VERSION);
        version.put("build_flavor", "default");
        version.put("build_type", "rankql");
        version.put("build_hash", "rankql-" + rankqlVersion);
        version.put("build_date", buildDate);
        version.put("build_snapshot", false);
        version.put("lucene_version", org.apache.lucene.util.Version.LATEST.toString());
        version.put("minimum_wire_compatibility_version", "8.19.0");
        version.put("minimum_index_compatibility_version", "8.0.0");
        node.put("tagline", "You Know, for Search");
        return node;
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        var method = exchange.getRequestMethod();
        var uri = exchange.getRequestURI();
        var display = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int status;
        try (exchange) {
            status = serve(exchange, method, display);
        } catch (IOException | RuntimeException e) {
            // The client went away mid-exchange; there is nobody left to answer.
            status = 499;
        }
        long micros = (System.nanoTime() - start) / 1_000;
        log.accept(method + " " + display + " " + status + " " + String.format(Locale.ROOT, "%.1fms", micros / 1000.0));
    }

    private int serve(HttpExchange exchange, String method, String display) throws IOException {
        var headers = exchange.getRequestHeaders();
        exchange.getResponseHeaders().set(PRODUCT_HEADER, "Elasticsearch");
        // Before anything else, and before the body is read: an unauthenticated client gets nothing buffered for it.
        var denied = auth.check(headers.getFirst("Authorization"), display);
        if (denied.isPresent()) {
            auth.challenges().forEach(challenge -> exchange.getResponseHeaders().add("WWW-Authenticate", challenge));
            return write(exchange, method, new RestResponse.Json(401, denied.get()), false, MediaTypes.Negotiated.JSON);
        }
        MediaTypes.Negotiated media;
        try {
            media = MediaTypes.negotiate(headers.getFirst("Content-Type"), headers.getFirst("Accept"));
        } catch (EngineException e) {
            return write(exchange, method, errorResponse(EsErrors.of(e)), false, MediaTypes.Negotiated.JSON);
        }
        var declared = headers.getFirst("Content-Length");
        if (declared != null && parseLength(declared) > maxContentLength) {
            return tooLarge(exchange, method);
        }
        byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxContentLength + 1));
        if (body.length > maxContentLength) {
            return tooLarge(exchange, method);
        }
        Map<String, String> params;
        List<String> segments;
        try {
            params = params(exchange.getRequestURI().getRawQuery());
            segments = segments(exchange.getRequestURI().getRawPath());
        } catch (EngineException e) {
            return write(exchange, method, errorResponse(EsErrors.of(e)), false, media);
        }
        boolean pretty = params.containsKey("pretty") && !"false".equals(params.get("pretty"));
        var request = new RestRequest(method, display, segments, params, body);
        RestResponse response;
        switch (router.route(method, segments)) {
            case Router.Match.Found found -> response = run(found, request, media);
            case Router.Match.WrongMethod wrong -> {
                var error = Json.object();
                error.put("error", "Incorrect HTTP method for uri [" + display + "] and method [" + method + "], allowed: "
                        + wrong.allowed());
                error.put("status", 405);
                response = new RestResponse.Json(405, error, Map.of("Allow", String.join(",", wrong.allowed())));
            }
            case Router.Match.NotFound notFound -> {
                var error = Json.object();
                error.put("error", "no handler found for uri [" + display + "] and method [" + method + "]");
                response = new RestResponse.Json(400, error);
            }
        }
        return write(exchange, method, response, pretty, media);
    }

    private RestResponse run(Router.Match.Found found, RestRequest request, MediaTypes.Negotiated media) {
        try {
            if (request.hasBody() && !media.bodyIsJson() && !acceptsText(request)) {
                var error = Json.object();
                error.put("error", "Content-Type header [" + media.contentType() + "] is not supported");
                error.put("status", 406);
                return new RestResponse.Json(406, error);
            }
            return found.handler().handle(request, found.path());
        } catch (EngineException e) {
            return errorResponse(EsErrors.of(e));
        } catch (InvalidRequestException e) {
            return errorResponse(EsErrors.of(e));
        } catch (DslSyntaxException e) {
            return errorResponse(EsErrors.of(e));
        } catch (IllegalArgumentException e) {
            return errorResponse(EsErrors.illegalArgument(e.getMessage()));
        } catch (Exception e) {
            var trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log.accept("internal error on " + request.method() + " " + request.uri() + ": " + trace);
            var error = new EngineException("exception", String.valueOf(e.getMessage()), 500);
            return errorResponse(EsErrors.of(error));
        }
    }

    /** rankql's own endpoints take DSL text as well as JSON. */
    private static boolean acceptsText(RestRequest request) {
        return request.segments().contains("_rankql");
    }

    private static RestResponse errorResponse(EsError error) {
        return new RestResponse.Json(error.status(), error.body());
    }

    /** Elasticsearch answers an oversized body with 413, no body, and closes the connection. */
    private int tooLarge(HttpExchange exchange, String method) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        return write(exchange, method, new RestResponse.Empty(413), false, MediaTypes.Negotiated.JSON);
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int write(HttpExchange exchange, String method, RestResponse response, boolean pretty,
            MediaTypes.Negotiated media) throws IOException {
        var headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        byte[] bytes = switch (response) {
            case RestResponse.Json json -> {
                headers.set("Content-Type", media.responseType());
                yield (pretty ? Json.writePretty(json.body()) + "\n" : Json.write(json.body())).getBytes(StandardCharsets.UTF_8);
            }
            case RestResponse.Text text -> {
                headers.set("Content-Type", "text/plain; charset=UTF-8");
                yield text.body().getBytes(StandardCharsets.UTF_8);
            }
            case RestResponse.Empty empty -> new byte[0];
        };
        if (method.equals("HEAD") || bytes.length == 0) {
            if (method.equals("HEAD") && bytes.length > 0) {
                headers.set("Content-Length", Integer.toString(bytes.length));
            }
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        return response.status();
    }

    /**
     * The path's segments, percent-decoded; a trailing slash is ignored, as Elasticsearch does. A malformed escape
     * such as {@code %zz} is the client's error, answered with 400 rather than a dropped connection.
     */
    static List<String> segments(String rawPath) {
        var segments = new ArrayList<String>();
        if (rawPath == null) {
            return segments;
        }
        for (var part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(decode(part.replace("+", "%2B"), "path"));
            }
        }
        return segments;
    }

    private static String decode(String raw, String where) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument("invalid percent-encoding in the " + where + " [" + raw + "]: "
                    + e.getMessage());
        }
    }

    /**
     * The URL parameters, decoded; a parameter without {@code =} has the empty value, as in {@code ?pretty}; a
     * malformed escape raises an {@link EngineException}.
     */
    static Map<String, String> params(String rawQuery) {
        var params = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (var pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            var name = decode(eq < 0 ? pair : pair.substring(0, eq), "query string");
            var value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query string");
            params.put(name, value);
        }
        return params;
    }
}
