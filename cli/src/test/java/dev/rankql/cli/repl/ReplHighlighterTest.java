package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class ReplHighlighterTest {

    private static AttributedStyle styleAt(AttributedString text, String of, String word) {
        return text.styleAt(of.indexOf(word));
    }

    @Test
    void eachTokenKindHasItsStyleAndTheTextIsUnchanged() {
        var input = "QUERY match(title, \"lamp\") SIZE 5 EXPLAIN true // note";
        var shown = ReplHighlighter.highlight(input);

        assertThat(shown.toString()).isEqualTo(input);
        assertThat(styleAt(shown, input, "QUERY")).isEqualTo(ReplHighlighter.KEYWORD);
        assertThat(styleAt(shown, input, "SIZE")).isEqualTo(ReplHighlighter.KEYWORD);
        assertThat(styleAt(shown, input, "match")).isEqualTo(ReplHighlighter.FUNCTION);
        assertThat(styleAt(shown, input, "\"lamp\"")).isEqualTo(ReplHighlighter.STRING);
        assertThat(styleAt(shown, input, "5")).isEqualTo(ReplHighlighter.NUMBER);
        assertThat(styleAt(shown, input, "true")).isEqualTo(ReplHighlighter.NUMBER);
        assertThat(styleAt(shown, input, "// note")).isEqualTo(ReplHighlighter.COMMENT);
        assertThat(styleAt(shown, input, "title")).isEqualTo(AttributedStyle.DEFAULT);
    }

    @Test
    void theAnsiTextOfAKeywordIsBoldBlue() {
        assertThat(ReplHighlighter.highlight("QUERY").toAnsi()).contains("\u001b[34;1mQUERY");
    }

    @Test
    void commandsAreMarkedAndTheirArgumentsHighlightedAsStatements() {
        var input = ":json QUERY match_all()";
        var shown = ReplHighlighter.highlight(input);

        assertThat(shown.toString()).isEqualTo(input);
        assertThat(styleAt(shown, input, ":json")).isEqualTo(ReplHighlighter.COMMAND);
        assertThat(styleAt(shown, input, "QUERY")).isEqualTo(ReplHighlighter.KEYWORD);
    }

    @Test
    void textThatDoesNotLexIsMarkedButTheEndingSemicolonIsNot() {
        var input = "QUERY match(title, \"lamp) ;";
        var shown = ReplHighlighter.highlight(input);

        assertThat(shown.toString()).isEqualTo(input);
        assertThat(styleAt(shown, input, "\"lamp")).isEqualTo(ReplHighlighter.ERROR);
        assertThat(shown.styleAt(input.length() - 1)).isEqualTo(AttributedStyle.DEFAULT);
    }
}
