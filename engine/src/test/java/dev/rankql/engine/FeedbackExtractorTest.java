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

/**
 * The {@code feedback} (RM3) extractor: its expanded query, worked out by hand, must score every document exactly as
 * the same weighted query written out as a {@code query_extractor}.
 */
class FeedbackExtractorTest {

    /*
     * The first pass gives 1 and 2 (both with cherry) the top score 2, 3 (kiwi) 1, and 4 and 5 score 0. With docs 2,
     * the feedback documents are 1 and 2 with weight 1/2 each. Their tokens: "apple banana cherry cherry" (4) and
     * "cherry durian" (2), so P(cherry) = 1/2·2/4 + 1/2·1/2 = 1/2, P(durian) = 1/4, P(apple) = P(banana) = 1/8.
     * Two expansion terms: cherry and durian, renormalised to 2/3 and 1/3. With original_weight 1/2 on the query
     * "apple": apple 1/2, cherry 1/3, durian 1/6.
     */
    private static final String FIRST_PASS = """
            {"bool": {"should": [{"constant_score": {"filter": {"term": {"text": "cherry"}}, "boost": 2}},
                                 {"constant_score": {"filter": {"term": {"text": "kiwi"}}, "boost": 1}},
                                 {"match_all": {"boost": 0}}]}}""";

