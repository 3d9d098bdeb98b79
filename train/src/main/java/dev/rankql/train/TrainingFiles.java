package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads and writes training set files in the format that their extension names. */
public final class TrainingFiles {

    /** Extensions read and written as JSON Lines. */
    public static final List<String> JSON_LINES = List.of(".jsonl", ".ndjson");

    /** Extensions read and written as LibSVM / SVMrank text. */
    public static final List<String> LIBSVM = List.of(".svm", ".svmrank", ".libsvm", ".txt");

    private TrainingFiles() {}

    /**
     * Reads a training set, as JSON Lines or LibSVM according to the file's extension.
     *
     * @throws IllegalArgumentException when the extension is none of {@link #JSON_LINES} or {@link #LIBSVM}
     */
    public static TrainingSet read(Path file) throws IOException {
        return isJsonLines(file) ? JsonLinesFormat.read(file) : LibSvmFormat.read(file);
    }

    /**
     * Writes a training set, as JSON Lines or LibSVM according to the file's extension.
     *
     * @throws IllegalArgumentException when the extension is none of {@link #JSON_LINES} or {@link #LIBSVM}
     */
    public static void write(Path file, TrainingSet set) throws IOException {
        if (isJsonLines(file)) {
            JsonLinesFormat.write(file, set);
        } else {
            LibSvmFormat.write(file, set);
        }
    }

    private static boolean isJsonLines(Path file) {
        Path name = requireNonNull(file, "file").getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (JSON_LINES.stream().anyMatch(lower::endsWith)) {
            return true;
        }
        if (LIBSVM.stream().anyMatch(lower::endsWith)) {
            return false;
        }
        throw new IllegalArgumentException("cannot tell the format of [" + file + "] from its name; use one of "
                + JSON_LINES + " for JSON Lines or " + LIBSVM + " for LibSVM / SVMrank text");
    }
}
