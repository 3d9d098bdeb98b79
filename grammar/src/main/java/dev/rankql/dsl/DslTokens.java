package dev.rankql.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.antlr.v4.runtime.Token;

/**
 * The DSL's tokens as plain spans for editors and REPLs: what kind of word sits where, without ANTLR types, and
 * without failing on text that does not lex (half-typed input is the normal case there).
 */
public final class DslTokens {

    /** What a span of text is, as a highlighter colours it. */
    public enum Kind {
        /** An upper-case clause keyword such as {@code QUERY}, {@code RESCORE}, {@code SIZE}, {@code ASC}. */
        KEYWORD,
        /** {@code true}, {@code false} or {@code null}. */
        LITERAL,
        /** An identifier directly followed by {@code (}: a query, retriever or rescorer name. */
        FUNCTION,
        /** Any other identifier: a field, an option name, a bare index name. */
        IDENTIFIER,
        /** A quoted string, quotes included. */
        STRING,
        /** A number. */
        NUMBER,
        /** Brackets, commas, colons, the pipe and the boost caret. */
        PUNCTUATION,
        /** A line or block comment. */
        COMMENT,
        /** Spaces, tabs and line breaks. */
        WHITESPACE,
        /** Text that does not lex: an unknown character, an unterminated string or comment; up to the line's end. */
        ERROR
    }

    /**
     * One token: its kind and the half-open range {@code [start, end)} of {@code char} indexes (not code points) in
     * the scanned text.
     */
    public record Span(Kind kind, int start, int end) {
        public Span {
            requireNonNull(kind, "kind");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad token range [" + start + ", " + end + ")");
            }
        }
    }

    /** The clause keywords, in the grammar's order. */
    private static final List<String> KEYWORDS = List.of(
            "FROM", "RETRIEVE", "QUERY", "RESCORE", "WINDOW", "FILTER", "MIN_SCORE", "NAME", "SIZE", "OFFSET",
            "EXPLAIN", "PROFILE", "SOURCE", "TRACK_TOTAL_HITS", "COLLAPSE", "SORT", "SEARCH_AFTER",
            "TERMINATE_AFTER", "TIMEOUT", "EXT", "KNN", "AGGS", "VERSION", "SEQ_NO_PRIMARY_TERM", "TRACK_SCORES",
            "FIELDS", "DOCVALUE_FIELDS", "STORED_FIELDS", "INNER_HITS", "MAX_CONCURRENT_GROUP_SEARCHES", "ASC", "DESC");

    private static final List<String> LITERALS = List.of("true", "false", "null");

    private DslTokens() {}

    /**
     * The tokens of {@code text}, covering it without gaps or overlaps, in order. Text that does not lex becomes an
     * {@link Kind#ERROR} span to the end of its line, and scanning goes on from the next line; this never throws.
     */
    public static List<Span> scan(String text) {
        requireNonNull(text, "text");
        var spans = new ArrayList<Span>();
        int offset = 0;
        while (offset < text.length()) {
            var rest = offset == 0 ? text : text.substring(offset);
            var lexer = new DslLexer(rest);
            try {
                for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
                    var dsl = (DslLexer.DslToken) token;
                    spans.add(new Span(kind(token.getType()), offset + dsl.charStart(), offset + dsl.charEnd()));
                }
                offset = text.length();
            } catch (DslSyntaxException e) {
                int start = offset + lexer.position();
                int end = lineEnd(text, start);
                spans.add(new Span(Kind.ERROR, start, end));
                offset = end;
            }
        }
        markFunctions(text, spans);
        return List.copyOf(spans);
    }

    /** The clause keywords, upper-case and reserved. */
    public static List<String> keywords() {
        return KEYWORDS;
    }

    /** The lower-case literals {@code true}, {@code false} and {@code null}. */
    public static List<String> literals() {
        return LITERALS;
    }

    /**
     * Every function name the DSL knows: queries, retrievers (with the {@code retriever(...)} wrapper of a compound
     * retriever's child), rescorers and aggregations, sorted.
     */
    public static SortedSet<String> functions() {
        var names = new TreeSet<String>();
        names.addAll(AstBuilder.queryFunctions());
        names.addAll(AstBuilder.retrieverFunctions());
        names.addAll(AstBuilder.rescorerFunctions());
        names.addAll(AstBuilder.aggregationFunctions());
        return names;
    }

    private static Kind kind(int type) {
        if (type >= RankQlLexer.FROM && type <= RankQlLexer.DESC) {
            return Kind.KEYWORD;
        }
        return switch (type) {
            case RankQlLexer.TRUE, RankQlLexer.FALSE, RankQlLexer.NULL -> Kind.LITERAL;
            case RankQlLexer.IDENTIFIER -> Kind.IDENTIFIER;
            case RankQlLexer.STRING -> Kind.STRING;
            case RankQlLexer.NUMBER -> Kind.NUMBER;
            case RankQlLexer.LINE_COMMENT, RankQlLexer.BLOCK_COMMENT -> Kind.COMMENT;
            case RankQlLexer.WS -> Kind.WHITESPACE;
            default -> Kind.PUNCTUATION;
        };
    }

    /** An identifier whose next visible token is {@code (} names a function; {@code match (x)} counts too. */
    private static void markFunctions(String text, List<Span> spans) {
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i).kind() != Kind.IDENTIFIER) {
                continue;
            }
            int next = i + 1;
            while (next < spans.size()
                    && (spans.get(next).kind() == Kind.WHITESPACE || spans.get(next).kind() == Kind.COMMENT)) {
                next++;
            }
            if (next < spans.size() && spans.get(next).kind() == Kind.PUNCTUATION
                    && text.charAt(spans.get(next).start()) == '(') {
                var span = spans.get(i);
                spans.set(i, new Span(Kind.FUNCTION, span.start(), span.end()));
            }
        }
    }

    private static int lineEnd(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        // A failure at a line break itself cannot happen (breaks are whitespace), but never return an empty span.
        return Math.max(end, Math.min(from + 1, text.length()));
    }
}