    private static final String FEATURES = """
            [{"feedback": {"feature_name": "rm3", "field": "text", "terms": "{{query_text}}", "docs": 2,
                "expansion_terms": 2}},
             {"query_extractor": {"feature_name": "rm3_by_hand", "query": {"bool": {"should": [
                {"term": {"text": {"value": "apple", "boost": 0.5}}},
                {"term": {"text": {"value": "cherry", "boost": 0.33333334}}},
                {"term": {"text": {"value": "durian", "boost": 0.16666667}}}]}}}},
             {"feedback": {"feature_name": "rare_only", "field": "text", "terms": "{{query_text}}", "docs": 2,
                "expansion_terms": 2, "max_doc_fraction": 0.3}},
             {"query_extractor": {"feature_name": "rare_only_by_hand", "query": {"bool": {"should": [
                {"term": {"text": {"value": "apple", "boost": 0.5}}},
                {"term": {"text": {"value": "durian", "boost": 0.5}}}]}}}},
             {"feedback": {"feature_name": "no_expansion", "field": "text", "terms": "{{query_text}}",
                "expansion_terms": 0}},
             {"query_extractor": {"feature_name": "match", "query": {"match": {"text": "{{query_text}}"}}}},
             {"feedback": {"feature_name": "expansion_only", "field": "text", "terms": "{{query_text}}", "docs": 2,
                "expansion_terms": 1, "original_weight": 0}}]""";

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("fruit", """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"}}}}""");
        TestIndex.indexDocs(engine, "fruit", List.of(
                "{\"title\": \"one\", \"text\": \"apple banana cherry cherry\"}",
                "{\"title\": \"two\", \"text\": \"cherry durian\"}",
                "{\"title\": \"three\", \"text\": \"apple banana kiwi\"}",
                "{\"title\": \"four\", \"text\": \"fig\"}",
                "{\"title\": \"five\", \"text\": \"grape apple\"}"));
        engine.putModel("prf", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("rm3", "1", "lt", 1.0, 2.0) + "}}", FEATURES, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private Map<String, JsonNode> features(String queryText) {
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 5, "query": %s, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 5, "learning_to_rank": {"model_id": "prf",
                   "params": {"query_text": "%s"}}}}""".formatted(FIRST_PASS, queryText)));
        var byId = new HashMap<String, JsonNode>();
        for (var hit : response.hits()) {
            byId.put(hit.id(), hit.rankql().orElseThrow().get("features"));
        }
        assertThat(byId).hasSize(5);
        return byId;
    }

    @Test
    void theExpandedQueryScoresAsTheSameQueryWrittenByHand() {
        var features = features("apple");
        for (var id : List.of("1", "2", "3", "5")) {
            var doc = features.get(id);
            assertThat(doc.get("rm3").doubleValue()).as(id).isCloseTo(doc.get("rm3_by_hand").doubleValue(), within(1e-5));
            assertThat(doc.get("rm3").doubleValue()).as(id).isPositive();
        }
        // "fig" has none of apple, cherry and durian.
        assertThat(features.get("4").has("rm3")).isFalse();
        assertThat(features.get("4").has("rm3_by_hand")).isFalse();
    }

    @Test
    void aTermInTooManyDocumentsIsNotAnExpansionTerm() {
        // Of the feedback terms only durian is in at most 0.3 of the 5 documents (cherry and banana are in 2, apple in
        // 3), so durian alone takes the expansion's half of the weight.
        var features = features("apple");
        for (var id : List.of("1", "2", "3", "5")) {
            var doc = features.get(id);
            assertThat(doc.get("rare_only").doubleValue()).as(id)
                    .isCloseTo(doc.get("rare_only_by_hand").doubleValue(), within(1e-5));
        }
    }

    @Test
    void withoutExpansionTermsTheFeatureIsTheQuerysOwnScore() {
        var features = features("apple");
        for (var id : List.of("1", "3", "5")) {
            var doc = features.get(id);
            assertThat(doc.get("no_expansion").doubleValue()).as(id).isCloseTo(doc.get("match").doubleValue(), within(1e-6));
        }
        assertThat(features.get("2").has("no_expansion")).isFalse();
    }

    @Test
    void withoutTheOriginalQueryOnlyTheExpansionScores() {
        // original_weight 0 and one expansion term: cherry alone, so documents without cherry are missing.
        var features = features("apple");
        assertThat(features.get("1").has("expansion_only")).isTrue();
        assertThat(features.get("2").has("expansion_only")).isTrue();
        assertThat(features.get("3").has("expansion_only")).isFalse();
        assertThat(features.get("5").has("expansion_only")).isFalse();
    }

    @Test
    void theDeployedExtractorReadsBackWithItsDefaults() {
        var extractors = engine.getModels("prf").at("/trained_model_configs/0/inference_config/learning_to_rank/"
                + "feature_extractors");
        assertThat(extractors.get(4).toString()).isEqualTo("{\"feedback\":{\"feature_name\":\"no_expansion\","
                + "\"field\":\"text\",\"terms\":\"{{query_text}}\",\"docs\":10,\"expansion_terms\":0,"
                + "\"original_weight\":0.5,\"max_doc_fraction\":1.0}}");
    }

    @Test
    void badDefinitionsAreRefusedWithTheirPlace() {
        String definition = "{\"definition\": {\"trained_model\": " + LtrTest.tree("f", "3", "lt", 1.0, 2.0) + "}}";
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"feedback": {"feature_name": "f", "field": "text", "terms": "x", "docs": 0}}]""", false))
                .hasMessageContaining("[feedback] requires [docs] to be at least 1, got [0]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"feedback": {"feature_name": "f", "field": "text", "terms": "x", "docs": 2.5}}]""", false))
                .hasMessageContaining("[feature_extractors[0].feedback.docs] must be an integer, got [2.5]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"feedback": {"feature_name": "f", "field": "text", "terms": "x", "original_weight": 1.5}}]""", false))
                .hasMessageContaining("[original_weight] between 0 and 1, got [1.5]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"feedback": {"feature_name": "f", "field": "text", "terms": "x", "max_doc_fraction": 0}}]""", false))
                .hasMessageContaining("[max_doc_fraction] above 0 and at most 1");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"feedback": {"feature_name": "f", "field": "text", "terms": "x", "fb_docs": 3}}]""", false))
                .hasMessageContaining("[feature_extractors[0].feedback] unknown field [fb_docs]");
    }
}
