package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** rankql's {@code window_stat} extractor: statistics of another feature over the rescore window. */
class WindowStatExtractorTest {

    private static final String FEATURES = """
            [{"query_extractor": {"feature_name": "bm25", "query": {"match": {"text": "{{query_text}}"}}}},
             {"window_stat": {"feature_name": "bm25_max", "feature": "bm25", "stat": "max"}},
             {"window_stat": {"feature_name": "bm25_min", "feature": "bm25", "stat": "min"}},
             {"window_stat": {"feature_name": "bm25_mean", "feature": "bm25", "stat": "mean"}},
             {"window_stat": {"feature_name": "bm25_count", "feature": "bm25", "stat": "count"}},
             {"window_stat": {"feature_name": "bm25_ratio", "feature": "bm25", "stat": "ratio_to_max"}},
             {"window_stat": {"feature_name": "bm25_gap", "feature": "bm25", "stat": "gap_to_max"}},
             {"proximity": {"feature_name": "first", "field": "text", "terms": "{{query_text}}",
                "stat": "first_position"}},
             {"window_stat": {"feature_name": "first_ratio", "feature": "first", "stat": "ratio_to_max"}},
             {"window_stat": {"feature_name": "ratio_max", "feature": "bm25_ratio", "stat": "max"}}]""";

