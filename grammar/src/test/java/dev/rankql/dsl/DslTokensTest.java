package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.dsl.DslTokens.Kind;
import dev.rankql.dsl.DslTokens.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DslTokensTest {

    /** Each token as {@code KIND:text}, whitespace left out. */
    private static List<String> words(String text) {
        var words = new ArrayList<String>();
        for (var span : DslTokens.scan(text)) {
            if (span.kind() != Kind.WHITESPACE) {
                words.add(span.kind() + ":" + text.substring(span.start(), span.end()));
            }
        }
        return words;
    }

    @Test
    void kindsOfARequest() {
        assertThat(words("QUERY match(title, \"usb\") | RESCORE ltr('m') WINDOW 10 SIZE 5 EXPLAIN true // why"))
                .containsExactly("KEYWORD:QUERY", "FUNCTION:match", "PUNCTUATION:(", "IDENTIFIER:title",
                        "PUNCTUATION:,", "STRING:\"usb\"", "PUNCTUATION:)", "PUNCTUATION:|", "KEYWORD:RESCORE",
                        "FUNCTION:ltr", "PUNCTUATION:(", "STRING:'m'", "PUNCTUATION:)", "KEYWORD:WINDOW",
                        "NUMBER:10", "KEYWORD:SIZE", "NUMBER:5", "KEYWORD:EXPLAIN", "LITERAL:true",
                        "COMMENT:// why");
    }

    @Test
    void aFunctionNameMayBeFollowedBySpaceOrACommentBeforeItsParenthesis() {
        assertThat(words("match /* c */ (x) title^2")).containsExactly("FUNCTION:match", "COMMENT:/* c */",
                "PUNCTUATION:(", "IDENTIFIER:x", "PUNCTUATION:)", "IDENTIFIER:title", "PUNCTUATION:^", "NUMBER:2");
    }

    @Test
    void textThatDoesNotLexIsAnErrorToTheEndOfItsLineAndScanningGoesOn() {
        assertThat(words("QUERY match(title, \"usb\nSIZE 3")).containsExactly("KEYWORD:QUERY", "FUNCTION:match",
                "PUNCTUATION:(", "IDENTIFIER:title", "PUNCTUATION:,", "ERROR:\"usb", "KEYWORD:SIZE", "NUMBER:3");
        assertThat(words("SIZE 3; EXPLAIN")).containsExactly("KEYWORD:SIZE", "NUMBER:3", "ERROR:; EXPLAIN");
        assertThat(words("/* open")).containsExactly("ERROR:/* open");
    }

    @Test
    void offsetsAreCharIndexesEvenAfterSurrogatePairs() {
        var text = "QUERY match(title, \"\uD83D\uDE00\") SIZE 1";
        var spans = DslTokens.scan(text);
        var size = spans.stream().filter(s -> s.kind() == Kind.KEYWORD).toList().getLast();

        assertThat(text.substring(size.start(), size.end())).isEqualTo("SIZE");
    }

    @Test
    void spansCoverAnyTextWithoutGapsAndNeverThrow() {
        var random = new Random(6);
        var alphabet = "QUERY match(\"x\\' ) ,:|^[]{}\n\t/*-0.5e ;#é\uD83D\uDE00";
        for (int run = 0; run < 2000; run++) {
            var text = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int at = 0;
            for (Span span : DslTokens.scan(text.toString())) {
                assertThat(span.start()).as("%s", text).isEqualTo(at);
                assertThat(span.end()).isGreaterThan(span.start());
                at = span.end();
            }
            assertThat(at).as("%s", text).isEqualTo(text.length());
        }
    }

    @Test
    void namesToComplete() {
        assertThat(DslTokens.keywords()).contains("QUERY", "RETRIEVE", "RESCORE", "WINDOW", "SIZE")
                .allMatch(k -> k.equals(k.toUpperCase(java.util.Locale.ROOT)));
        assertThat(DslTokens.literals()).containsExactly("true", "false", "null");
        assertThat(DslTokens.functions()).contains("match", "multi_match", "bool", "standard", "ltr", "script");
        for (var keyword : DslTokens.keywords()) {
            assertThat(words(keyword)).containsExactly("KEYWORD:" + keyword);
        }
    }
}
