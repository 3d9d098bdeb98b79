package dev.rankql.dsl;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Query;
import dev.rankql.ast.RequestValidation;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** The rankql DSL's entry points: parse a request, retriever or query into the AST, and print one back. */
public final class Dsl {

    /** The deepest nesting of parentheses, brackets and braces a text may have. */
    public static final int MAX_DEPTH = 64;

    private Dsl() {}

    /** Parses a whole search request; every problem raises a {@link DslSyntaxException}. */
    public static SearchRequest parseRequest(String text) {
        var request = parse(text, RankQlParser::standaloneRequest, c -> AstBuilder.request(c.request()));
        for (var problem : RequestValidation.validate(request)) {
            throw new DslSyntaxException(problem.span().line(), problem.span().column(), firstLine(text, problem.span()),
                    problem.message());
        }
        return request;
    }

    /** The first line of the text a span covers, for error messages. */
    private static String firstLine(String text, Span span) {
        int start = text.offsetByCodePoints(0, Math.min(span.offset(), text.codePointCount(0, text.length())));
        int end = text.offsetByCodePoints(start, Math.min(span.length(), text.codePointCount(start, text.length())));
        return text.substring(start, end).lines().findFirst().orElse("");
    }

    /** Parses one retriever, such as {@code standard(match(title, "x")) | RESCORE ltr("m") WINDOW 10}. */
    public static Retriever parseRetriever(String text) {
        return parse(text, RankQlParser::standaloneRetriever, c -> AstBuilder.retriever(c.retriever()));
    }

    /** Parses one query, such as {@code match(title, "x")}. */
    public static Query parseQuery(String text) {
        return parse(text, RankQlParser::standaloneQuery, c -> AstBuilder.query(c.query()));
    }

    /**
     * The canonical text of {@code request}: one clause per line, no trailing newline.
     *
     * @throws IllegalArgumentException when the request holds options the DSL has no syntax for (see
     *     {@link #inexpressible}), rather than printing a text that would lose them
     */
    public static String print(SearchRequest request) {
        var missing = inexpressible(requireNonNull(request, "request"));
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the DSL has no syntax for " + missing
                    + "; keep this search in Elasticsearch JSON");
        }
        return Printer.request(request);
    }

    /**
     * The options of {@code request} the DSL cannot write, by their Elasticsearch names; empty when it prints whole.
     * Every option the AST holds has DSL syntax today (the hit options and collapse inner hits included), so the list
     * is empty; {@link #print(SearchRequest)} still checks it, so that an option added to the AST without syntax is
     * refused by name instead of being dropped.
     */
    public static List<String> inexpressible(SearchRequest request) {
        requireNonNull(request, "request");
        return List.of();
    }

    /** The canonical text of {@code retriever}, each rescorer pipe on its own line. */
    public static String print(Retriever retriever) {
        return Printer.retriever(requireNonNull(retriever, "retriever"));
    }

    /** The canonical text of {@code query}: one line when it fits in 100 columns. */
    public static String print(Query query) {
        return Printer.query(requireNonNull(query, "query"), 0);
    }

    private static <C extends ParserRuleContext, T> T parse(
            String text, Function<RankQlParser, C> entry, Function<C, T> build) {
        requireNonNull(text, "text");
        Token deepest = null;
        try {
            var tokens = new Tokens(new DslLexer(text), text.length());
            tokens.fill();
            deepest = checkTokens(tokens);
            var parser = new RankQlParser(tokens);
            parser.removeErrorListeners();
            parser.setErrorHandler(new BailErrorStrategy());
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            C tree;
            try {
                tree = entry.apply(parser);
            } catch (ParseCancellationException sllFailed) {
                // SLL may reject what full LL accepts; the second pass also produces the positioned message.
                tokens.seek(0);
                parser.reset();
                parser.setErrorHandler(new SyntaxErrors.Strategy());
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                tree = entry.apply(parser);
            }
            return build.apply(tree);
        } catch (StackOverflowError e) {
            // Within MAX_DEPTH this needs a thread with a very small stack; blame the deepest point of the text.
            String message = "too deeply nested: the text needs more stack than this thread has";
            if (deepest == null) {
                throw new DslSyntaxException(1, 1, "", message, null);
            }
            throw AstBuilder.error(deepest, message);
        }
    }

    /**
     * The token buffer, sized up front from the text's length instead of growing from a hundred tokens. Once filled it
     * knows, for every index, the nearest token on the parser's channel either way, so that the parser's look-ahead
     * and look-behind jump over whitespace and comments instead of walking them token by token.
     */
    private static final class Tokens extends CommonTokenStream {
        private int[] next;
        private int[] previous;

        Tokens(DslLexer lexer, int textLength) {
            super(lexer);
            // Canonical text averages about four characters a token, whitespace tokens included.
            tokens = new ArrayList<>(Math.min(16 + textLength / 3, 1 << 20));
        }

        @Override
        public void fill() {
            super.fill();
            int size = tokens.size();
            next = new int[size];
            previous = new int[size];
            int last = -1;
            for (int i = 0; i < size; i++) {
                if (onChannel(tokens.get(i))) {
                    last = i;
                }
                previous[i] = last;
            }
            int following = size - 1;
            for (int i = size - 1; i >= 0; i--) {
                if (onChannel(tokens.get(i))) {
                    following = i;
                }
                next[i] = following;
            }
        }

        /** The test both of ANTLR's channel scans make: the end of input counts as on every channel. */
        private boolean onChannel(Token token) {
            return token.getChannel() == channel || token.getType() == Token.EOF;
        }

        @Override
        protected int nextTokenOnChannel(int i, int channel) {
            if (next != null && channel == this.channel && i >= 0 && i < next.length) {
                return next[i];
            }
            return super.nextTokenOnChannel(i, channel);
        }

        @Override
        protected int previousTokenOnChannel(int i, int channel) {
            if (previous != null && channel == this.channel && i >= 0 && i < previous.length) {
                return previous[i];
            }
            return super.previousTokenOnChannel(i, channel);
        }
    }

    /**
     * Checks what the parser need not see: nesting depth, so that recursion stays bounded, and string escapes, so
     * that a bad one is reported in text order. Returns the token that opens the deepest nesting.
     */
    private static Token checkTokens(CommonTokenStream tokens) {
        int depth = 0;
        int deepest = 0;
        Token deepestToken = tokens.get(0);
        for (Token token : tokens.getTokens()) {
            switch (token.getType()) {
                case RankQlLexer.LPAREN, RankQlLexer.LBRACKET, RankQlLexer.LBRACE -> {
                    if (++depth > deepest) {
                        deepest = depth;
                        deepestToken = token;
                    }
                    if (depth > MAX_DEPTH) {
                        throw AstBuilder.error(token, "too deeply nested: at most " + MAX_DEPTH
                                + " levels of parentheses, brackets and braces are allowed");
                    }
                }
                case RankQlLexer.RPAREN, RankQlLexer.RBRACKET, RankQlLexer.RBRACE -> depth = Math.max(0, depth - 1);
                case RankQlLexer.STRING -> Lexemes.unquote(token);
                default -> {}
            }
        }
        return deepestToken;
    }
}
