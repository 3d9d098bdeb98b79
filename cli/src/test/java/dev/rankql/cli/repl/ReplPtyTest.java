package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankql repl} as a user meets it: a separate JVM whose standard streams are a real pseudo-terminal, made by
 * util-linux {@code script}, so that the REPL finds a system terminal on its own and goes interactive.
 */
class ReplPtyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final StringBuffer screen = new StringBuffer();
    private int mark;

    @Test
    void completionAndAStatementOnARealTerminal(@TempDir Path data) throws Exception {
        var script = Path.of("/usr/bin/script");
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux") && Files.isExecutable(script),
                "needs util-linux script to make a pseudo-terminal");
        ReplData.create(data);
        var history = data.resolve("history");
        var java = Path.of(System.getProperty("java.home"), "bin", "java");
        // script gives the terminal no size unless told, and the JVM options are the launcher's.
        var command = "stty cols 120 rows 40; exec '" + java + "' --add-modules jdk.incubator.vector"
                + " --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "'"
                + " dev.rankql.cli.Main --data '" + data + "' repl shop";
        var builder = new ProcessBuilder(List.of(script.toString(), "-qfec", command, "/dev/null"))
                .redirectErrorStream(true);
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().put(ReplCommand.HISTORY_ENV, history.toString());
        var process = builder.start();
        Thread.ofPlatform().daemon().start(() -> {
            try (var in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                var buffer = new char[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    screen.append(buffer, 0, n);
                }
            } catch (IOException e) {
                screen.append("\n[screen closed: ").append(e).append(']');
            }
        });
        try (var keys = process.getOutputStream()) {
            awaitScreen("shop> ");
            keys.write(":us\t".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            awaitScreen(":use ");
            keys.write("sh\t\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            awaitScreen("using index [shop]");
            keys.write("QUERY match(ti\t".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            awaitScreen("title.raw");
            keys.write(", \"lamp\");\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            awaitScreen("2 hits shown of 2");
            // Ctrl-D typed before the next prompt would meet the terminal in cooked mode, where it is no key at all.
            awaitScreen("shop> ");
            keys.write(new byte[] {4});
            keys.flush();
            assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(plain()).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as(plain()).isZero();
        assertThat(screen.toString()).as("colours").contains("\u001b[34;1mQUERY");
        assertThat(Files.readString(history)).contains(":use shop", "QUERY match(title, \"lamp\");");
    }

    private String plain() {
        return screen.toString().replaceAll("\u001b\\[[0-9;?$]*[a-zA-Z]", "").replaceAll("\u001b[=>]", "");
    }

    private void awaitScreen(String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var shown = plain();
            int at = shown.indexOf(text, mark);
            if (at >= 0) {
                mark = at + text.length();
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the terminal never showed [" + text + "]; it shows:\n" + plain());
    }
}
