package dev.rankql.dsl;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenFactory;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;

/**
 * A hand-written scanner for the lexer rules of {@code RankQl.g4}, several times faster than ANTLR's generated
 * lexer; it yields the same tokens at the same positions (lines, columns and indexes in code points) and fails
 * with the same message where ANTLR's lexer would.
 */
final class DslLexer implements TokenSource {

    /** The fixed text of each keyword and punctuation token type, null for the others. */
    private static final String[] LITERALS = new String[RankQlLexer.VOCABULARY.getMaxTokenType() + 1];

    static {
        for (int type = 1; type < LITERALS.length; type++) {
            String literal = RankQlLexer.VOCABULARY.getLiteralName(type);
            // Literal names are quoted ('FROM', '('); the token's text is what is between the quotes.
            LITERALS[type] = literal == null ? null : literal.substring(1, literal.length() - 1);
        }
    }

    private final String text;
    private final int length;
    private final Pair<TokenSource, CharStream> source = new Pair<>(this, null);
    /** Char index into {@link #text}, and the same place counted in code points as ANTLR counts. */
    private int pos;
    private int codePoint;
    private int line = 1;
    private int column;

    DslLexer(String text) {
        this.text = text;
        this.length = text.length();
    }

    @Override
    public Token nextToken() {
        int start = pos;
        int startCodePoint = codePoint;
        int startLine = line;
        int startColumn = column;
        if (start >= length) {
            return new DslToken(source, Token.EOF, Token.DEFAULT_CHANNEL, codePoint, codePoint - 1, startLine,
                    startColumn, null, -1, -1);
        }
        char c = text.charAt(start);
        int type;
        int end;
        switch (c) {
            case '(' -> { type = RankQlLexer.LPAREN; end = start + 1; }
            case ')' -> { type = RankQlLexer.RPAREN; end = start + 1; }
            case '[' -> { type = RankQlLexer.LBRACKET; end = start + 1; }
            case ']' -> { type = RankQlLexer.RBRACKET; end = start + 1; }
            case '{' -> { type = RankQlLexer.LBRACE; end = start + 1; }
            case '}' -> { type = RankQlLexer.RBRACE; end = start + 1; }
            case ',' -> { type = RankQlLexer.COMMA; end = start + 1; }
            case ':' -> { type = RankQlLexer.COLON; end = start + 1; }
            case '|' -> { type = RankQlLexer.PIPE; end = start + 1; }
            case '^' -> { type = RankQlLexer.CARET; end = start + 1; }
            case ' ', '\t', '\r', '\n', '\f' -> {
                type = RankQlLexer.WS;
                end = start + 1;
                while (end < length && isSpace(text.charAt(end))) {
                    end++;
                }
            }
            case '"', '\'' -> {
                type = RankQlLexer.STRING;
                end = stringEnd(start, c);
            }
            case '/' -> {
                char next = start + 1 < length ? text.charAt(start + 1) : 0;
                if (start + 1 < length && next == '/') {
                    type = RankQlLexer.LINE_COMMENT;
                    end = start + 2;
                    while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                        end++;
                    }
                } else if (start + 1 < length && next == '*') {
                    type = RankQlLexer.BLOCK_COMMENT;
                    int close = text.indexOf("*/", start + 2);
                    if (close < 0) {
                        throw fail(start, length, startLine, startColumn);
                    }
                    end = close + 2;
                } else {
                    throw fail(start, start + 1, startLine, startColumn);
                }
            }
            default -> {
                if (c == '-' || isDigit(c)) {
                    type = RankQlLexer.NUMBER;
                    end = numberEnd(start, startLine, startColumn);
                } else if (Lexemes.isIdentifierStart(c)) {
                    end = start + 1;
                    while (end < length && isIdentifierPart(text.charAt(end))) {
                        end++;
                    }
                    type = keyword(start, end);
                } else {
                    throw fail(start, start, startLine, startColumn);
                }
            }
        }
        if (type == RankQlLexer.WS || type == RankQlLexer.STRING || type >= RankQlLexer.LINE_COMMENT) {
            advance(end);
        } else {
            // Every other token is ASCII on one line: one code point and one column per char.
            codePoint += end - start;
            column += end - start;
            pos = end;
        }
        int channel = type >= RankQlLexer.LINE_COMMENT ? Token.HIDDEN_CHANNEL : Token.DEFAULT_CHANNEL;
        return new DslToken(source, type, channel, startCodePoint, codePoint - 1, startLine, startColumn,
                LITERALS[type], start, end);
    }

    /** Moves to char index {@code end}, counting code points, lines and columns on the way. */
    private void advance(int end) {
        int i = pos;
        while (i < end) {
            char c = text.charAt(i++);
            if (c == '\n') {
                line++;
                column = 0;
            } else {
                column++;
            }
            if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(text.charAt(i))) {
                i++;
            }
            codePoint++;
        }
        pos = end;
    }

    private int stringEnd(int start, char quote) {
        int i = start + 1;
        while (i < length) {
            char c = text.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c == '\n' || c == '\r') {
                break;
            }
            if (c == '\\') {
                if (i + 1 >= length) {
                    i = length;
                    break;
                }
                char escaped = text.charAt(i + 1);
                if (escaped == '\n' || escaped == '\r') {
                    i++;
                    break;
                }
                i += 1 + Character.charCount(text.codePointAt(i + 1));
            } else {
                i++;
            }
        }
        // Nothing has been consumed yet, so the current line and column are the string's own.
        throw fail(start, i, line, column);
    }

    /** The end of the longest number at {@code start}; a fraction or exponent that is cut short is left out. */
    private int numberEnd(int start, int startLine, int startColumn) {
        int i = start;
        if (text.charAt(i) == '-') {
            i++;
        }
        if (i < length && text.charAt(i) == '0') {
            i++;
        } else if (i < length && text.charAt(i) >= '1' && text.charAt(i) <= '9') {
            i = digitsEnd(i + 1);
        } else {
            throw fail(start, i, startLine, startColumn);
        }
        if (i + 1 < length && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            i = digitsEnd(i + 2);
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < length && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                j++;
            }
            if (j < length && isDigit(text.charAt(j))) {
                i = digitsEnd(j + 1);
            }
        }
        return i;
    }

    private int digitsEnd(int i) {
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The keyword token type of the identifier-like run from {@code start} to {@code end}, else IDENTIFIER. */
    private int keyword(int start, int end) {
        char first = text.charAt(start);
        if (!(first >= 'A' && first <= 'Z') && first != 't' && first != 'f' && first != 'n') {
            return RankQlLexer.IDENTIFIER;
        }
        int length = end - start;
        for (int type = RankQlLexer.FROM; type <= RankQlLexer.NULL; type++) {
            String keyword = LITERALS[type];
            if (keyword.length() == length && text.startsWith(keyword, start)) {
                return type;
            }
        }
        return RankQlLexer.IDENTIFIER;
    }

    /**
     * The error ANTLR's lexer reports when no rule matches at {@code start}: it has read up to char index
     * {@code failedAt}, where the character it could not take (if any) is included in the offending text.
     */
    private DslSyntaxException fail(int start, int failedAt, int startLine, int startColumn) {
        int stop = failedAt < length ? failedAt + Character.charCount(text.codePointAt(failedAt)) : length;
        return SyntaxErrors.lexical(startLine, startColumn, text.substring(start, stop));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierPart(char c) {
        return Lexemes.isIdentifierStart(c) || isDigit(c) || c == '.';
    }

    /** The char index where the next token starts; after a failure, where the text that does not lex starts. */
    int position() {
        return pos;
    }

    @Override
    public int getLine() {
        return line;
    }

    @Override
    public int getCharPositionInLine() {
        return column;
    }

    @Override
    public CharStream getInputStream() {
        return null;
    }

    @Override
    public String getSourceName() {
        return IntStream.UNKNOWN_SOURCE_NAME;
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        throw new UnsupportedOperationException("the DSL lexer makes its own tokens");
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return CommonTokenFactory.DEFAULT;
    }

    /**
     * A token that takes its text from the source string only when asked, and keeps a string's decoded content once
     * it has been decoded.
     */
    static final class DslToken extends CommonToken {

        private final String input;
        private final int charStart;
        private final int charEnd;
        String decoded;

        DslToken(Pair<TokenSource, CharStream> source, int type, int channel, int start, int stop, int line,
                int column, String text, int charStart, int charEnd) {
            super(source, type, channel, start, stop);
            this.line = line;
            this.charPositionInLine = column;
            this.text = text;
            this.input = source.a instanceof DslLexer lexer ? lexer.text : null;
            this.charStart = charStart;
            this.charEnd = charEnd;
        }

        /** The char index of the token's first char in the lexed text. */
        int charStart() {
            return charStart;
        }

        /** The char index just past the token's last char. */
        int charEnd() {
            return charEnd;
        }

        @Override
        public String getText() {
            if (text == null) {
                text = type == Token.EOF ? "<EOF>" : input.substring(charStart, charEnd);
            }
            return text;
        }
    }

    static {
        // The token types above are the generated lexer's; fail fast if the grammar gains a token this scanner lacks.
        // Keywords are looked up as the run FROM..NULL, and every type from LINE_COMMENT on is hidden.
        if (RankQlLexer.VOCABULARY.getMaxTokenType() != RankQlLexer.WS || Lexer.HIDDEN != Token.HIDDEN_CHANNEL
                || RankQlLexer.NULL - RankQlLexer.FROM != 34 || RankQlLexer.LINE_COMMENT != RankQlLexer.STRING + 1) {
            throw new ExceptionInInitializerError("RankQl.g4's tokens changed; update DslLexer");
        }
    }
}
