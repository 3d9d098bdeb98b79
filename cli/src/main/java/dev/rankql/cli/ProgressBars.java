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

/** Progress bars on the process's stderr, drawn with me.tongfei:progressbar, only when stderr is a terminal. */
final class ProgressBars {

    private ProgressBars() {}

    /**
     * A factory that, when a task starts, draws a bar if stderr is a terminal and otherwise does nothing. Asking only
     * then keeps commands that never show progress (and {@code --help}) from loading a terminal provider.
     */
    static Progress.Factory onTerminalStderr() {
        return new Progress.Factory() {
            @Override
            public Progress start(String task, OptionalLong total) {
                return bar(task, total.orElse(-1), " MiB", 1 << 20, true);
            }

            @Override
            public Progress count(String task, String unit, long total) {
                return bar(task, total, unit, 1, false);
            }
        };
    }

    private static Progress bar(String task, long total, String unit, long unitSize, boolean speed) {
        int width = stderrWidth();
        if (width <= 0) {
            return Progress.NONE.start(task, OptionalLong.empty());
        }
        // The process's own stderr: System.err may have been replaced, and the bar must reach the terminal.
        var stream = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        var builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                // A fixed width: the library then never builds a JLine terminal of its own.
                .setConsumer(new ConsoleProgressBarConsumer(stream, Math.max(40, width - 1)));
        if (speed) {
            builder.showSpeed();
        }
        ProgressBar bar = builder.build();
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
    }

    /**
     * The width of the terminal stderr writes to, or 0 when stderr is not a terminal (or nothing can tell), as
     * JLine's terminal provider reports it; asking creates no terminal, so it changes no terminal mode or signal.
     */
    static int stderrWidth() {
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
