package dev.rankql.cli.repl;

import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * The line reader's parser: on Enter it asks for another line until the input is complete (see {@link Statements}),
 * and for completion it finds the word under the cursor as the DSL splits words, not as a shell would.
 */
final class ReplParser implements Parser {

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !Statements.isComplete(line)) {
            // JLine reads a further line when the parser reports a missing end; the message is never shown.
            throw new EOFError(-1, -1, "the statement continues until ';' or a blank line", ";");
        }
        int at = Math.min(Math.max(cursor, 0), line.length());
        int start = wordStart(line, at);
        int end = at;
        while (end < line.length() && isWordChar(line.charAt(end))) {
            end++;
        }
        return new Word(line, at, line.substring(start, end), at - start);
    }

    /** Where the word ending at {@code at} starts; a command's leading {@code :} belongs to its name. */
    static int wordStart(String line, int at) {
        int start = at;
        while (start > 0 && isWordChar(line.charAt(start - 1))) {
            start--;
        }
        if (start > 0 && line.charAt(start - 1) == ':' && line.substring(0, start - 1).isBlank()) {
            start--;
        }
        return start;
    }

    /** The characters of identifiers, numbers and model or index names ({@code my-model.v2}). */
    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@' || c == '*' || c == '-';
    }

    /**
     * The word under the cursor, the only word completion needs. Words hold no quotes or escapes, so the raw word
     * is the word, and a completed value is inserted as it is.
     */
    private record Word(String line, int cursor, String word, int wordCursor) implements CompletingParsedLine {
        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor;
        }

        @Override
        public int rawWordLength() {
            return word.length();
        }
    }
}
