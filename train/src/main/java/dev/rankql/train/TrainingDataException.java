package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** A malformed line in a training data file, with the file and the 1-based line and column where it was found. */
public final class TrainingDataException extends IOException {

    private final String source;
    private final int line;
    private final int column;
    private final String detail;

    /** A problem at a position; {@code column} is 0 when only the line is known. */
    public TrainingDataException(String source, int line, int column, String detail) {
        super(source + ":" + line + (column > 0 ? ":" + column : "") + ": " + detail);
        this.source = requireNonNull(source, "source");
        this.line = line;
        this.column = column;
        this.detail = requireNonNull(detail, "detail");
    }

    /** The file name (or another name of the input) as given to the reader. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, or 0 when only the line is known. */
    public int column() {
        return column;
    }

    /** The message without its position. */
    public String detail() {
        return detail;
    }
}
