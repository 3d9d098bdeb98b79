package dev.rankql.dsl;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.RuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.atn.RuleStopState;
import org.antlr.v4.runtime.atn.RuleTransition;
import org.antlr.v4.runtime.atn.Transition;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's first syntax error into a {@link DslSyntaxException} that lists what could have come instead.
 *
 * <p>Recovery is switched off: the first error ends the parse. The expected set is found by walking the ATN from
 * the failing state over the remaining tokens; where the walk enters a whole rule that users think of as one thing
 * ({@code query}, {@code retriever}, …), the rule's placeholder is listed instead of the tokens that may start it.
 * The walk keeps the tokens expected at the furthest token it reached, which is where the parse really broke.
 */
final class SyntaxErrors {

    private static final Map<Integer, String> PLACEHOLDERS = Map.of(
            RankQlParser.RULE_query, "<query>",
            RankQlParser.RULE_retriever, "<retriever>",
            RankQlParser.RULE_rescore, "<rescore>",
            RankQlParser.RULE_value, "<value>",
            RankQlParser.RULE_identifier, "<identifier>");

    private static final Map<Integer, String> TOKEN_PLACEHOLDERS = Map.of(
            RankQlLexer.STRING, "<string>",
            RankQlLexer.NUMBER, "<number>",
            RankQlLexer.IDENTIFIER, "<identifier>",
            Token.EOF, "<EOF>");

    /** The walk gives up beyond this many rule calls without consuming input; the grammar never needs that many. */
    private static final int MAX_CALL_DEPTH = 200;

    private SyntaxErrors() {}

    /**
     * Reports the first error and never recovers.
     *
     * <p>Like ANTLR's own strategy it remembers the earliest state at the current token from which the parse could
     * have gone on by skipping optional parts: when matching then fails after leaving those rules, the expected set
     * is taken from there, so {@code SIZE 1 FILTER} lists every clause and not just the end of input.
     */
    static final class Strategy extends DefaultErrorStrategy {

        private int optionalState = -1;
        private ParserRuleContext optionalContext;
        private int optionalToken = -1;

        @Override
        public void reportError(Parser parser, RecognitionException e) {
            throw describe(parser, e);
        }

        @Override
        public void recover(Parser parser, RecognitionException e) {
            throw describe(parser, e);
        }

        @Override
        public Token recoverInline(Parser parser) {
            if (optionalState >= 0 && optionalToken == parser.getInputStream().index()) {
                throw new InputMismatchException(parser, optionalState, optionalContext);
            }
            throw new InputMismatchException(parser);
        }

        /** Only records where optional input began; it never deletes a token as ANTLR's version would. */
        @Override
        public void sync(Parser parser) {
            ATNState state = parser.getATN().states.get(parser.getState());
            int index = parser.getInputStream().index();
            IntervalSet next = parser.getATN().nextTokens(state);
            if (next.contains(parser.getInputStream().LA(1))) {
                optionalState = -1;
            } else if (next.contains(Token.EPSILON) && (optionalState < 0 || optionalToken != index)) {
                optionalState = parser.getState();
                optionalContext = parser.getContext();
                optionalToken = index;
            }
        }
    }

    /**
     * Fails ANTLR's generated lexer at its first unrecognised character, naming what went wrong; parsing uses
     * {@link DslLexer}, and this is the reference its errors are tested against.
     */
    static final class LexerListener extends BaseErrorListener {

        @Override
        public void syntaxError(
                Recognizer<?, ?> recognizer,
                Object offendingSymbol,
                int line,
                int charPositionInLine,
                String msg,
                RecognitionException e) {
            var lexer = (Lexer) recognizer;
            var input = lexer.getInputStream();
            int start = lexer._tokenStartCharIndex;
            int stop = Math.min(input.index(), input.size() - 1);
            throw lexical(line, charPositionInLine, stop >= start ? input.getText(Interval.of(start, stop)) : "");
        }
    }

    /**
     * The error for text that no lexer rule matches at (line, 0-based column): {@code text} runs from there up to
     * and including the character where the lexer gave up.
     */
    static DslSyntaxException lexical(int line, int charPositionInLine, String text) {
        String first = text.isEmpty() ? "<EOF>" : text.substring(0, text.offsetByCodePoints(0, 1));
        String bare;
        if (text.startsWith("\"") || text.startsWith("'")) {
            bare = "unterminated string: a string ends with its quote on the same line";
            text = text.lines().findFirst().orElse(text);
        } else if (text.startsWith("/*")) {
            bare = "unterminated comment: /* needs a closing */";
            text = "/*";
        } else {
            bare = "unexpected character " + quoteChar(first);
            text = first;
        }
        return new DslSyntaxException(line, charPositionInLine + 1, text, bare);
    }

