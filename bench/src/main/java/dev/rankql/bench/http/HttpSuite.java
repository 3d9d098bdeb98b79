package dev.rankql.bench.http;

import dev.rankql.bench.BenchPaths;
import dev.rankql.bench.Options;
import dev.rankql.bench.engine.Corpus;
import dev.rankql.bench.engine.Stats;
import dev.rankql.cli.http.RankqlHttpServer;
import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rankql bench http}: {@code _search} over HTTP on loopback against the same searches through the Java API,
 * with 1, 8 and 64 concurrent clients, each HTTP client on its own keep-alive connection. The difference of the
 * latencies is what the REST layer costs per request (HTTP parsing, the JSON request codec, response rendering).
 */
public final class HttpSuite {

    static final String USAGE = """
            Usage: rankql bench http [-h] [--docs N] [--seconds S] [--clients 1,8,64] [--out FILE]
            _search throughput and latency over HTTP (rankql serve's server, in-process, loopback) against the
            same searches through the Java API, with concurrent keep-alive clients.
              --docs N        documents in the index (default 20000)
              --seconds S     measured seconds per side and client count (default 10; 3 more warm up)
              --clients LIST  the client counts (default 1,8,64)
              --out FILE      the JSON result file (default bench/results/<date>-http.json)
              -h, --help      Show this help message and exit.
            The last stdout line is the result as one JSON object.
            """;

    private static final String INDEX = "bench";
    private static final String INDEX_BODY = """
            {"mappings": {"properties": {
              "title": {"type": "text", "analyzer": "english"},
              "content": {"type": "text", "analyzer": "english"},
              "price": {"type": "double"},
              "popularity": {"type": "long"}}}}""";
    private static final int WARMUP_SECONDS = 3;

    /** One measured side: how requests were sent, with how many clients, and what came out. */
    record Measure(String side, int clients, long requests, double seconds, double p50Ms, double p99Ms) {
        double throughput() {
            return requests / seconds;
        }
    }

    private HttpSuite() {}

    /** Runs with {@code args} (after the suite name); returns the exit code: 0, 1 for a failed run, 2 for bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int docs;
        int seconds;
        int[] clients;
        Path target;
        try {
            var options = Options.parse(args, Set.of(), Set.of("--docs", "--seconds", "--clients", "--out"));
            if (options.help()) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            docs = options.positive("--docs").orElse(20_000);
            seconds = options.positive("--seconds").orElse(10);
            clients = options.positiveList("--clients").orElse(List.of(1, 8, 64)).stream().mapToInt(Integer::intValue).toArray();
            target = options.path("--out").orElse(null);
        } catch (Options.UsageException e) {
            return Options.usageError("rankql bench http", e, err);
        }
        var started = Instant.now().toString();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        var work = Files.createTempDirectory("rankql-bench-http");
        var results = new ArrayList<Measure>();
        try {
            var corpus = Corpus.generate(work.resolve("corpus"), docs, 10_000, 42);
            try (var engine = Engine.open(work.resolve("data"))) {
                engine.createIndex(INDEX, INDEX_BODY);
                for (var batch : corpus.batches()) {
                    try (var reader = Files.newBufferedReader(batch)) {
                        engine.ingestJsonLines(INDEX, reader, RefreshPolicy.NONE);
                    }
                }
                engine.refresh(INDEX);
                err.println("http bench: " + docs + " documents indexed");
                var bodies = corpus.queries().stream().map(HttpSuite::body).toList();
                var parsed = bodies.stream().map(EsJson::parseSearch).toList();
                try (var server = RankqlHttpServer.start(engine,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        RankqlHttpServer.DEFAULT_MAX_CONTENT_LENGTH,
                        RankqlHttpServer.info(work, "bench", started), line -> { })) {
                    int port = server.address().getPort();
                    var sides = new java.util.LinkedHashMap<String, ClientFactory>();
                    sides.put("java-api", () -> {
                        int[] next = {0};
                        return () -> engine.search(INDEX, parsed.get(next[0]++ % parsed.size()));
                    });
                    sides.put("java-api+json", () -> {
                        int[] next = {0};
                        return () -> {
                            var request = EsJson.parseSearch(bodies.get(next[0]++ % bodies.size()));
                            Json.MAPPER.writeValueAsBytes(engine.search(INDEX, request).toJson());
                        };
                    });
                    sides.put("http", () -> {
                        var connection = new Connection(port);
                        int[] next = {0};
                        return () -> connection.post("/" + INDEX + "/_search", bodies.get(next[0]++ % bodies.size()));
                    });
                    // Every code path is compiled before the first measurement, so the side measured first is not
                    // the one that pays for the JIT.
                    for (var side : sides.entrySet()) {
                        measure("warm-up " + side.getKey(), 4, WARMUP_SECONDS, err, side.getValue());
                    }
                    for (int n : clients) {
                        for (var side : sides.entrySet()) {
                            results.add(measure(side.getKey(), n, seconds, err, side.getValue()));
                        }
                    }
                }
            }
        } finally {
            deleteRecursively(work);
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        var json = toJson(results, docs, seconds, started, loadBefore, loadAfter);
        var file = target != null ? target : defaultOut();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, Json.writePretty(json) + "\n", StandardCharsets.UTF_8);
        err.println("http bench: wrote " + file);
        out.println();
        out.print(markdown(results));
        out.println();
        out.println(Json.write(json));
        out.flush();
        return 0;
    }

    private static String body(String query) {
        var node = Json.object();
        node.putObject("query").putObject("match").put("content", query);
        node.put("size", 10);
        return Json.write(node);
    }

    /** Makes one action per client thread. */
    @FunctionalInterface
    interface ClientFactory {
        Action open() throws IOException;
    }