    /** A model that adds 10 where the window's maximum is present and 1 otherwise. */
    private static final String MODEL = "{\"definition\": {\"trained_model\": "
            + LtrTest.tree("bm25_max", "0", "gt", 10.0, 1.0) + "}}";

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("fruit", """
                {"mappings": {"properties": {"text": {"type": "text"}}}}""");
        TestIndex.indexDocs(engine, "fruit", List.of(
                "{\"text\": \"apple banana apple\"}",
                "{\"text\": \"banana split with cherry and more words here\"}",
                "{\"text\": \"nothing here\"}",
                "{\"text\": \"apple\"}"));
        engine.putModel("window", "es", MODEL, FEATURES, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private Map<String, JsonNode> features(String queryText, int window) {
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": %d, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": %d, "learning_to_rank": {"model_id": "window",
                   "params": {"query_text": "%s"}}}}""".formatted(window, window, queryText)));
        var byId = new HashMap<String, JsonNode>();
        for (var hit : response.hits()) {
            byId.put(hit.id(), hit.rankql().orElseThrow().get("features"));
        }
        return byId;
    }

    @Test
    void windowStatisticsDescribeTheDocumentsWhereTheFeatureIsPresent() {
        var rows = features("apple banana", 4);
        float[] bm25 = {rows.get("1").get("bm25").floatValue(), rows.get("2").get("bm25").floatValue(),
                rows.get("4").get("bm25").floatValue()};
        assertThat(rows.get("3").has("bm25")).isFalse();
        float max = Math.max(bm25[0], Math.max(bm25[1], bm25[2]));
        float min = Math.min(bm25[0], Math.min(bm25[1], bm25[2]));
        for (var id : List.of("1", "2", "3", "4")) {
            var row = rows.get(id);
            assertThat(row.get("bm25_max").floatValue()).as(id).isEqualTo(max);
            assertThat(row.get("bm25_min").floatValue()).as(id).isEqualTo(min);
            assertThat(row.get("bm25_mean").doubleValue()).as(id)
                    .isCloseTo(((double) bm25[0] + bm25[1] + bm25[2]) / 3, within(1e-5));
            assertThat(row.get("bm25_count").floatValue()).as(id).isEqualTo(3f);
            assertThat(row.get("ratio_max").floatValue()).as(id).isEqualTo(1f);
        }
        // "apple banana apple" matches best.
        assertThat(max).isEqualTo(bm25[0]);
        assertThat(rows.get("1").get("bm25_ratio").floatValue()).isEqualTo(1f);
        assertThat(rows.get("1").get("bm25_gap").floatValue()).isEqualTo(0f);
        assertThat(rows.get("2").get("bm25_ratio").floatValue()).isEqualTo(bm25[1] / max);
        assertThat(rows.get("2").get("bm25_gap").floatValue()).isEqualTo(max - bm25[1]);
        // Where the feature is missing, so are the document's own comparisons with the maximum.
        assertThat(rows.get("3").has("bm25_ratio")).isFalse();
        assertThat(rows.get("3").has("bm25_gap")).isFalse();
    }

    @Test
    void theStatisticsFollowTheWindowNotTheIndex() {
        // match_all in index order: a window of 2 holds documents 1 and 2 only.
        var rows = features("apple banana", 2);
        assertThat(rows.keySet()).containsExactlyInAnyOrder("1", "2");
        assertThat(rows.get("2").get("bm25_count").floatValue()).isEqualTo(2f);
        var cherry = features("cherry", 4);
        assertThat(cherry.get("1").get("bm25_count").floatValue()).isEqualTo(1f);
        assertThat(cherry.get("1").get("bm25_max").floatValue()).isEqualTo(cherry.get("2").get("bm25").floatValue());
    }

    @Test
    void aWindowWithoutTheFeatureHasOnlyTheCount() {
        var rows = features("kiwi", 4);
        for (var row : rows.values()) {
            assertThat(row.has("bm25_max")).isFalse();
            assertThat(row.has("bm25_mean")).isFalse();
            assertThat(row.has("bm25_ratio")).isFalse();
            assertThat(row.get("bm25_count").floatValue()).isEqualTo(0f);
        }
    }

    @Test
    void aRatioNeedsAPositiveMaximum() {
        // first_position is 0 for every document that starts with a query term: the maximum is 0, no ratio.
        var rows = features("apple", 4);
        assertThat(rows.get("1").get("first").floatValue()).isEqualTo(0f);
        assertThat(rows.get("4").get("first").floatValue()).isEqualTo(0f);
        assertThat(rows.get("1").has("first_ratio")).isFalse();
        var banana = features("banana", 4);
        // banana at position 1 in document 1 and 0 in document 2.
        assertThat(banana.get("1").get("first_ratio").floatValue()).isEqualTo(1f);
        assertThat(banana.get("2").get("first_ratio").floatValue()).isEqualTo(0f);
    }

    @Test
    void windowStatisticsAloneDoNotMakeADocumentScored() {
        // Document 3 has no feature of its own, only the window's maximum: it keeps its match_all score of 1, while
        // the others take the model's 10.
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 4, "query": {"match_all": {}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "window",
                   "params": {"query_text": "apple banana"}}}}"""));
        var scores = new HashMap<String, Float>();
        response.hits().forEach(hit -> scores.put(hit.id(), hit.score().orElseThrow()));
        assertThat(scores).containsEntry("1", 10f).containsEntry("2", 10f).containsEntry("4", 10f)
                .containsEntry("3", 1f);
    }

    @Test
    void theDeployedFeatureSetReadsBackAsWritten() {
        var extractors = engine.getModels("window").at("/trained_model_configs/0/inference_config/learning_to_rank/"
                + "feature_extractors");
        assertThat(extractors.get(5).toString()).isEqualTo("{\"window_stat\":{\"feature_name\":\"bm25_ratio\","
                + "\"feature\":\"bm25\",\"stat\":\"ratio_to_max\"}}");
    }

    @Test
    void badDefinitionsAreRefusedWithTheirPlace() {
        String definition = "{\"definition\": {\"trained_model\": " + LtrTest.tree("f", "3", "lt", 1.0, 2.0) + "}}";
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"window_stat": {"feature_name": "f", "feature": "g", "stat": "max"}},
                 {"original_score": {"feature_name": "g"}}]""", false))
                .hasMessageContaining("[feature_extractors[0].window_stat] feature [f] needs [feature] to name an "
                        + "extractor listed before it, got [g]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"original_score": {"feature_name": "g"}},
                 {"window_stat": {"feature_name": "f", "feature": "f", "stat": "max"}}]""", false))
                .hasMessageContaining("needs [feature] to name an extractor listed before it, got [f]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"original_score": {"feature_name": "g"}},
                 {"window_stat": {"feature_name": "f", "feature": "g", "stat": "median"}}]""", false))
                .hasMessageContaining("[feature_extractors[1].window_stat.stat] must be one of [max, min, mean, count, "
                        + "ratio_to_max, gap_to_max], got [median]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"original_score": {"feature_name": "g"}},
                 {"window_stat": {"feature_name": "f", "stat": "max"}}]""", false))
                .hasMessageContaining("[feature_extractors[1].window_stat] requires [feature]");
    }
}
