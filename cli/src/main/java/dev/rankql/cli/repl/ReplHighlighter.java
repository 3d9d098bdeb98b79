package dev.rankql.cli.repl;

import dev.rankql.dsl.DslTokens;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the input as it is typed, from the DSL's own token kinds: keywords, functions, strings, numbers,
 * comments, and text that does not lex. JSON bodies lex as DSL tokens too, so they are coloured alike.
 */
final class ReplHighlighter implements Highlighter {

    static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    static final AttributedStyle FUNCTION = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT).faint();
    static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).underline();
    static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        return highlight(buffer);
    }

    /** {@code buffer} with its styles. */
    static AttributedString highlight(String buffer) {
        var out = new AttributedStringBuilder(buffer.length() + 32);
        int from = 0;
        if (Statements.isCommand(buffer)) {
            int colon = buffer.indexOf(':');
            int end = colon + 1;
            while (end < buffer.length() && ReplParser.isWordChar(buffer.charAt(end))) {
                end++;
            }
            out.append(buffer.substring(0, colon));
            out.styled(COMMAND, buffer.substring(colon, end));
            from = end;
        }
        var rest = buffer.substring(from);
        // The ';' that ends a statement is the REPL's, not the DSL's: it is left plain rather than marked an error.
        var end = rest.stripTrailing();
        var tail = "";
        if (end.endsWith(";")) {
            tail = rest.substring(end.length() - 1);
            rest = end.substring(0, end.length() - 1);
        }
        for (var span : DslTokens.scan(rest)) {
            var text = rest.substring(span.start(), span.end());
            switch (span.kind()) {
                case KEYWORD -> out.styled(KEYWORD, text);
                case FUNCTION -> out.styled(FUNCTION, text);
                case STRING -> out.styled(STRING, text);
                case NUMBER, LITERAL -> out.styled(NUMBER, text);
                case COMMENT -> out.styled(COMMENT, text);
                case ERROR -> out.styled(ERROR, text);
                case IDENTIFIER, PUNCTUATION, WHITESPACE -> out.append(text);
            }
        }
        out.append(tail);
        return out.toAttributedString();
    }
}
