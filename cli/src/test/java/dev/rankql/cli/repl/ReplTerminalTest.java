package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive REPL on a JLine terminal whose keyboard and screen are pipes: keys go in, and the screen's bytes
 * (prompts, echo, completion lists, colours) are read back.
 */
class ReplTerminalTest {

    /** Long enough for a loaded machine; a passing test never waits for it. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private Engine engine;
    private PipedOutputStream keyboard;
    private final Screen screen = new Screen();
    private Terminal terminal;
    private FutureTask<Integer> session;
    private Path history;

    /** Everything the terminal wrote, readable while it is being written. */
    private static final class Screen extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws Exception {
        ReplData.create(data);
        engine = Engine.open(data);
        history = data.resolve("history");
        startSession();
    }

    /** Starts a session on a fresh terminal, keeping history in {@link #history}, and waits for its prompt. */
    private void startSession() throws Exception {
        keyboard = new PipedOutputStream();
        var keys = new PipedInputStream(keyboard, 1 << 16);
        // An external terminal, not TerminalBuilder's: the builder would open a pseudo-terminal for the streams and
        // probe it for features, waiting for answers that no one sends.
        terminal = new ExternalTerminal("test", "xterm-256color", keys, screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(160, 40));
        session = new FutureTask<>(() -> InteractiveRepl.run(terminal, engine, s -> s.use("shop"), Optional.of(history)));
        // The mark is taken before the session starts: a session quicker than this thread would otherwise print its
        // prompt before the mark, and the wait would never see it.
        next();
        Thread.ofPlatform().name("repl-session").daemon().start(session);
        awaitScreen("shop> ");
    }

    /** Ends the session as Ctrl-D would: the end of the keyboard's input ends it at any point. */
    private void endSession() throws Exception {
        keyboard.close();
        session.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        terminal.close();
    }

    @AfterEach
    void stop() throws Exception {
        endSession();
        engine.close();
    }

    private void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the screen shows {@code text} after what it showed when the last step began; returns the screen. */
    private String awaitScreen(String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var shown = plain(screen.text());
            if (shown.substring(mark).contains(text)) {
                return shown.substring(mark);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the screen never showed [" + text + "]; it shows:\n" + plain(screen.text()));
    }

    private int mark;

    /** Starts a step: later waits look only at what the screen shows from now on. */
    private void next() {
        mark = plain(screen.text()).length();
    }

    /** The screen's text without colour and cursor escapes. */
    private static String plain(String ansi) {
        return ansi.replaceAll("\u001b\\[[0-9;?]*[a-zA-Z]", "").replaceAll("\u001b[=>()][0-9A-B]?", "");
    }

    @Test
    void tabCompletesCommandsAndIndexNames() throws Exception {
        next();
        type(":us\t");
        awaitScreen(":use ");
        type("sh\t");
        awaitScreen(":use shop");
        type("\r");
        awaitScreen("using index [shop]");
    }

    @Test
    void tabListsFunctionsAndFieldsOfTheCurrentIndex() throws Exception {
        next();
        type("QUERY match_p\t");
        var shown = awaitScreen("match_phrase_prefix");
        assertThat(shown).contains("match_phrase");
        next();
        type("_prefix(ti\t");
        shown = awaitScreen("title.raw");
        assertThat(shown).contains("title");
        next();
        type(", \"desk la\") SIZE 1;\r");
        awaitScreen("1 hit shown of 1");
    }

    @Test
    void tabCompletesModelIdsInsideQuotes() throws Exception {
        next();
        type("QUERY match(title, \"lamp\") RESCORE ltr(\"ti\t");
        awaitScreen("ltr(\"title-model");
        next();
        type("\", params: {q: \"clamp\"}) WINDOW 10;\r");
        awaitScreen("2 hits shown of 2");
    }

    @Test
    void aStatementContinuesOnTheNextLineUntilABlankLine() throws Exception {
        next();
        type("QUERY match(title, \"fan\")\r");
        awaitScreen("...> ");
        type("SIZE 1\r");
        type("\r");
        awaitScreen("1 hit shown of 1");
    }

    @Test
    void keywordsAreColouredAsTheyAreTyped() throws Exception {
        int before = screen.text().length();
        type("QUERY");
        awaitScreen("QUERY");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!screen.text().substring(before).matches("(?s).*\u001b\\[[0-9;]*34[0-9;]*mQUERY.*")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(screen.text().substring(before)).matches("(?s).*\u001b\\[[0-9;]*34[0-9;]*mQUERY.*");
    }

    @Test
    void theUpArrowRecallsInputsOfThisAndOfEarlierSessions() throws Exception {
        next();
        type(":timing\r");
        awaitScreen("timing: on");
        awaitScreen("shop> ");
        // xterm's Up key in the application cursor mode JLine switches on.
        type("\u001bOA\r");
        awaitScreen("timing: off");
        endSession();

        startSession();
        type("\u001bOA\r");
        awaitScreen("timing: on");
    }

    @Test
    void errorsShowACaretAndHistoryIsKept() throws Exception {
        next();
        type("QUERY match(title, 'x';\r");
        awaitScreen("error: line 1:23:");
        awaitScreen("                        ^");
        next();
        type(":quit\r");
        assertThat(session.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(Files.readString(history)).contains("QUERY match(title, 'x';", ":quit");
    }
}
