package dev.rankql.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;

/** The progress of a long-running command, measured in bytes read; shown on stderr only when it is a terminal. */
interface Progress extends AutoCloseable {

    /** Records that {@code bytes} bytes of the input have been read in all. */
    void readTo(long bytes);

    @Override
    void close();

    /** Starts the progress of a task named {@code task} over {@code total} bytes (empty when unknown). */
    @FunctionalInterface
    interface Factory {
        Progress start(String task, OptionalLong total);
    }

    /** Shows nothing: for tests, and whenever stderr is not a terminal. */
    Factory NONE = (task, total) -> new Progress() {
        @Override
        public void readTo(long bytes) {}

        @Override
        public void close() {}
    };

    /**
     * Draws a bar on the process's stderr when, and only when, stderr is a terminal, as JLine's terminal provider
     * reports it; otherwise {@link #NONE}. Asking creates no terminal, so it changes no terminal mode or signal.
     */
    static Factory onTerminalStderr() {
        int width = stderrWidth();
        if (width <= 0) {
            return NONE;
        }
        return (task, total) -> {
            // The process's own stderr: System.err may have been replaced, and the bar must reach the terminal.
            var stream = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total.orElse(-1))
                    .setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(stream, Math.max(40, width - 1)))
                    .build();
            return new Progress() {
                @Override
                public void readTo(long bytes) {
                    bar.stepTo(bytes);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }

    /** The width of the terminal stderr writes to, or 0 when stderr is not a terminal (or nothing can tell). */
    private static int stderrWidth() {
        try {
            for (var provider : TerminalBuilder.builder().getProviders(null, new IllegalStateException())) {
                if (provider.name().equals(TerminalBuilder.PROP_PROVIDER_DUMB)) {
                    continue;
                }
                if (provider.isSystemStream(SystemStream.Error)) {
                    int width = provider.systemStreamWidth(SystemStream.Error);
                    return width > 0 ? width : 80;
                }
                return 0;
            }
        } catch (RuntimeException | LinkageError e) {
            // No native access or no provider: treat stderr as not a terminal rather than fail the command.
        }
        return 0;
    }
}
