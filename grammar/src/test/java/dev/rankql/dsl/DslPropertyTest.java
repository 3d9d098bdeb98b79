package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.SearchRequest;
import org.junit.jupiter.api.Test;

/** Random trees printed and parsed back must be equal, and printing must be a fixed point. */
class DslPropertyTest {

    private static final int TREES = 2000;

    @Test
    void randomRequestsSurvivePrintAndParse() {
        var trees = new RandomTrees(20261126L);
        for (int i = 0; i < TREES; i++) {
            SearchRequest request = trees.validRequest();
            String text = Dsl.print(request);
            SearchRequest parsed;
            try {
                parsed = Dsl.parseRequest(text);
            } catch (DslSyntaxException e) {
                throw new AssertionError("tree " + i + " printed unparsable text: " + e.getMessage() + "\n" + text, e);
            }
            assertThat(parsed).as("tree %d:%n%s", i, text).isEqualTo(request);
            assertThat(Dsl.print(parsed)).isEqualTo(text);
        }
    }

    @Test
    void randomQueriesAndRetrieversSurviveTheirOwnEntryPoints() {
        var trees = new RandomTrees(7L);
        for (int i = 0; i < TREES / 4; i++) {
            var query = trees.query();
            assertThat(Dsl.parseQuery(Dsl.print(query))).isEqualTo(query);
            var retriever = trees.retriever();
            assertThat(Dsl.parseRetriever(Dsl.print(retriever))).isEqualTo(retriever);
        }
    }
}
