package dev.rankql.cli.repl;

import dev.rankql.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The REPL on a terminal: a JLine line reader with history, multi-line input, highlighting and completion. */
final class InteractiveRepl {

    private InteractiveRepl() {}

    /** Runs a session on the process's terminal until {@code :quit} or Ctrl-D; returns exit code 0. */
    static int runOnSystemTerminal(Engine engine, Consumer<Session> start, Optional<Path> history) throws IOException {
        try (var terminal = TerminalBuilder.builder().system(true).name("rankql").build()) {
            return run(terminal, engine, start, history);
        }
    }

    /**
     * Runs a session on {@code terminal}, prepared by {@code start}, keeping history in {@code history} if given;
     * returns 0, since the user has seen every error already.
     */
    static int run(Terminal terminal, Engine engine, Consumer<Session> start, Optional<Path> history)
            throws IOException {
        if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
            // A terminal that reports no size (a pseudo-terminal nobody sized) would make JLine draw nothing useful.
            terminal.setSize(new Size(terminal.getWidth() > 0 ? terminal.getWidth() : 80,
                    terminal.getHeight() > 0 ? terminal.getHeight() : 24));
        }
        var session = new Session(engine, terminal.writer());
        start.accept(session);
        var reader = reader(terminal, session, history);
        var out = terminal.writer();
        out.println("rankql REPL on " + engine.dataDir() + ". End a search with ';' or a blank line;"
                + " :help lists the commands, Ctrl-D quits.");
        out.println(session.index().map(i -> "Searching index [" + i + "].")
                .orElse("No index chosen yet: :indices lists them, :use INDEX picks one."));
        out.flush();
        try {
            while (true) {
                String input;
                try {
                    reader.setVariable(LineReader.SECONDARY_PROMPT_PATTERN, continuation(prompt(session)));
                    input = reader.readLine(prompt(session));
                } catch (UserInterruptException e) {
                    // Ctrl-C drops the input being typed, as in a shell; Ctrl-D leaves.
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (session.execute(input) == Session.Next.QUIT) {
                    break;
                }
            }
        } finally {
            reader.getHistory().save();
        }
        return 0;
    }

    /** The line reader over {@code terminal} with the REPL's parser, highlighter, completer and history. */
    static LineReader reader(Terminal terminal, Session session, Optional<Path> history) {
        var builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("rankql")
                .parser(new ReplParser())
                .highlighter(new ReplHighlighter())
                .completer(new ReplCompleter(session))
                // '!' is ordinary text in searches, not a history reference.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, false);
        history.ifPresent(path -> builder.variable(LineReader.HISTORY_FILE, path));
        return builder.build();
    }

    static String prompt(Session session) {
        return session.index().orElse("rankql") + "> ";
    }

    /** The prompt of a statement's further lines, as wide as the first so that the text lines up. */
    static String continuation(String prompt) {
        int width = prompt.length();
        return width <= 5 ? "...> " : " ".repeat(width - 5) + "...> ";
    }
}
