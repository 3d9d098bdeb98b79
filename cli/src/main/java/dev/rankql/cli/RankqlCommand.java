package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code rankql} command: global options, version, and the list of subcommands. */
@Command(
        name = "rankql",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A search engine for Learning To Rank: Elasticsearch JSON and the rankql DSL over embedded Lucene.",
        subcommands = HelpCommand.class,
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure while carrying out a valid request",
            "2:bad command line or malformed request",
            "3:a file, index or model named in the request does not exist"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql --help                  this overview",
            "  rankql help COMMAND            the help of one command",
            "  rankql --version               the rankql, Lucene and Java versions",
            "",
            "Environment:",
            "  RANKQL_DATA                    data directory when --data is not given"
        })
public final class RankqlCommand {

    /** The variable that names the data directory when {@code --data} is absent. */
    public static final String DATA_ENV = "RANKQL_DATA";

    /** The data directory used when neither {@code --data} nor {@link #DATA_ENV} is given, relative to the cwd. */
    public static final Path DEFAULT_DATA = Path.of("rankql-data");

    private final Map<String, String> env;

    // Inherited so that it may be written before or after the subcommand; picocli sets this field either way.
    @Option(
            names = "--data",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Data directory with the indices and models (default: $" + DATA_ENV
                    + ", else ./rankql-data). Only commands that use an index read it.")
    private String data;

    /** A command that reads {@code RANKQL_DATA} from {@code env}. */
    public RankqlCommand(Map<String, String> env) {
        this.env = Map.copyOf(requireNonNull(env, "env"));
    }

    /**
     * The data directory, as an absolute path: {@code --data}, else {@code $RANKQL_DATA}, else
     * {@code ./rankql-data}. Resolving creates nothing; only commands that open an index call this.
     *
     * @throws CommandFailure (exit 2) when the chosen value is empty or not a valid path
     */
    public Path dataDirectory() {
        if (data != null) {
            return path(data, "option '--data'");
        }
        var fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return path(fromEnv, "$" + DATA_ENV);
        }
        return DEFAULT_DATA.toAbsolutePath().normalize();
    }

    private static Path path(String text, String source) {
        if (text.isBlank()) {
            throw CommandFailure.badRequest(source + " needs a directory, got an empty value");
        }
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw CommandFailure.badRequest(source + " is not a valid path: " + e.getMessage());
        }
    }
}
