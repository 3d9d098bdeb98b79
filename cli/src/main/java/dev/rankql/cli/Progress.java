package dev.rankql.cli;

import java.util.OptionalLong;

/** The progress of a long-running command, measured in bytes read; {@link ProgressBars} draws it on a terminal. */
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
}
