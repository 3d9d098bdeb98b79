package dev.rankql.cli.http;

import dev.rankql.cli.CommandFailure;
import dev.rankql.cli.RankqlCommand;
import dev.rankql.cli.Version;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
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
            "Listens on 127.0.0.1 unless --host says otherwise (with a warning). A client that takes longer than",
            "--read-timeout to send a request is disconnected. With --api-key-file or --users-file",
            "every request must authenticate (Authorization: ApiKey or Basic), as a secured Elasticsearch node.",
            "One line per request is logged on stderr; Ctrl-C (SIGINT) or SIGTERM stops it and closes the data cleanly."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql serve",
            "  rankql --data /srv/rankql serve --port 9201",
            "  rankql serve --port 0                        a free port, printed at start",
            "  rankql serve --hash-password alice >> users  asks for alice's password, prints her users-file line",
            "  rankql serve --host 0.0.0.0 --users-file users --api-key-file keys",
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

    @Option(names = "--read-timeout", paramLabel = "TIME", defaultValue = "60s",
            description = "How long a client may take to send one request, headers and body, in whole seconds "
                    + "(default: ${DEFAULT-VALUE}; -1: no limit); a client that takes longer is disconnected, so a "
                    + "stalled upload cannot hold the server. Raise it for large bulk bodies over slow links.")
    private String readTimeout;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "Require authentication; FILE holds API keys, one per line: id:key, or Elasticsearch's "
                    + "encoded form (base64 of id:key). Clients send 'Authorization: ApiKey <base64 of id:key>'. "
                    + "Keys may also be given in $RANKQL_API_KEYS (comma-separated).")
    private Path apiKeyFile;

    @Option(names = "--users-file", paramLabel = "FILE",
            description = "Require authentication; FILE holds HTTP basic users, one per line as "
                    + "'rankql serve --hash-password USER' prints them (salted PBKDF2; plain passwords are refused).")
    private Path usersFile;

    @Option(names = "--hash-password", paramLabel = "USER",
            description = "Print a --users-file line for USER and exit: the password is read from the terminal "
                    + "without echo (twice), or from the first line of standard input.")
    private String hashPasswordUser;

    private final Map<String, String> env;
    private final Supplier<InputStream> stdin;

    /** The command, reading {@code RANKQL_API_KEYS} from {@code env} and a password to hash from {@code stdin}. */
    public ServeCommand(Map<String, String> env, Supplier<InputStream> stdin) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        if (hashPasswordUser != null) {
            return hashPassword(hashPasswordUser);
        }
        var warnings = new ArrayList<String>();
        HttpAuth auth;
        try {
            auth = HttpAuth.load(Optional.ofNullable(apiKeyFile), Optional.ofNullable(env.get(API_KEYS_ENV)),
                    Optional.ofNullable(usersFile), warnings);
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + e.getFile());
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read the credentials: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        }
        if (port < 0 || port > 65_535) {
            throw CommandFailure.badRequest("--port must be between 0 and 65535, got " + port);
        }
        long limit = parseByteSize(maxContentLength);
        // The JDK's server reads its limits once, when its first instance is made: set before the server starts.
        System.setProperty(MAX_REQUEST_TIME_PROPERTY, Long.toString(readTimeoutSeconds(readTimeout)));
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
                    }, auth);
        } catch (IOException e) {
            closeQuietly(engine);
            throw CommandFailure.failed("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        var bound = server.address();
        warnings.forEach(w -> err.println("rankql: warning: " + w));
        if (!address.isLoopbackAddress()) {
            err.println("rankql: warning: listening on " + bound.getAddress().getHostAddress()
                    + ", reachable from other machines; " + (auth.enabled()
                            ? "rankql has no TLS, so credentials and data cross the network unencrypted (put a TLS proxy in front)"
                            : "no authentication is configured (--api-key-file, --users-file) and rankql has no TLS"));
        }
        if (auth.enabled()) {
            err.println("rankql: every request must authenticate (" + String.join(", ", auth.challenges()) + ")");
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

    /** The environment variable holding API keys, comma-separated, beside or instead of {@code --api-key-file}. */
    public static final String API_KEYS_ENV = "RANKQL_API_KEYS";

    private int hashPassword(String user) {
        char[] password;
        var console = System.console();
        if (console != null && dev.rankql.cli.repl.ReplCommand.stdinIsTerminal()) {
            password = console.readPassword("password for %s: ", user);
            var again = console.readPassword("again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                throw CommandFailure.badRequest("the passwords differ");
            }
            Arrays.fill(again, '\0');
        } else {
            try (var reader = new BufferedReader(new InputStreamReader(stdin.get(), StandardCharsets.UTF_8))) {
                var line = reader.readLine();
                password = line == null ? new char[0] : line.toCharArray();
            } catch (IOException e) {
                throw CommandFailure.failed("cannot read the password: " + e.getMessage(), e);
            }
        }
        if (password.length == 0) {
            throw CommandFailure.badRequest("the password is empty");
        }
        try {
            var out = spec.commandLine().getOut();
            out.println(HttpAuth.hashPassword(user, password));
            out.flush();
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
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

    /**
     * The JDK HTTP server's limit, in seconds, on the time from a request's first byte to the end of its body; a
     * connection over it is closed, and so is one accepted that sends nothing for that long.
     */
    static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";

    /** {@code --read-timeout} in whole seconds (rounded up: the JDK's server counts in seconds); -1 for no limit. */
    static long readTimeoutSeconds(String text) {
        java.time.Duration timeout;
        try {
            timeout = dev.rankql.ast.SearchRequest.parseTimeValue(text, "--read-timeout");
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("--read-timeout takes a time such as 60s or 5m, or -1: " + e.getMessage());
        }
        if (timeout.equals(dev.rankql.ast.SearchRequest.NO_TIMEOUT)) {
            return -1;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw CommandFailure.badRequest("--read-timeout must be positive, or -1 for no limit, got [" + text + "]");
        }
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
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
