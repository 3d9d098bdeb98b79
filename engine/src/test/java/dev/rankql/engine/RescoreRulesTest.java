package dev.rankql.engine;

import static dev.rankql.engine.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.Query;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of the Elasticsearch LTR spec, sections b and c, one named test each. */
class RescoreRulesTest {

    @TempDir
    static Path data;

    static Engine engine;

    /** Ten documents; document i has n = i and first-pass score i under {@link #byN()}; groups g = i % 3. */
    @BeforeAll
    static void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("ten", "{\"settings\": {\"index.max_rescore_window\": 50}, \"mappings\": {\"properties\": "
                + "{\"n\": {\"type\": \"integer\"}, \"g\": {\"type\": \"keyword\"}, \"t\": {\"type\": \"text\"}}}}");
        var docs = new ArrayList<String>();
        for (int i = 1; i <= 10; i++) {
            docs.add("{\"n\": " + i + ", \"g\": \"g" + (i % 3) + "\", \"t\": \"" + (i % 2 == 0 ? "even" : "odd") + "\"}");
        }
        TestIndex.indexDocs(engine, "ten", docs);
        engine.createIndex("three", "{}");
        TestIndex.indexDocs(engine, "three", List.of("{\"f\": 1}", "{\"f\": 2}", "{\"f\": 3}"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        engine.close();
    }

    /** First-pass score = n. */
    static Query byN() {
        return scriptScore(matchAll(), "doc['n'].value", Map.of());
    }

    static Query even() {
        return term("t", Value.of("even"));
    }

    private static SearchResponse run(String index, dev.rankql.ast.SearchRequest request) {
        return engine.search(index, request);
    }

    @Test
    void c4_queryRescorerCombinesInsideTheWindowAndWeighsTheRest() {
        // 210_rescore_explain.yml: 3 docs, match_all, window 2, weights 5 and 10 -> 15, 15, 5.
        var response = run("three", search(matchAll(), null, null, queryRescore(2, matchAll(), 5f, 10f, null)));
        assertThat(TestIndex.scores(response)).containsExactly(15f, 15f, 5f);
        assertThat(TestIndex.ids(response)).containsExactly("1", "2", "3");
    }

    @Test
    void c4_queryRescorerExplainUsesElasticsearchDescriptions() {
        var response = run("three", withExplain(search(matchAll(), null, null, queryRescore(2, matchAll(), 5f, 10f, null))));
        var top = SearchResponse.explanationJson(response.hits().get(0).explanation().orElseThrow());
        assertThat(top.get("description").asString()).isEqualTo("sum of:");
        assertThat(top.get("value").floatValue()).isEqualTo(15f);
        assertThat(top.at("/details/0/description").asString()).isEqualTo("product of:");
        assertThat(top.at("/details/0/details/1/description").asString()).isEqualTo("primaryWeight");
        assertThat(top.at("/details/1/details/1/description").asString()).isEqualTo("secondaryWeight");
        var outside = SearchResponse.explanationJson(response.hits().get(2).explanation().orElseThrow());
        assertThat(outside.get("description").asString()).isEqualTo("product of:");
        assertThat(outside.get("value").floatValue()).isEqualTo(5f);
    }

    @Test
    void c4_scoreModes() {
        var modes = Map.of(ScoreMode.TOTAL, 12f, ScoreMode.MULTIPLY, 20f, ScoreMode.AVG, 6f, ScoreMode.MAX, 10f, ScoreMode.MIN, 2f);
        modes.forEach((mode, expected) -> {
            // first pass 1 (match_all) * 2, rescore query constant 5 * 2.
            var response = run("three", search(matchAll(), null, 1,
                    queryRescore(3, constantScore(matchAll(), 5f), 2f, 2f, mode)));
            assertThat(TestIndex.scores(response)).as(mode.keyword()).containsExactly(expected);
        });
    }

    @Test
    void c4_docsInTheWindowThatTheRescoreQueryMissesAreOnlyWeighted() {
        // Window 4 over scores 10..7: the even ones (10, 8) get +100, the odd ones (9, 7) stay; outside the window 6.. stay.
        var response = run("ten", search(byN(), null, 6, queryRescore(4, constantScore(even(), 100f), null, null, null)));
        assertThat(TestIndex.ids(response)).containsExactly("10", "8", "9", "7", "6", "5");
        assertThat(TestIndex.scores(response)).containsExactly(110f, 108f, 9f, 7f, 6f, 5f);
    }

    @Test
    void c5_scriptRescorerReplacesScoresInTheWindowAndKeepsTheRest() {
        var response = run("ten", search(byN(), null, 10, scriptRescore(3, "_score / 10")));
        assertThat(TestIndex.ids(response)).containsExactly("7", "6", "5", "4", "3", "2", "1", "10", "9", "8");
        assertThat(TestIndex.scores(response).subList(0, 3)).containsExactly(7f, 6f, 5f);
        assertThat(TestIndex.scores(response).subList(7, 10)).containsExactly(1f, 0.9f, 0.8f);
        var explained = run("ten", withExplain(search(byN(), null, 10, scriptRescore(3, "_score / 10"))));
        assertThat(explained.hits().get(7).explanation().orElseThrow().getDescription()).contains("script score function");
    }

    @Test
    void c6_rescorersChainEachOnThePreviousOutput() {
        // +4 on the top 2 (10, 9 -> 14, 13), then *2 on the top 3 of the new order (14, 13, 8 -> 28, 26, 16).
        var response = run("ten", search(byN(), null, 4,
                queryRescore(2, constantScore(matchAll(), 4f), null, null, null), scriptRescore(3, "_score * 2")));
        assertThat(TestIndex.scores(response)).containsExactly(28f, 26f, 16f, 7f);
    }

    @Test
    void c1_windowCollectsMaxOfFromPlusSizeAndWindows() {
        // Window 5 > size 2: the rescorer still sees the top 5 first-pass hits, and the best of them is returned.
        var response = run("ten", search(byN(), null, 2, scriptRescore(5, "100 - _score")));
        assertThat(TestIndex.ids(response)).containsExactly("6", "7");
        assertThat(response.total().orElseThrow().value()).isEqualTo(10);
    }

    @Test
    void c1_minScoreAppliesToTheFirstPassOnly() {
        // min_score 5 keeps first-pass 5..10; the rescorer sinks them below 5, and they are still returned.
        var response = run("ten", withMinScore(search(byN(), null, 10, scriptRescore(10, "_score / 100")), 5f));
        assertThat(TestIndex.ids(response)).containsExactly("10", "9", "8", "7", "6", "5");
        assertThat(response.total().orElseThrow().value()).isEqualTo(6);
    }

    @Test
    void c3_paginationPastTheWindowKeepsUnrescoredHitsOfTheQueryRescorer() {
        // Window 2 and page 2 of size 2: ES collects from+size = 4, rescores the top 2 (+0.5 each), returns hits 3-4.
        var request = search(byN(), 2, 2, queryRescore(2, constantScore(matchAll(), 0.5f), null, null, null));
        var response = run("ten", request);
        assertThat(TestIndex.ids(response)).containsExactly("8", "7");
        assertThat(TestIndex.scores(response)).containsExactly(8f, 7f);
    }

    @Test
    void c3_tiesAreBrokenByIndexOrder() {
        var response = run("ten", search(constantScore(matchAll(), 2f), null, 10, scriptRescore(4, "1")));
        assertThat(TestIndex.ids(response)).containsExactly("5", "6", "7", "8", "9", "10", "1", "2", "3", "4");
    }

    @Test
    void c7_collapsePicksHeadsByFirstPassScoreThenRescores() {
        // Heads by n: g1 -> 10, g0 -> 9, g2 -> 8. Rescoring 11 - n reorders the heads: 8, 9, 10.
        var response = run("ten", withCollapse(search(byN(), null, null, scriptRescore(3, "11 - _score")), "g"));
        assertThat(TestIndex.ids(response)).containsExactly("8", "9", "10");
        assertThat(response.hits().get(0).fields()).isEqualTo(Map.of("g", List.of("g2")));
        assertThat(response.total().orElseThrow().value()).isEqualTo(10);
        assertThat(Json.write(response.hits().get(0).toJson())).contains("\"fields\":{\"g\":[\"g2\"]}");
    }

    @Test
    void c10_rescorerRetrieverReturnsOnlyTheWindowRescored() {
        // 30_rescorer_retriever.yml: window 3 over 10, 9, 8 -> ids 8, 9, 10 rescored to 3, 2, 1; total counts all.
        var request = retriever(rescorer(standard(byN()), List.of(), scriptRescore(3, "11 - _score")), null, null);
        var response = run("ten", request);
        assertThat(TestIndex.ids(response)).containsExactly("8", "9", "10");
        assertThat(TestIndex.scores(response)).containsExactly(3f, 2f, 1f);
        assertThat(response.total().orElseThrow().value()).isEqualTo(10);
    }

    @Test
    void c10_rescorerRetrieverDropsDocsOutsideTheWindowEvenForTheQueryRescorer() {
        var request = retriever(rescorer(standard(byN()), List.of(), queryRescore(3, constantScore(matchAll(), 1f), null, null, null)), null, 10);
        assertThatThrownBy(() -> run("ten", request)).hasMessage(
                "Validation Failed: 1: [rescorer] requires [window_size: 3] be greater than or equal to [size: 10];");
        var response = run("ten", retriever(rescorer(standard(byN()), List.of(),
                queryRescore(3, constantScore(matchAll(), 1f), null, null, null)), null, null));
        assertThat(TestIndex.ids(response)).containsExactly("10", "9", "8");
        assertThat(TestIndex.scores(response)).containsExactly(11f, 10f, 9f);
    }

    @Test
    void c10_windowIsTheSmallestRescoreWindow() {
        var rescorer = rescorer(standard(byN()), List.of(), scriptRescore(5, "_score"), scriptRescore(2, "_score"));
        assertThat(rescorer.rankWindowSize()).isEqualTo(2);
        assertThat(TestIndex.ids(run("ten", retriever(rescorer, null, null)))).containsExactly("10", "9");
    }

    @Test
    void c10_filterIsPushedDownAndTotalCountsAllFilteredMatches() {
        var request = retriever(rescorer(standard(byN()), List.of(even()), scriptRescore(2, "_score")), null, null);
        var response = run("ten", request);
        assertThat(TestIndex.ids(response)).containsExactly("10", "8");
        assertThat(response.total().orElseThrow().value()).isEqualTo(5);
    }

    @Test
    void c10_nestedRescorerRetrievers() {
        var inner = rescorer(standard(byN()), List.of(), scriptRescore(5, "11 - _score"));
        var outer = rescorer(inner, List.of(), scriptRescore(3, "_score * 10"));
        var response = run("ten", retriever(outer, null, null));
        // Inner: top 5 (10..6) rescored to 1..5 -> order 6, 7, 8, 9, 10; outer: top 3 times 10.
        assertThat(TestIndex.ids(response)).containsExactly("6", "7", "8");
        assertThat(TestIndex.scores(response)).containsExactly(50f, 40f, 30f);
        var tooWide = rescorer(inner, List.of(), scriptRescore(6, "_score"));
        assertThatThrownBy(() -> run("ten", retriever(tooWide, null, null))).hasMessage(
                "Validation Failed: 1: [rescorer] requires [window_size: 6] to be smaller than or equal to its sub retriever's rescorer [window_size: 5];");
    }

    @Test
    void c10_topLevelCollapseAppliesToTheRescoredList() {
        var request = withCollapse(retriever(rescorer(standard(byN()), List.of(), scriptRescore(5, "11 - _score")), null, null), "g");
        // Window 10..6 rescored to 1..5: order 6 (g0), 7 (g1), 8 (g2), 9 (g0), 10 (g1) -> heads 6, 7, 8.
        assertThat(TestIndex.ids(run("ten", request))).containsExactly("6", "7", "8");
    }

    @Test
    void b8_sortOtherThanScoreIsRefusedWithRescore() {
        var request = withSort(search(byN(), null, null, scriptRescore(2, "_score")), sort("n", SortOrder.ASC));
        assertThatThrownBy(() -> run("ten", request)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.rootCause().type()).isEqualTo("illegal_argument_exception");
            assertThat(e.rootCause().getMessage()).isEqualTo("Cannot use [sort] option in conjunction with [rescore].");
            assertThat(Json.write(e.toJson())).contains("\"type\":\"search_phase_execution_exception\"");
        });
        var allowed = withSort(search(byN(), null, null, scriptRescore(2, "_score")), sort("_score", null),
                sort("_shard_doc", SortOrder.ASC));
        assertThat(run("ten", allowed).hits()).hasSize(10);
    }

    @Test
    void b9_windowAboveTheIndexLimitIsRefused() {
        assertThatThrownBy(() -> run("ten", search(byN(), null, null, scriptRescore(51, "_score"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).isEqualTo(
                        "Rescore window [51] is too large. It must be less than [50]. This prevents allocating massive heaps "
                                + "for storing the results to be rescored. This limit can be set by changing the "
                                + "[index.max_rescore_window] index level setting."));
        assertThat(run("ten", search(byN(), null, null, scriptRescore(50, "_score"))).hits()).hasSize(10);
        assertThatThrownBy(() -> run("three", search(matchAll(), null, null, scriptRescore(10_001, "_score"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).startsWith(
                        "Rescore window [10001] is too large. It must be less than [10000]."));
    }

    @Test
    void b9_theRescoreLimitDefaultsToTheResultWindowLimit() throws Exception {
        engine.createIndex("small", "{\"settings\": {\"index.max_result_window\": 5}}");
        TestIndex.indexDocs(engine, "small", List.of("{\"f\": 1}"));
        assertThatThrownBy(() -> run("small", search(matchAll(), null, 1, scriptRescore(6, "_score"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).startsWith(
                        "Rescore window [6] is too large. It must be less than [5]."));
    }

    @Test
    void b15_negativeWindowIsRefused() {
        assertThatThrownBy(() -> scriptRescore(-1, "_score")).hasMessage("[window_size] parameter cannot be negative, found [-1]");
    }

    @Test
    void resultWindowAboveTheIndexLimitIsRefused() {
        assertThatThrownBy(() -> run("three", search(matchAll(), 10_000, 1))).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.rootCause().getMessage()).startsWith(
                        "Result window is too large, from + size must be less than or equal to: [10000] but was [10001]."));
    }

    @Test
    void learningToRankWithoutAModelIsNotFound() {
        var ltr = new dev.rankql.ast.Rescore.LearningToRank(dev.rankql.ast.Span.NONE, java.util.Optional.of(5), "m", Map.of());
        assertThatThrownBy(() -> run("ten", search(byN(), null, null, ltr))).isInstanceOfSatisfying(EngineException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.rootCause().getMessage()).isEqualTo("Could not find trained model [m]");
                });
    }

    @Test
    void trackTotalHitsBoundsTheCount() {
        var bounded = run("ten", withTrackTotalHits(search(matchAll(), null, 1), new TrackTotalHits.UpTo(3)));
        assertThat(bounded.total().orElseThrow()).isEqualTo(new SearchResponse.Total(3, false));
        assertThat(Json.write(bounded.toJson())).contains("\"total\":{\"value\":3,\"relation\":\"gte\"}");
        assertThat(Json.write(bounded.toJson(true))).contains("\"total\":3,");
        var off = run("ten", withTrackTotalHits(search(matchAll(), null, 1), new TrackTotalHits.Flag(false)));
        assertThat(off.total()).isEmpty();
        assertThat(Json.write(off.toJson(true))).contains("\"total\":-1,");
        var exact = run("ten", withTrackTotalHits(search(matchAll(), null, 1), new TrackTotalHits.Flag(true)));
        assertThat(exact.total().orElseThrow()).isEqualTo(new SearchResponse.Total(10, true));
    }

    @Test
    void responseHasElasticsearchShape() {
        var response = run("three", search(ids("2"), null, null));
        var json = Json.write(response.toJson());
        assertThat(json).matches("\\{\"took\":\\d+,\"timed_out\":false,\"_shards\":\\{\"total\":1,\"successful\":1,\"skipped\":0,"
                + "\"failed\":0\\},\"hits\":\\{\"total\":\\{\"value\":1,\"relation\":\"eq\"\\},\"max_score\":1\\.0,\"hits\":\\[\\{"
                + "\"_index\":\"three\",\"_id\":\"2\",\"_score\":1\\.0,\"_source\":\\{\"f\":2\\}\\}\\]\\}\\}");
    }
}
