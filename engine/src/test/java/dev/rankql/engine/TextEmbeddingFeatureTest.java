package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code query_vector_builder} of a {@code vector_similarity} feature: the engine embeds the query's text with a
 * model found on the class path (here the test provider's {@code test-letters}) and scores exactly as if the client
 * had sent that vector.
 */
class TextEmbeddingFeatureTest {

    private static final List<String> TEXTS = List.of("apple banana", "cherry", "banana split", "kiwi");

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("fruit", """
                {"mappings": {"properties": {"text": {"type": "text"},
                  "embedding": {"type": "dense_vector", "dims": 27, "similarity": "cosine"},
                  "small": {"type": "dense_vector", "dims": 3, "similarity": "cosine"}}}}""");
        var docs = new java.util.ArrayList<String>();
        for (String text : TEXTS) {
            docs.add("{\"text\": \"" + text + "\", \"embedding\": " + Arrays.toString(LetterEmbedder.vector(text, 0))
                    + "}");
        }
        TestIndex.indexDocs(engine, "fruit", docs);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private void deploy(String id, String extractor) {
        engine.putModel(id, "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("similarity", "0.5", "lt", 1.0, 2.0) + "}}", "[" + extractor + "]", false);
    }

    private Map<String, Double> similarities(String model, String params) {
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 10, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "%s", "params": {%s}}}}"""
                .formatted(model, params)));
        Map<String, Double> byText = new HashMap<>();
        for (var hit : response.hits()) {
            JsonNode features = hit.rankql().orElseThrow().get("features");
            var text = TEXTS.get(Integer.parseInt(hit.id()) - 1);
            byText.put(text, features.has("similarity") ? features.get("similarity").asDouble() : null);
        }
        return byText;
    }

    @Test
    void theEngineEmbedsTheQueryTextAndScoresAsWithTheSentVector() {
        deploy("built", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "{{query_text}}"}}}}""");
        deploy("sent", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding", "query_vector": "{{v}}"}}""");
        int before = LetterEmbedder.QUERIES.get();
        var built = similarities("built", "\"query_text\": \"banana\"");
        // One search, one embedding of the query, whatever the window's size.
        assertThat(LetterEmbedder.QUERIES.get() - before).isEqualTo(1);
        var sent = similarities("sent", "\"v\": " + Arrays.toString(LetterEmbedder.vector("banana", 1)));
        assertThat(built).isEqualTo(sent).hasSize(4);
        // ES's cosine score (1 + cos) / 2; the query marker keeps "banana" off every document's axis.
        float[] query = LetterEmbedder.vector("banana", 1);
        for (String text : TEXTS) {
            float[] doc = LetterEmbedder.vector(text, 0);
            double cos = 0;
            for (int d = 0; d < 27; d++) {
                cos += (double) query[d] * doc[d];
            }
            assertThat(built.get(text)).as(text).isCloseTo((1 + cos) / 2, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(built.get("banana split")).isGreaterThan(built.get("cherry"));
    }

    @Test
    void aMissingTemplateParameterLeavesTheFeatureMissing() {
        deploy("built", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "{{query_text}}"}}}}""");
        assertThat(similarities("built", "\"other\": \"x\"").values()).containsOnlyNulls();
    }

    @Test
    void theFeatureSetPrintsItsBuilderBack() {
        deploy("built", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "{{query_text}}"}}}}""");
        var extractor = engine.getModels("built").at("/trained_model_configs/0/inference_config/learning_to_rank"
                + "/feature_extractors/0/vector_similarity");
        assertThat(extractor.at("/query_vector_builder/text_embedding/model_id").asString()).isEqualTo("test-letters");
        assertThat(extractor.at("/query_vector_builder/text_embedding/model_text").asString())
                .isEqualTo("{{query_text}}");
        assertThat(extractor.has("query_vector")).isFalse();
    }

    @Test
    void refusesBadBuildersWithClearErrors() {
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "gpt-9", "model_text": "{{query_text}}"}}}}"""))
                .hasMessageContaining("[vector_similarity] feature [similarity]: no text embedding model [gpt-9]; "
                        + "the models available are [test-letters]");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding"}}"""))
                .hasMessageContaining("either [query_vector] or [query_vector_builder] must be provided");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding", "query_vector": [1, 0],
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "a"}}}}"""))
                .hasMessageContaining("cannot provide both [query_vector] and [query_vector_builder]");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"sparse": {}}}}"""))
                .hasMessageContaining("must be an object with exactly one builder, [text_embedding]");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters"}}}}"""))
                .hasMessageContaining("requires [model_text]");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": 3}}}}"""))
                .hasMessageContaining("[model_text] must be a string");
        assertThatThrownBy(() -> deploy("x", """
                {"vector_similarity": {"feature_name": "similarity", "field": "embedding",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "a",
                    "task": "x"}}}}"""))
                .hasMessageContaining("unknown field [task]");

        deploy("small", """
                {"vector_similarity": {"feature_name": "similarity", "field": "small",
                  "query_vector_builder": {"text_embedding": {"model_id": "test-letters", "model_text": "{{query_text}}"}}}}""");
        assertThatThrownBy(() -> similarities("small", "\"query_text\": \"banana\""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason()).isEqualTo(
                        "The query vector has a different number of dimensions [27] than the document vectors [3]."));
    }
}
