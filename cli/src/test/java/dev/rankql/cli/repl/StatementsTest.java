package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementsTest {

    @Test
    void aStatementEndsWithASemicolonAtTheEndOfALineOrWithABlankLine() {
        assertThat(Statements.isComplete("QUERY match(title, \"x\");")).isTrue();
        assertThat(Statements.isComplete("QUERY match(title, \"x\")  ;  ")).isTrue();
        assertThat(Statements.isComplete("QUERY match(title, \"x\")\nSIZE 1;")).isTrue();
        assertThat(Statements.isComplete("QUERY match(title, \"x\")\nSIZE 1\n")).isTrue();
        assertThat(Statements.isComplete("QUERY match(title, \"x\")\nSIZE 1\n  \t")).isTrue();

        assertThat(Statements.isComplete("QUERY match(title, \"x\")")).isFalse();
        assertThat(Statements.isComplete("QUERY match(title, \"x\")\nSIZE 1")).isFalse();
        assertThat(Statements.isComplete("QUERY match(title, \"a;b\")")).isFalse();
    }

    @Test
    void aCommandEndsWithItsLineAndEmptyInputIsComplete() {
        assertThat(Statements.isComplete(":use shop")).isTrue();
        assertThat(Statements.isComplete("  :json QUERY match(title, \"x\"")).isTrue();
        assertThat(Statements.isComplete("")).isTrue();
        assertThat(Statements.isComplete("// a note")).isTrue();
        assertThat(Statements.isComplete("/* a note */")).isTrue();
    }

    @Test
    void stripDropsTheEndingSemicolons() {
        assertThat(Statements.strip("  SIZE 1 ; ;\n")).isEqualTo("SIZE 1");
        assertThat(Statements.strip(";")).isEmpty();
        assertThat(Statements.strip("{\"size\": 1}")).isEqualTo("{\"size\": 1}");
    }
}
