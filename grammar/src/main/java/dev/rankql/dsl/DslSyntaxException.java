package dev.rankql.dsl;

import static java.util.Objects.requireNonNull;

/** The one error a rankql text can raise: a lexical, syntactic or semantic problem at a 1-based line and column. */
public final class DslSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String offendingText;
    private final String bareMessage;

    DslSyntaxException(int line, int column, String offendingText, String bareMessage) {
        this(line, column, offendingText, bareMessage, null);
    }

    DslSyntaxException(int line, int column, String offendingText, String bareMessage, Throwable cause) {
        super("line " + line + ":" + column + ": " + requireNonNull(bareMessage, "bareMessage"), cause);
        this.line = line;
        this.column = column;
        this.offendingText = requireNonNull(offendingText, "offendingText");
        this.bareMessage = bareMessage;
    }

    /** The 1-based line of the offending text. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending text. */
    public int column() {
        return column;
    }

    /** The text at fault: a token, a character, or {@code <EOF>} at the end of the input. */
    public String offendingText() {
        return offendingText;
    }

    /** The message without its {@code line L:C: } prefix. */
    public String bareMessage() {
        return bareMessage;
    }
}