    /** One request, synchronously. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    /** Runs {@code clients} threads, each repeating its action: warm-up, then {@code seconds} measured. */
    private static Measure measure(String side, int clients, int seconds, PrintStream err, ClientFactory factory)
            throws Exception {
        var measuring = new AtomicBoolean(false);
        var stop = new AtomicBoolean(false);
        var latencies = new long[clients][];
        var counts = new int[clients];
        var failures = new ArrayList<Throwable>();
        var ready = new CountDownLatch(clients);
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < clients; c++) {
            int index = c;
            var thread = Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                long[] mine = new long[1 << 16];
                int count = 0;
                try {
                    var action = factory.open();
                    ready.countDown();
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        action.run();
                        long elapsed = System.nanoTime() - start;
                        if (measuring.get()) {
                            if (count == mine.length) {
                                mine = Arrays.copyOf(mine, count * 2);
                            }
                            mine[count++] = elapsed;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    ready.countDown();
                }
                latencies[index] = mine;
                counts[index] = count;
            });
            threads.add(thread);
        }
        ready.await();
        Thread.sleep(WARMUP_SECONDS * 1000L);
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (var thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(side + " with " + clients + " clients failed: " + failures.getFirst(),
                    failures.getFirst());
        }
        int total = Arrays.stream(counts).sum();
        var all = new double[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < counts[c]; i++) {
                all[at++] = latencies[c][i] / 1e6;
            }
        }
        var measure = new Measure(side, clients, total, elapsed, Stats.percentile(all, 50), Stats.percentile(all, 99));
        err.println(String.format(Locale.ROOT, "http bench: %-14s %3d clients %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms",
                side, clients, measure.throughput(), measure.p50Ms(), measure.p99Ms()));
        return measure;
    }

    /** One keep-alive HTTP/1.1 connection that sends a POST and reads exactly its Content-Length-framed answer. */
    private static final class Connection {
        private final InputStream in;
        private final OutputStream out;
        private final byte[] line = new byte[8192];

        Connection(int port) throws IOException {
            @SuppressWarnings("resource") // Closed by the JVM at exit; the benchmark keeps it for its whole run.
            var socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void post(String path, String body) throws IOException {
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            var status = readLine();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected answer: " + status);
            }
            int length = -1;
            for (var header = readLine(); !header.isEmpty(); header = readLine()) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            if (length < 0 || in.readNBytes(length).length != length) {
                throw new IOException("response without a complete Content-Length body");
            }
        }

        private String readLine() throws IOException {
            int n = 0;
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r' && n < line.length) {
                    line[n++] = (byte) c;
                }
            }
            return new String(line, 0, n, StandardCharsets.US_ASCII);
        }
    }

    private static ObjectNode toJson(List<Measure> results, int docs, int seconds, String started, double loadBefore,
            double loadAfter) {
        var json = Json.object();
        json.put("bench", "http");
        json.put("started", started);
        json.put("docs", docs);
        json.put("seconds_per_side", seconds);
        json.put("warmup_seconds", WARMUP_SECONDS);
        var array = json.putArray("results");
        for (var m : results) {
            var node = array.addObject();
            node.put("side", m.side());
            node.put("clients", m.clients());
            node.put("requests", m.requests());
            node.put("throughput_per_s", Math.round(m.throughput()));
            node.put("p50_ms", round(m.p50Ms()));
            node.put("p99_ms", round(m.p99Ms()));
        }
        var overhead = json.putObject("http_overhead_p50_ms");
        for (var m : results) {
            if (m.side().equals("http")) {
                results.stream().filter(j -> j.side().equals("java-api") && j.clients() == m.clients()).findFirst()
                        .ifPresent(j -> overhead.put(Integer.toString(m.clients()), round(m.p50Ms() - j.p50Ms())));
            }
        }
        var machine = json.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("load_average_before", round(loadBefore));
        machine.put("load_average_after", round(loadAfter));
        return json;
    }

    private static String markdown(List<Measure> results) {
        var text = new StringBuilder("| side | clients | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n");
        for (var m : results) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.3f | %.3f |%n", m.side(), m.clients(),
                    m.throughput(), m.p50Ms(), m.p99Ms()));
        }
        return text.toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** {@code bench/results/<date>-http.json} of the source tree the jar was built in, else under the working directory. */
    private static Path defaultOut() {
        return BenchPaths.result(LocalDate.now(ZoneOffset.UTC) + "-http.json");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
