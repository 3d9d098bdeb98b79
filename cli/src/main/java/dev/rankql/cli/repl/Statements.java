package dev.rankql.cli.repl;

import dev.rankql.dsl.DslTokens;

/**
 * Where a REPL input ends: a command ({@code :name ...}) at the end of its line, a statement at a {@code ;} that ends
 * a line or at a blank line. Shared by the terminal's line parser and the scripted reader, so both read alike.
 */
final class Statements {

    private Statements() {}

    /**
     * Whether {@code buffer}, everything typed so far with the line breaks between its lines (none after the last),
     * is a whole input ready to run.
     */
    static boolean isComplete(String buffer) {
        if (isEmpty(buffer) || isCommand(buffer)) {
            return true;
        }
        if (buffer.stripTrailing().endsWith(";")) {
            return true;
        }
        int lastBreak = buffer.lastIndexOf('\n');
        return lastBreak >= 0 && buffer.substring(lastBreak + 1).isBlank();
    }

    /** Whether {@code buffer} starts with {@code :}, the mark of a REPL command. */
    static boolean isCommand(String buffer) {
        return buffer.stripLeading().startsWith(":");
    }

    /** Whether {@code text} holds nothing to run: only spaces and comments. */
    static boolean isEmpty(String text) {
        if (text.isBlank()) {
            return true;
        }
        for (var span : DslTokens.scan(text)) {
            if (span.kind() != DslTokens.Kind.WHITESPACE && span.kind() != DslTokens.Kind.COMMENT) {
                return false;
            }
        }
        return true;
    }

    /** The statement of a complete input: without the trailing {@code ;} and the spaces around it. */
    static String strip(String input) {
        var text = input.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }
}
