package dev.rankql.cli;

import dev.rankql.engine.mapping.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Runs the command line in-process against one data directory, as a shell user would run {@code rankql}. */
final class CliRun {

    /** One run's exit status and what it printed. */
    record Result(int status, String out, String err) {

        /** Stdout as JSON. */
        JsonNode json() {
            return Json.MAPPER.readTree(out);
        }
    }

    private final Path data;
    private final Consumer<CommandLine> customizer;

    CliRun(Path data) {
        this(data, commandLine -> {});
    }

    /** Runs with {@code customizer} applied to each fresh command tree first. */
    CliRun(Path data, Consumer<CommandLine> customizer) {
        this.data = data;
        this.customizer = customizer;
    }

    /** Runs {@code rankql --data DATA args...} with empty standard input. */
    Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs {@code rankql --data DATA args...} reading {@code stdin}. */
    Result runWithStdin(String stdin, String... args) {
        var all = new ArrayList<>(List.of("--data", data.toString()));
        all.addAll(List.of(args));
        var commandLine = Main.commandLine(Map.of(),
                () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        customizer.accept(commandLine);
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }
}
