package dev.rankql.dsl;

import java.util.Set;
import org.antlr.v4.runtime.Token;

/** The lexical rules the builder and the printer share: string escapes, identifiers and reserved words. */
final class Lexemes {

    /** Upper-case clause keywords and the lower-case literals: never identifiers. */
    static final Set<String> RESERVED = Set.of(
            "FROM", "RETRIEVE", "QUERY", "RESCORE", "WINDOW", "FILTER", "MIN_SCORE", "NAME", "SIZE", "OFFSET",
            "EXPLAIN", "PROFILE", "SOURCE", "TRACK_TOTAL_HITS", "COLLAPSE", "SORT", "SEARCH_AFTER",
            "TERMINATE_AFTER", "TIMEOUT", "EXT", "KNN", "AGGS", "VERSION", "SEQ_NO_PRIMARY_TERM", "TRACK_SCORES", "FIELDS",
            "DOCVALUE_FIELDS", "STORED_FIELDS", "INNER_HITS", "MAX_CONCURRENT_GROUP_SEARCHES", "ASC", "DESC", "true", "false",
            "null");

    private Lexemes() {}

    /** Whether {@code text} reads back as one identifier token. */
    static boolean isIdentifier(String text) {
        // The grammar's IDENTIFIER rule, [a-zA-Z_@*] [a-zA-Z0-9_.@*]*, checked without a regex: printing asks often.
        if (text.isEmpty() || !isIdentifierStart(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isIdentifierStart(c) && !(c >= '0' && c <= '9') && c != '.') {
                return false;
            }
        }
        return !RESERVED.contains(text);
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@' || c == '*';
    }

    /** {@code text} bare when it is an identifier, else as a double-quoted string. */
    static String identifierOrString(String text) {
        return isIdentifier(text) ? text : quote(text);
    }

    /** {@code text} as a double-quoted string with JSON escapes; lone surrogates are escaped so they survive. */
    static String quote(String text) {
        var out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1));
                    if (pairedHigh) {
                        out.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The content of a STRING token, escapes decoded; a bad escape fails at its own column. */
    static String unquote(Token token) {
        if (token instanceof DslLexer.DslToken own) {
            // Strings are checked once, in text order, before parsing; the builder then reuses the result.
            if (own.decoded == null) {
                own.decoded = decode(token);
            }
            return own.decoded;
        }
        return decode(token);
    }

    private static String decode(Token token) {
        String text = token.getText();
        int end = text.length() - 1;
        int backslash = text.indexOf('\\', 1);
        if (backslash < 0 || backslash >= end) {
            return text.substring(1, end);
        }
        char quote = text.charAt(0);
        var out = new StringBuilder(end);
        out.append(text, 1, backslash);
        for (int i = backslash; i < end; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(i + 1);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = i + 6 <= end ? hex4(text, i + 2) : -1;
                    if (code < 0) {
                        throw badEscape(token, i, text.substring(i, Math.min(i + 6, end)),
                                "invalid unicode escape: \\u needs four hex digits");
                    }
                    out.append((char) code);
                    i += 4;
                }
                default -> {
                    if (e == '\'' && quote == '\'') {
                        out.append(e);
                    } else {
                        throw badEscape(token, i, "\\" + e, "invalid escape sequence '\\" + e + "'");
                    }
                }
            }
            i++;
        }
        return out.toString();
    }

    /** The value of the four hex digits at {@code from}, or -1 when they are not four hex digits. */
    private static int hex4(String text, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            // Character.digit also takes non-ASCII digits, which an escape does not.
            if (digit < 0 || text.charAt(i) > 'f') {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static DslSyntaxException badEscape(Token token, int index, String offending, String message) {
        int column = token.getCharPositionInLine() + 1 + token.getText().codePointCount(0, index);
        return new DslSyntaxException(token.getLine(), column, offending, message);
    }
}
