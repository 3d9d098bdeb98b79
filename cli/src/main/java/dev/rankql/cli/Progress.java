package dev.rankql.cli;

import java.util.OptionalLong;

/**
 * The progress of a long-running command, measured in bytes read or in items done (queries searched, boosting
 * rounds); {@link ProgressBars} draws it on a terminal.
 */
interface Progress extends AutoCloseable {

    /** Records that {@code bytes} bytes of the input have been read in all (or, when counting, items done). */
    void readTo(long bytes);

    @Override
    void close();

    /** Starts the progress of a task named {@code task} over {@code total} bytes (empty when unknown). */
    @FunctionalInterface
    interface Factory {
        Progress start(String task, OptionalLong total);

        /**
         * Starts the progress of a task counted in {@code unit}s (such as {@code " queries"}) up to {@code total};
         * unless a factory draws counts differently, it is a byte count.
         */
        default Progress count(String task, String unit, long total) {
            return start(task, OptionalLong.of(total));
        }
    }

    /** Shows nothing: for tests, and whenever stderr is not a terminal. */
    Factory NONE = (task, total) -> new Progress() {
        @Override
        public void readTo(long bytes) {}

        @Override
        public void close() {}
    };
}
