package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

class MainTest {

    /** Prints the data directory it would use; stands in for the commands that open an index. */
    @Command(name = "probe", mixinStandardHelpOptions = true, footer = "  rankql probe")
    static final class Probe implements Callable<Integer> {
        @ParentCommand
        RankqlCommand root;

        @Spec
        CommandSpec spec;

        @Option(names = "--fail", description = "not-found, bad-request, failed or bug")
        String fail;

        @Override
        public Integer call() {
            if (fail != null) {
                throw switch (fail) {
                    case "not-found" -> CommandFailure.notFound("no such index [products]");
                    case "bad-request" -> CommandFailure.badRequest("line 1:6: expected <retriever>");
                    case "failed" -> CommandFailure.failed("disk full", new java.io.IOException("ENOSPC"));
                    default -> new IllegalStateException("a bug");
                };
            }
            return Output.of(spec).result(root.dataDirectory().toString());
        }
    }

    record Run(int status, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        var commandLine = Main.commandLine(env, InputStream::nullInputStream);
        commandLine.addSubcommand(new Probe());
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    private static Path cwd() {
        return Path.of("").toAbsolutePath();
    }

    @Test
    void helpListsCommandsOptionsExamplesAndExitCodes() {
        var run = run("--help");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .startsWith("Usage: rankql ")
                .contains("--data=DIR", "--version", "help", "Examples:", "rankql --version", "Exit codes:",
                        "RANKQL_DATA");
    }

    @Test
    void everyCommandHasExamplesAndItsHelpExitsZero() {
        var paths = new ArrayList<List<String>>();
        collect(Main.commandLine(Map.of(), InputStream::nullInputStream), List.of(), paths);
        assertThat(paths).contains(List.of(), List.of("help"));

        for (var path : paths) {
            var args = new ArrayList<>(path);
            args.add("--help");
            var run = run(args.toArray(String[]::new));
            assertThat(run.status()).as("exit of %s", args).isZero();
            assertThat(run.err()).as("stderr of %s", args).isEmpty();
            assertThat(run.out()).as("stdout of %s", args).contains("Usage: rankql", "Examples:");
        }
    }

    private static void collect(CommandLine commandLine, List<String> path, List<List<String>> paths) {
        paths.add(path);
        commandLine.getSubcommands().forEach((name, sub) -> {
            var longer = new ArrayList<>(path);
            longer.add(name);
            collect(sub, longer, paths);
        });
    }

    @Test
    void helpCommandPrintsTheOverview() {
        var run = run("help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: rankql ").contains("Examples:");
    }

    @Test
    void versionNamesRankqlLuceneAndJava() {
        var run = run("--version");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        var lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("rankql \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(lines.get(1)).matches("Lucene \\d+\\.\\d+\\.\\d+");
        assertThat(lines.get(2)).startsWith("Java " + Runtime.version().feature());
    }

    @Test
    void unknownOptionIsAUsageErrorOnStderr() {
        var run = run("--bogus");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("rankql: Unknown option: '--bogus'")
                .endsWith("Try 'rankql --help' for more information.\n");
    }

    @Test
    void unknownOptionOfASubcommandPointsToThatCommandsHelp() {
        var run = run("probe", "--bogus");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .startsWith("rankql: Unknown option: '--bogus'")
                .endsWith("Try 'rankql probe --help' for more information.\n");
    }

    @Test
    void unknownCommandSuggestsTheClosestOne() {
        var run = run("prob");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Unmatched argument at index 0: 'prob'", "probe");
    }

    @Test
    void noCommandIsAUsageError() {
        var run = run();

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("rankql: Missing required subcommand");
    }

    @Test
    void dataIsAcceptedBeforeTheCommand(@TempDir Path tmp) {
        var data = tmp.resolve("before");

        var run = run("--data", data.toString(), "probe");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(data + "\n");
        assertThat(data).doesNotExist();
    }

    @Test
    void dataIsAcceptedAfterTheCommand(@TempDir Path tmp) {
        var data = tmp.resolve("after");

        var run = run("probe", "--data=" + data);

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(data + "\n");
        assertThat(data).doesNotExist();
    }

    @Test
    void dataIsAcceptedByTheHelpCommand() {
        var run = run("help", "--data", "somewhere");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: rankql ");
    }

    @Test
    void relativeDataIsResolvedAgainstTheWorkingDirectory() {
        var run = run("probe", "--data", "sub/../idx");

        assertThat(run.out()).isEqualTo(cwd().resolve("idx") + "\n");
    }

    @Test
    void dataDefaultsToTheEnvironmentThenToRankqlDataInTheWorkingDirectory(@TempDir Path tmp) {
        var fromEnv = tmp.resolve("env");

        assertThat(run(Map.of("RANKQL_DATA", fromEnv.toString()), "probe").out()).isEqualTo(fromEnv + "\n");
        assertThat(run(Map.of("RANKQL_DATA", tmp + "/ignored"), "probe", "--data", fromEnv + "/opt").out())
                .isEqualTo(fromEnv.resolve("opt") + "\n");
        assertThat(run(Map.of("RANKQL_DATA", " "), "probe").out()).isEqualTo(cwd().resolve("rankql-data") + "\n");
        assertThat(run("probe").out()).isEqualTo(cwd().resolve("rankql-data") + "\n");
        assertThat(fromEnv).doesNotExist();
    }

    @Test
    void dataWithoutAValueIsAUsageError() {
        var run = run("probe", "--data");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("rankql: Missing required parameter for option '--data' (DIR)");
    }

    @Test
    void emptyOrInvalidDataIsABadRequestOfTheCommandsThatUseIt() {
        var empty = run("probe", "--data", "");
        var invalid = run("probe", "--data", "a\0b");

        assertThat(empty).isEqualTo(
                new Run(ExitCodes.USAGE, "", "rankql: option '--data' needs a directory, got an empty value\n"));
        assertThat(invalid.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).startsWith("rankql: option '--data' is not a valid path: ");
        assertThat(run("--data", "", "help").status()).isZero();
    }

    @Test
    void commandFailuresGoToStderrWithTheirExitCode() {
        var notFound = run("probe", "--fail", "not-found");
        var badRequest = run("probe", "--fail", "bad-request");
        var failed = run("probe", "--fail", "failed");

        assertThat(notFound).isEqualTo(new Run(ExitCodes.NOT_FOUND, "", "rankql: no such index [products]\n"));
        assertThat(badRequest).isEqualTo(new Run(ExitCodes.USAGE, "", "rankql: line 1:6: expected <retriever>\n"));
        assertThat(failed).isEqualTo(new Run(ExitCodes.FAILURE, "", "rankql: disk full\n"));
    }

    @Test
    void unexpectedExceptionsExitOneWithATrace() {
        var run = run("probe", "--fail", "bug");

        assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("rankql: internal error: java.lang.IllegalStateException: a bug")
                .contains("at dev.rankql.cli.MainTest$Probe.call");
    }

    @Test
    void commandsDoNotCreateTheDefaultDataDirectory() {
        run("--help");
        run("--version");
        run("help");

        assertThat(Files.exists(cwd().resolve("rankql-data"))).isFalse();
    }
}
