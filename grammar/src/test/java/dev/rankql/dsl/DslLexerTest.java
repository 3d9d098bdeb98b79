package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written lexer against the grammar's generated one: same tokens, same positions, same first error. */
class DslLexerTest {

    private static final String ALPHABET =
            "()[]{},:|^\"'\\/*-+_.@ \n\r\t\fabzAZeEfnrtu09017FROMSIZEtruenull#$%`~ö日😀\u0000\ud800\udc00\u2028";

    private final Random random = new Random(7);

    /** Every token up to EOF, or the lexical error that stopped the lexer, as comparable text. */
    private static List<String> lex(TokenSource source) {
        var out = new ArrayList<String>();
        try {
            for (int index = 0; ; index++) {
                Token t = source.nextToken();
                out.add(t.getType() + " " + t.getChannel() + " " + t.getLine() + ":" + t.getCharPositionInLine()
                        + " [" + t.getStartIndex() + "," + t.getStopIndex() + "] <" + t.getText() + ">");
                if (t.getType() == Token.EOF) {
                    return out;
                }
            }
        } catch (DslSyntaxException e) {
            out.add("error " + e.line() + ":" + e.column() + " <" + e.offendingText() + "> " + e.bareMessage());
            return out;
        }
    }

    private static List<String> antlr(String text) {
        var lexer = new RankQlLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new SyntaxErrors.LexerListener());
        return lex(lexer);
    }

    private static void assertSame(String text) {
        assertThat(lex(new DslLexer(text))).as("%s", text).isEqualTo(antlr(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "FROM idx QUERY match(title, \"x\") SIZE 10", "FROMX fromage true_ null",
        "-", "-x", "--1", "-0", "01", "1.", "1.x", "1.5e", "1.5e+", "1.5E-3", "2e10x", "title^2.5", "a.b@c*d_e9",
        "\"abc", "\"abc\n\"", "\"a\\", "\"a\\\n", "'it\\'s'", "\"\\u00e9\"", "\"😀\"", "'😀\\😀'", "/", "/x",
        "// c\r\nx", "/* a */b", "/* a", "/*/", "/**/", "#", "😀", "a😀", "\ud800", "x\ud800y", "\u0000",
        "a\n\tb\r\n  c\fd", "\"x\" /* \n multi \n line */ \"y\"", "'\r'", "|^:,"})
    void agreesOnEdgeCases(String text) {
        assertSame(text);
    }

    @Test
    void agreesOnTheCorpus() throws Exception {
        for (Path file : DslCorpusTest.corpus().toList()) {
            assertSame(Files.readString(file));
        }
    }

    @Test
    void agreesOnPrintedRandomTrees() {
        var trees = new RandomTrees(11);
        for (int i = 0; i < 300; i++) {
            assertSame(Dsl.print(trees.request()));
        }
    }

    @Test
    void agreesOnMutatedCorpusText() throws Exception {
        for (Path file : DslCorpusTest.corpus().toList()) {
            String text = Files.readString(file);
            for (int round = 0; round < 40; round++) {
                int at = random.nextInt(text.length() + 1);
                String mutated = switch (random.nextInt(3)) {
                    case 0 -> text.substring(0, at) + randomText(1 + random.nextInt(3)) + text.substring(at);
                    case 1 -> text.substring(0, at);
                    default -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1
                            + random.nextInt(5)));
                };
                assertSame(mutated);
            }
        }
    }

    @Test
    void agreesOnRandomText() {
        for (int round = 0; round < 3000; round++) {
            assertSame(randomText(random.nextInt(30)));
        }
    }

    private String randomText(int length) {
        var text = new StringBuilder();
        for (int k = 0; k < length; k++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
