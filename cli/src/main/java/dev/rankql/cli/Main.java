package dev.rankql.cli;

import dev.rankql.cli.repl.ReplCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The entry point of the {@code rankql} command line: wires picocli, stdout/stderr and the exit codes. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        quietLogging();
        var out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        var err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = commandLine(System.getenv(), () -> System.in, ProgressBars.onTerminalStderr())
                .setOut(out).setErr(err).execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * The configured command tree, reading {@code RANKQL_DATA} from {@code env} and standard input from
     * {@code stdin}, drawing no progress bars; callers set its out and err writers and call
     * {@link CommandLine#execute}.
     */
    public static CommandLine commandLine(Map<String, String> env, Supplier<InputStream> stdin) {
        return commandLine(env, stdin, Progress.NONE);
    }

    /** The configured command tree, showing the progress of long commands through {@code progress}. */
    static CommandLine commandLine(Map<String, String> env, Supplier<InputStream> stdin, Progress.Factory progress) {
        var commandLine = new CommandLine(new RankqlCommand(env));
        commandLine.addSubcommand(IndexCommand.commandLine(stdin));
        commandLine.addSubcommand(new IngestCommand(stdin, progress));
        commandLine.addSubcommand(new SearchCommand(stdin));
        commandLine.addSubcommand(new ScrollCommand());
        commandLine.addSubcommand(new ExplainCommand(stdin));
        commandLine.addSubcommand(new TranslateCommand(stdin));
        commandLine.addSubcommand(ModelCommand.create(stdin));
        commandLine.addSubcommand(new LogFeaturesCommand(progress));
        commandLine.addSubcommand(new EvalCommand(progress));
        commandLine.addSubcommand(new RunCommand(progress));
        commandLine.addSubcommand(new TrainCommand(progress));
        commandLine.addSubcommand(new LsaCommand());
        commandLine.addSubcommand(new EmbedCommand(progress));
        commandLine.addSubcommand(new DemoCommand(progress));
        commandLine.addSubcommand(new dev.rankql.cli.http.ServeCommand(env, stdin));
        commandLine.addSubcommand(new ReplCommand(env, stdin));
        commandLine.getSubcommands().get("help").getCommandSpec().usageMessage()
                .footerHeading("%nExamples:%n")
                .footer("  rankql help                    the list of commands",
                        "  rankql help help               this text");
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> failure(e, failed));
        return commandLine;
    }

    /** A malformed command line: the reason and where to read more, without the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        var commandLine = e.getCommandLine();
        var err = commandLine.getErr();
        err.println("rankql: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** A command threw: a {@link CommandFailure} is the user's problem, anything else is a bug worth a trace. */
    private static int failure(Exception e, CommandLine failed) {
        if (e instanceof CommandFailure failure) {
            return Output.of(failed.getCommandSpec()).fail(failure);
        }
        var err = failed.getErr();
        err.println("rankql: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.FAILURE;
    }

    /**
     * Applies the CLI's logging configuration before any Lucene class can log, unless the user supplied one with
     * {@code -Djava.util.logging.config.file}.
     */
    private static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (var in = Main.class.getResourceAsStream("logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
