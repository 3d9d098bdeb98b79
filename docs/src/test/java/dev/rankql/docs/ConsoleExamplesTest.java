package dev.rankql.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rankql.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every {@code console} block of the docs through the real command line, in order, against one fresh data
 * directory per Markdown file, and checks each command's output and exit code against what the docs show.
 *
 * <p>Expected JSON is compared as a subset of the actual JSON, so the docs may leave out volatile fields such as
 * {@code took}; any other expected text must equal the output exactly, except the number in a hit table's
 * {@code took N ms}. File arguments are relative to the
 * repository root.
 */
class ConsoleExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicNode> consoleSessionsRunAsDocumented() {
        return Examples.markdownFiles().stream()
                .filter(file -> Examples.blocks(file).stream().anyMatch(b -> b.lang().equals("console")))
                .map(file -> {
                    Path data;
                    try {
                        data = Files.createTempDirectory("rankql-docs-");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    var steps = Examples.blocks(file).stream()
                            .filter(b -> b.lang().equals("console"))
                            .flatMap(b -> Sessions.steps(b).stream())
                            .map(step -> dynamicTest(step.toString(), () -> run(step, data)));
                    return dynamicContainer(file.getFileName().toString(), steps);
                });
    }

    private static void run(Sessions.Step step, Path data) {
        var root = Examples.docsDir().getParent();
        var args = new ArrayList<String>();
        args.add("--data");
        args.add(data.toString());
        for (String arg : step.args()) {
            Path candidate = root.resolve(arg);
            args.add(!arg.startsWith("-") && arg.contains("/") && Files.exists(candidate) ? candidate.toString() : arg);
        }
        var stdin = step.stdin().getBytes(StandardCharsets.UTF_8);
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(stdin));
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(args.toArray(String[]::new));

        assertThat(status).as("exit code of %s; stderr: %s", step, err).isEqualTo(step.expectedExit());
        String expected = step.expectedOut().strip();
        if (expected.isEmpty()) {
            return;
        }
        String actual = out.toString().strip();
        if (expected.startsWith("{") || expected.startsWith("[")) {
            JsonNode want = JSON.readTree(expected);
            JsonNode got = JSON.readTree(actual);
            var problems = new ArrayList<String>();
            subset(want, got, "$", problems);
            assertThat(problems).as("%s printed%n%s", step, actual).isEmpty();
        } else {
            assertThat(withoutTook(actual)).as(step.toString()).isEqualTo(withoutTook(expected));
        }
    }

    /** Text with the milliseconds of hit tables' {@code took N ms} blanked, since they differ from run to run. */
    static String withoutTook(String text) {
        return text.replaceAll("took \\d+ ms", "took _ ms");
    }

    /** Collects where {@code got} lacks something {@code want} has; arrays must match element by element. */
    static void subset(JsonNode want, JsonNode got, String path, List<String> problems) {
        if (want.isObject()) {
            if (!got.isObject()) {
                problems.add(path + ": expected an object, got " + got);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.properties().iterator(); it.hasNext(); ) {
                var entry = it.next();
                var value = got.get(entry.getKey());
                if (value == null) {
                    problems.add(path + "." + entry.getKey() + ": missing");
                } else {
                    subset(entry.getValue(), value, path + "." + entry.getKey(), problems);
                }
            }
        } else if (want.isArray()) {
            if (!got.isArray() || got.size() != want.size()) {
                problems.add(path + ": expected " + want.size() + " elements, got " + got);
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                subset(want.get(i), got.get(i), path + "[" + i + "]", problems);
            }
        } else if (want.isNumber() && got.isNumber()) {
            if (Math.abs(want.asDouble() - got.asDouble()) > 1e-6 * Math.max(1, Math.abs(want.asDouble()))) {
                problems.add(path + ": expected " + want + ", got " + got);
            }
        } else if (!want.equals(got)) {
            problems.add(path + ": expected " + want + ", got " + got);
        }
    }
}
