package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.Query;
import org.junit.jupiter.api.Test;

/** Deep input gets a positioned diagnostic, never a StackOverflowError. */
class DepthTest {

    /** {@code levels} constant_score queries around a match_all, as the body of a search. */
    private static String nestedQueries(int levels) {
        return "{\"query\": " + "{\"constant_score\": {\"filter\": ".repeat(levels) + "{\"match_all\": {}}"
                + "}}".repeat(levels) + "}";
    }

    @Test
    void acceptsQueriesUpToTheLimit() {
        var request = EsJson.readSearch(nestedQueries(EsJson.MAX_DEPTH - 1));
        assertThat(request.isValid()).isTrue();
        Query query = request.get().query().orElseThrow();
        int depth = 1;
        while (query instanceof Query.ConstantScore c) {
            query = c.filter();
            depth++;
        }
        assertThat(depth).isEqualTo(EsJson.MAX_DEPTH);
    }

    @Test
    void refusesQueriesBeyondTheLimitAtTheirPath() {
        var result = EsJson.readSearch(nestedQueries(EsJson.MAX_DEPTH));
        String path = "$.query" + ".constant_score.filter".repeat(EsJson.MAX_DEPTH) + ".match_all";
        assertThat(result.getError()).singleElement().isEqualTo(new Diagnostic(path,
                "[query] is nested deeper than the maximum of [64]", Diagnostic.PARSING_EXCEPTION));
    }

    @Test
    void countsRetrieversAndQueriesTogether() {
        int retrievers = 40;
        String json = "{\"retriever\": "
                + "{\"rescorer\": {\"rescore\": {\"window_size\": 1, \"script\": {\"script\": {\"source\": \"1\"}}}, "
                        .concat("\"retriever\": ").repeat(retrievers)
                + "{\"standard\": {\"query\": "
                + "{\"bool\": {\"must\": ".repeat(30) + "{\"match_all\": {}}" + "}}".repeat(30) + "}}"
                + "}}".repeat(retrievers) + "}";
        var result = EsJson.readSearch(json);
        assertThat(result.getError()).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("[query] is nested deeper than the maximum of [64]");
            assertThat(d.path()).startsWith("$.retriever.rescorer.retriever.rescorer").endsWith(".bool.must.bool");
        });
    }

    @Test
    void hundredsOfNestedBoolsStopAtTheLimit() {
        int levels = 400;
        String json = "{\"bool\": {\"must\": ".repeat(levels) + "{\"match_all\": {}}" + "}}".repeat(levels);
        var result = EsJson.readQuery(json);
        assertThat(result.getError()).extracting(Diagnostic::message)
                .containsExactly("[query] is nested deeper than the maximum of [64]");
    }

    @Test
    void deeplyNestedArraysAndObjectsHitJacksonsLimitCleanly() {
        int depth = 100_000;
        for (String json : new String[] {
                "[".repeat(depth) + "]".repeat(depth),
                "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
                "{\"ext\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "}",
                "{\"query\": " + "{\"bool\": {\"must\": [".repeat(depth)}) {
            var result = EsJson.readSearch(json);
            assertThat(result.getError()).singleElement().satisfies(d -> {
                assertThat(d.path()).isEqualTo("$");
                assertThat(d.message()).startsWith("invalid JSON at line 1, column ")
                        .contains("nesting depth").contains("exceeds the maximum allowed (1000");
            });
        }
    }

    @Test
    void deepValuesWithinTheJacksonLimitAreRead() {
        int depth = EsJson.MAX_JSON_NESTING - 3;
        String json = "{\"ext\": {\"rankql\": " + "[".repeat(depth) + "]".repeat(depth) + "}}";
        var request = EsJson.parseSearch(json);
        assertThat(EsJson.parseSearch(EsJson.writeSearchCompact(request))).isEqualTo(request);
    }
}
