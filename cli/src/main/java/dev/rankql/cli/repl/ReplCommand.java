package dev.rankql.cli.repl;

import static java.util.Objects.requireNonNull;

import dev.rankql.cli.CommandFailure;
import dev.rankql.cli.ExitCodes;
import dev.rankql.cli.RankqlCommand;
import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rankql repl}: an interactive session of searches and {@code :commands} on the data directory, or a script of
 * them read from standard input when that is not a terminal.
 *
 * <p>Constructing it builds nothing heavy (no terminal, no JSON mapper), since picocli instantiates every command at
 * start-up, {@code --help} included; the terminal and line reader exist only once an interactive session starts.
 */
@Command(
        name = "repl",
        mixinStandardHelpOptions = true,
        description = {
            "Runs searches and :commands typed at a prompt, or read as a script.",
            "A search is the rankql DSL (or Elasticsearch JSON starting with '{') and ends",
            "with ';' or a blank line; :help lists the commands. Hits show as a table, and",
            "errors point at the offending column. Tab completes keywords,",
            "functions, fields, index names and model ids. History is kept in",
            "$RANKQL_HISTORY (default ~/.rankql_history; an empty value keeps none).",
            "When standard input is not a terminal it runs what it reads, without prompts",
            "or colours, and exits at the end: 0, or 2 if any statement or command failed.",
            "The REPL holds the data directory: other rankql commands on it fail until it",
            "ends."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql repl                       start on the only index, if there is one",
            "  rankql --data shop repl products  start on index products",
            "  rankql repl products <<'EOF'      a script: a search, then its JSON",
            "  QUERY match(title, \"desk lamp\") SIZE 3;",
            "  :json",
            "  EOF"
        })
public final class ReplCommand implements Callable<Integer> {

    /** The variable naming the history file; empty means no history. */
    public static final String HISTORY_ENV = "RANKQL_HISTORY";

    /** The history file when {@link #HISTORY_ENV} is not set, in the user's home directory. */
    public static final String HISTORY_FILE = ".rankql_history";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INDEX",
            description = "The index to search first (default: the only index, if there is exactly one).")
    private String index;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "How hits are shown at first: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); :format changes it.")
    private Session.Format format;

    private final Map<String, String> env;
    private final Supplier<InputStream> stdin;

    /** A command reading {@code RANKQL_HISTORY} from {@code env} and its input from {@code stdin}. */
    public ReplCommand(Map<String, String> env, Supplier<InputStream> stdin) {
        this.env = Map.copyOf(requireNonNull(env, "env"));
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() throws IOException {
        var data = ((RankqlCommand) spec.root().userObject()).dataDirectory();
        var in = stdin.get();
        boolean interactive = in == System.in && stdinIsTerminal();
        try (var engine = open(data)) {
            if (interactive) {
                return InteractiveRepl.runOnSystemTerminal(engine, session -> start(session, true), history());
            }
            var session = new Session(engine, spec.commandLine().getOut());
            start(session, false);
            return script(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), session);
        }
    }

    /** Applies the command line's choices to a new session. */
    private void start(Session session, boolean interactive) {
        session.format(format);
        if (index != null) {
            try {
                session.use(index);
            } catch (EngineException e) {
                throw CommandFailure.notFound(e.reason());
            }
            return;
        }
        var indices = session.indices();
        if (indices.size() == 1) {
            session.use(indices.getFirst());
        }
    }

    /** Runs every input of {@code in} in order; 0 when all succeeded, else 2. */
    static int script(BufferedReader in, Session session) throws IOException {
        var buffer = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (buffer.isEmpty() && line.isBlank()) {
                continue;
            }
            if (!buffer.isEmpty()) {
                buffer.append('\n');
            }
            buffer.append(line);
            if (Statements.isComplete(buffer.toString())) {
                var next = session.execute(buffer.toString());
                buffer.setLength(0);
                if (next == Session.Next.QUIT) {
                    break;
                }
            }
        }
        if (!buffer.isEmpty()) {
            session.execute(buffer.toString());
        }
        return session.failures() == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }

    /** The history file: {@code $RANKQL_HISTORY}, else {@code ~/.rankql_history}; none when the variable is empty. */
    Optional<Path> history() {
        var fromEnv = env.get(HISTORY_ENV);
        if (fromEnv != null) {
            return fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv).toAbsolutePath());
        }
        return Optional.of(Path.of(System.getProperty("user.home"), HISTORY_FILE));
    }

    private static Engine open(Path data) {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw CommandFailure.badRequest("the data directory " + data + " is not a directory");
        }
        try {
            return Engine.open(data);
        } catch (IOException | UncheckedIOException | EngineException e) {
            throw CommandFailure.failed("cannot open the data directory " + data + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether standard input and output are a terminal. Java 22 and later always have a {@link Console} and say so
     * through {@code isTerminal()}, which the Java 21 API lacks; on 21 a console exists only on a terminal.
     */
    public static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