    private static String quoteChar(String c) {
        int cp = c.codePointAt(0);
        if (cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + c + "'";
    }

    static DslSyntaxException describe(Parser parser, RecognitionException e) {
        ATN atn = parser.getATN();
        Token token = e.getOffendingToken();
        if (e instanceof NoViableAltException nv) {
            token = nv.getStartToken();
        }
        int stateNumber = e.getOffendingState() >= 0 ? e.getOffendingState() : parser.getState();
        RuleContext context = e.getCtx() != null ? e.getCtx() : parser.getContext();
        // A rule that failed on its first token was not wanted in part but as a whole: start where it was called,
        // so the walk meets the call and names the rule's placeholder.
        while (context instanceof ParserRuleContext rule
                && rule.start != null
                && rule.start.getTokenIndex() == token.getTokenIndex()
                && rule.invokingState >= 0) {
            stateNumber = rule.invokingState;
            context = rule.parent;
        }
        var walk = new Walk(atn, parser.getTokenStream());
        try {
            walk.visit(atn.states.get(stateNumber), token.getTokenIndex(), -1, null, context, 0);
        } catch (StackOverflowError overflow) {
            walk.expected.clear();
        }
        Token offending = walk.furthest > token.getTokenIndex() ? parser.getTokenStream().get(walk.furthest) : token;
        String text = offending.getType() == Token.EOF ? "<EOF>" : offending.getText();
        String bare = "mismatched input '" + text + "'";
        if (!walk.expected.isEmpty()) {
            bare += ". Expecting: " + String.join(", ", walk.expected);
        }
        return new DslSyntaxException(offending.getLine(), offending.getCharPositionInLine() + 1, text, bare, e);
    }

    /** A rule call still to return from: where to continue, and the suppression index to restore. */
    private record Frame(int followState, int suppress, Frame next, int depth) {}

    private record Key(int state, int tokenIndex, int suppress, Frame stack, int popped) {}

    private static final class Walk {
        final ATN atn;
        final TokenStream tokens;
        final Set<Key> seen = new HashSet<>();
        final TreeSet<String> expected = new TreeSet<>();
        int furthest = -1;

        Walk(ATN atn, TokenStream tokens) {
            this.atn = atn;
            this.tokens = tokens;
        }

        void expect(int tokenIndex, String what) {
            if (tokenIndex > furthest) {
                furthest = tokenIndex;
                expected.clear();
            }
            if (tokenIndex == furthest) {
                expected.add(what);
            }
        }

        /**
         * Follows every path from {@code state}; {@code suppress} is the token index at which a placeholder rule was
         * entered, where the tokens that start it are not listed one by one.
         */
        void visit(ATNState state, int tokenIndex, int suppress, Frame stack, RuleContext context, int popped) {
            if (!seen.add(new Key(state.stateNumber, tokenIndex, suppress, stack, popped))) {
                return;
            }
            if (state instanceof RuleStopState) {
                if (stack != null) {
                    visit(atn.states.get(stack.followState()), tokenIndex, stack.suppress(), stack.next(), context,
                            popped);
                } else if (context != null && context.invokingState >= 0) {
                    var call = (RuleTransition) atn.states.get(context.invokingState).transition(0);
                    visit(call.followState, tokenIndex, suppress, null, context.parent, popped + 1);
                }
                return;
            }
            for (int i = 0; i < state.getNumberOfTransitions(); i++) {
                Transition transition = state.transition(i);
                if (transition instanceof RuleTransition call) {
                    int depth = stack == null ? 1 : stack.depth() + 1;
                    if (depth > MAX_CALL_DEPTH) {
                        continue;
                    }
                    int inner = suppress;
                    String placeholder = PLACEHOLDERS.get(call.target.ruleIndex);
                    if (placeholder != null) {
                        if (suppress != tokenIndex) {
                            expect(tokenIndex, placeholder);
                        }
                        inner = tokenIndex;
                    }
                    visit(call.target, tokenIndex, inner,
                            new Frame(call.followState.stateNumber, suppress, stack, depth), context, popped);
                } else if (transition.isEpsilon()) {
                    visit(transition.target, tokenIndex, suppress, stack, context, popped);
                } else {
                    int type = tokens.get(tokenIndex).getType();
                    if (transition.matches(type, Token.MIN_USER_TOKEN_TYPE, atn.maxTokenType)) {
                        if (type != Token.EOF) {
                            visit(transition.target, tokenIndex + 1, suppress, stack, context, popped);
                        }
                    } else if (suppress != tokenIndex) {
                        for (int t : transition.label().toList()) {
                            expect(tokenIndex, tokenName(t));
                        }
                    }
                }
            }
        }
    }

    private static String tokenName(int type) {
        String placeholder = TOKEN_PLACEHOLDERS.get(type);
        if (placeholder != null) {
            return placeholder;
        }
        String literal = RankQlLexer.VOCABULARY.getLiteralName(type);
        return literal != null ? literal : RankQlLexer.VOCABULARY.getSymbolicName(type);
    }
}
