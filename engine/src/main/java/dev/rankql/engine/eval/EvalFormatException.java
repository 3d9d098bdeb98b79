package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A malformed line in a qrels, queries or run file, with the file and the 1-based line (and column, when known)
 * where it was found.
 */
public final class EvalFormatException extends IOException {

    private final String source;
    private final int line;
    private final int column;
    private final String detail;

    /** A problem on a whole line; {@code column} is 0 when it is not known. */
    public EvalFormatException(String source, int line, int column, String detail) {
        super(format(source, line, column, detail));
        this.source = requireNonNull(source, "source");
        this.line = line;
        this.column = column;
        this.detail = requireNonNull(detail, "detail");
    }

    /** A problem on a line, without a column. */
    public EvalFormatException(String source, int line, String detail) {
        this(source, line, 0, detail);
    }

    private static String format(String source, int line, int column, String detail) {
        return source + ":" + line + (column > 0 ? ":" + column : "") + ": " + detail;
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
