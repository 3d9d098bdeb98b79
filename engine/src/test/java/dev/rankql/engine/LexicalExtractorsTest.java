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

/** rankql's lexical extractors ({@code term_stats}, {@code proximity}, {@code field_length}) against hand-computed values. */
class LexicalExtractorsTest {

    private static final String FEATURES = """
            [{"term_stats": {"feature_name": "unit_coverage", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "unit", "aggr": "coverage"}},
             {"term_stats": {"feature_name": "idf_coverage", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "idf", "aggr": "coverage"}},
             {"term_stats": {"feature_name": "idf_max", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "idf", "aggr": "max"}},
             {"term_stats": {"feature_name": "idf_min", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "idf", "aggr": "min"}},
             {"term_stats": {"feature_name": "tf_sum", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "tf", "aggr": "sum"}},
             {"term_stats": {"feature_name": "df_mean_all", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "df", "aggr": "mean", "over": "all"}},
             {"term_stats": {"feature_name": "tf_idf_min_all", "fields": ["text"], "terms": "{{query_text}}",
                "stat": "tf_idf", "aggr": "min", "over": "all"}},
             {"term_stats": {"feature_name": "both_fields_matched", "fields": ["title", "text"], "terms": "{{query_text}}",
                "stat": "unit", "aggr": "sum"}},
             {"proximity": {"feature_name": "first", "field": "text", "terms": "{{query_text}}", "stat": "first_position"}},
             {"proximity": {"feature_name": "window", "field": "text", "terms": "{{query_text}}", "stat": "min_window"}},
             {"proximity": {"feature_name": "density", "field": "text", "terms": "{{query_text}}", "stat": "density"}},
             {"proximity": {"feature_name": "pairs1", "field": "text", "terms": "{{query_text}}", "stat": "close_pairs"}},
             {"proximity": {"feature_name": "pairs2", "field": "text", "terms": "{{query_text}}", "stat": "close_pairs",
                "distance": 2}},
             {"field_length": {"feature_name": "text_length", "field": "text"}}]""";

    private static final double IDF_APPLE = Math.log(1 + 3.5 / 1.5);
    private static final double IDF_BANANA = Math.log(2);
    private static final double IDF_KIWI = Math.log(10);

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("fruit", """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"},
                  "price": {"type": "integer"}}}}""");
        TestIndex.indexDocs(engine, "fruit", List.of(
                "{\"title\": \"apple pie\", \"text\": \"the apple and the banana and apple\"}",
                "{\"title\": \"cherry\", \"text\": \"banana split with cherry\"}",
                "{\"title\": \"durian\", \"text\": \"nothing here\"}",
                "{\"title\": \"grape\", \"text\": \"grape\"}"));
        engine.putModel("lexical", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("text_length", "3", "lt", 1.0, 2.0) + "}}", FEATURES, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private Map<String, JsonNode> features(String queryText) {
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 4, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "lexical",
                   "params": {"query_text": "%s"}}}}""".formatted(queryText)));
        var byId = new HashMap<String, JsonNode>();
        for (var hit : response.hits()) {
            byId.put(hit.id(), hit.rankql().orElseThrow().get("features"));
        }
        return byId;
    }

    @Test
    void termStatisticsOfAMatchingDocument() {
        var doc = features("apple banana kiwi").get("1");
        assertThat(doc.get("unit_coverage").doubleValue()).isCloseTo(2.0 / 3, within(1e-6));
        assertThat(doc.get("idf_coverage").doubleValue())
                .isCloseTo((IDF_APPLE + IDF_BANANA) / (IDF_APPLE + IDF_BANANA + IDF_KIWI), within(1e-6));
        assertThat(doc.get("idf_max").doubleValue()).isCloseTo(IDF_APPLE, within(1e-6));
        assertThat(doc.get("idf_min").doubleValue()).isCloseTo(IDF_BANANA, within(1e-6));
        assertThat(doc.get("tf_sum").floatValue()).isEqualTo(3f);
        assertThat(doc.get("df_mean_all").doubleValue()).isCloseTo(1.0, within(1e-6));
        // kiwi is absent: over all terms, its tf × idf of 0 is the minimum.
        assertThat(doc.get("tf_idf_min_all").floatValue()).isEqualTo(0f);
        // apple in the title, apple and banana in the text: three (field, term) pairs.
        assertThat(doc.get("both_fields_matched").floatValue()).isEqualTo(3f);
    }

    @Test
    void proximityOfAMatchingDocument() {
        // the(0) apple(1) and(2) the(3) banana(4) and(5) apple(6)
        var doc = features("apple banana kiwi").get("1");
        assertThat(doc.get("first").floatValue()).isEqualTo(1f);
        assertThat(doc.get("window").floatValue()).isEqualTo(3f);
        assertThat(doc.get("density").doubleValue()).isCloseTo(2.0 / 3, within(1e-6));
        assertThat(doc.get("pairs1").floatValue()).isEqualTo(0f);
        assertThat(doc.get("pairs2").floatValue()).isEqualTo(1f);
        assertThat(doc.get("text_length").floatValue()).isEqualTo(7f);

        var adjacent = features("split banana").get("2");
        assertThat(adjacent.get("first").floatValue()).isEqualTo(0f);
        assertThat(adjacent.get("window").floatValue()).isEqualTo(2f);
        assertThat(adjacent.get("density").floatValue()).isEqualTo(1f);
        assertThat(adjacent.get("pairs1").floatValue()).isEqualTo(1f);
    }

    @Test
    void aDocumentWithoutQueryTermsHasOnlyTheDocumentIndependentFeatures() {
        var doc = features("apple banana kiwi").get("3");
        assertThat(doc.has("unit_coverage")).isFalse();
        assertThat(doc.has("idf_max")).isFalse();
        assertThat(doc.has("first")).isFalse();
        assertThat(doc.has("window")).isFalse();
        assertThat(doc.get("df_mean_all").doubleValue()).isCloseTo(1.0, within(1e-6));
        assertThat(doc.get("tf_idf_min_all").floatValue()).isEqualTo(0f);
        assertThat(doc.get("text_length").floatValue()).isEqualTo(2f);
    }

    @Test
    void aMissingParameterOrATextWithoutTermsMakesTheTermFeaturesMissing() {
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 4, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "lexical"}}}"""));
        var doc = response.hits().getFirst().rankql().orElseThrow().get("features");
        assertThat(doc.has("idf_max")).isFalse();
        assertThat(doc.has("first")).isFalse();
        assertThat(doc.has("text_length")).isTrue();
        var punctuation = features("?!").get("1");
        assertThat(punctuation.has("df_mean_all")).isFalse();
        assertThat(punctuation.has("window")).isFalse();
    }

    @Test
    void theDeployedFeatureSetReadsBackAsWritten() {
        var extractors = engine.getModels("lexical").at("/trained_model_configs/0/inference_config/learning_to_rank/"
                + "feature_extractors");
        assertThat(extractors.size()).isEqualTo(14);
        assertThat(extractors.get(5).toString()).isEqualTo("{\"term_stats\":{\"feature_name\":\"df_mean_all\","
                + "\"fields\":[\"text\"],\"terms\":\"{{query_text}}\",\"stat\":\"df\",\"aggr\":\"mean\",\"over\":\"all\"}}");
        assertThat(extractors.get(12).toString()).isEqualTo("{\"proximity\":{\"feature_name\":\"pairs2\","
                + "\"field\":\"text\",\"terms\":\"{{query_text}}\",\"stat\":\"close_pairs\",\"distance\":2}}");
    }

    @Test
    void theShippedLexicalFeatureSetComputesEveryFeatureOnAMatchingDocument() throws Exception {
        // examples/features/lexical.json is the default set of docs/relevance.md and the reproduce scripts.
        var featureSet = java.nio.file.Files.readString(Path.of("..", "examples", "features", "lexical.json"));
        engine.putModel("shipped", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("first_pass", "3", "lt", 1.0, 2.0) + "}}", featureSet, false);
        var response = engine.search("fruit", EsJson.parseSearch("""
                {"size": 1, "query": {"match": {"text": "apple banana"}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "shipped",
                   "params": {"query_text": "apple banana"}}}}"""));
        var features = response.hits().getFirst().rankql().orElseThrow().get("features");
        var extractors = tools.jackson.databind.json.JsonMapper.builder().build().readTree(featureSet)
                .get("feature_extractors");
        assertThat(extractors.size()).isGreaterThan(20);
        for (var extractor : extractors) {
            var name = extractor.properties().iterator().next().getValue().get("feature_name").asString();
            // The title "apple pie" lacks banana, so only the title phrase does not match.
            assertThat(features.has(name)).as(name).isEqualTo(!name.equals("phrase_title"));
        }
    }

    @Test
    void theShippedLsaFeatureSetAddsOneCosineScorePerEmbedding() throws Exception {
        // examples/features/lexical-lsa.json is Cranfield's set: the lexical set plus three vector_similarity features
        // reading the query vectors that `rankql lsa embed --queries` writes into each query's params.
        var lexical = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                java.nio.file.Files.readString(Path.of("..", "examples", "features", "lexical.json")));
        var featureSet = java.nio.file.Files.readString(Path.of("..", "examples", "features", "lexical-lsa.json"));
        var extractors = tools.jackson.databind.json.JsonMapper.builder().build().readTree(featureSet)
                .get("feature_extractors");
        int lexicalCount = lexical.get("feature_extractors").size();
        assertThat(extractors.size()).isEqualTo(lexicalCount + 3);
        for (int i = 0; i < lexicalCount; i++) {
            assertThat(extractors.get(i)).isEqualTo(lexical.get("feature_extractors").get(i));
        }
        var dims = List.of(100, 200, 400);
        var mapping = new StringBuilder("{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, "
                + "\"text\": {\"type\": \"text\"}");
        for (int k : dims) {
            mapping.append(", \"lsa").append(k).append("\": {\"type\": \"dense_vector\", \"dims\": ").append(k)
                    .append(", \"similarity\": \"cosine\"}");
        }
        engine.createIndex("topics", mapping.append("}}}").toString());
        List<String> docs = new java.util.ArrayList<>();
        for (int axis = 0; axis < 2; axis++) {
            var doc = new StringBuilder("{\"title\": \"apple\", \"text\": \"apple banana\"");
            for (int k : dims) {
                doc.append(", \"lsa").append(k).append("\": ").append(unit(k, axis));
            }
            docs.add(doc.append('}').toString());
        }
        TestIndex.indexDocs(engine, "topics", docs);
        engine.putModel("lsa", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("first_pass", "3", "lt", 1.0, 2.0) + "}}", featureSet, false);
        var params = new StringBuilder("\"query_text\": \"apple banana\"");
        for (int k : dims) {
            params.append(", \"query_vector_").append(k).append("\": ").append(unit(k, 0));
        }
        var response = engine.search("topics", EsJson.parseSearch("""
                {"size": 2, "query": {"match": {"text": "apple banana"}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 2, "learning_to_rank": {"model_id": "lsa", "params": {%s}}}}"""
                .formatted(params)));
        for (var hit : response.hits()) {
            var features = hit.rankql().orElseThrow().get("features");
            // ES's cosine score (1 + cos) / 2: 1 along the query's axis, 0.5 across it.
            double expected = hit.id().equals("1") ? 1.0 : 0.5;
            for (int k : dims) {
                assertThat(features.get("lsa" + k).asDouble()).as("lsa" + k).isEqualTo(expected);
            }
            assertThat(features.has("text_idf_coverage")).isTrue();
        }
    }

    @Test
    void theShippedEmbeddingFeatureSetAddsTheCosineOfAPretrainedEncodersVectors() throws Exception {
        // examples/features/lexical-embedding.json is SciFact's set: the lexical set plus one vector_similarity
        // feature whose query vector the engine embeds from the query's text with bge-small-en-v1.5, which only the
        // command line's class path has; here the test embedder stands in for it.
        var mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        var lexical = mapper.readTree(java.nio.file.Files.readString(Path.of("..", "examples", "features",
                "lexical.json"))).get("feature_extractors");
        var featureSet = java.nio.file.Files.readString(Path.of("..", "examples", "features",
                "lexical-embedding.json"));
        var extractors = mapper.readTree(featureSet).get("feature_extractors");
        assertThat(extractors.size()).isEqualTo(lexical.size() + 1);
        for (int i = 0; i < lexical.size(); i++) {
            assertThat(extractors.get(i)).isEqualTo(lexical.get(i));
        }
        var embedding = extractors.get(lexical.size()).get("vector_similarity");
        assertThat(embedding.get("field").asString()).isEqualTo("embedding");
        assertThat(embedding.at("/query_vector_builder/text_embedding/model_id").asString())
                .isEqualTo("bge-small-en-v1.5");
        assertThat(embedding.at("/query_vector_builder/text_embedding/model_text").asString())
                .isEqualTo("{{query_text}}");
        // Cranfield's set is its LSA set with the same encoder feature last.
        var lsa = mapper.readTree(java.nio.file.Files.readString(Path.of("..", "examples", "features",
                "lexical-lsa.json"))).get("feature_extractors");
        var lsaEmbedding = mapper.readTree(java.nio.file.Files.readString(Path.of("..", "examples", "features",
                "lexical-lsa-embedding.json"))).get("feature_extractors");
        assertThat(lsaEmbedding.size()).isEqualTo(lsa.size() + 1);
        for (int i = 0; i < lsa.size(); i++) {
            assertThat(lsaEmbedding.get(i)).isEqualTo(lsa.get(i));
        }
        assertThat(lsaEmbedding.get(lsa.size())).isEqualTo(extractors.get(lexical.size()));

        engine.createIndex("encoded", """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"},
                  "embedding": {"type": "dense_vector", "dims": 27, "similarity": "cosine"}}}}""");
        TestIndex.indexDocs(engine, "encoded", List.of(
                "{\"title\": \"apple\", \"text\": \"apple banana\", \"embedding\": "
                        + java.util.Arrays.toString(LetterEmbedder.vector("apple banana", 0)) + "}",
                "{\"title\": \"apple\", \"text\": \"apple banana\", \"embedding\": "
                        + java.util.Arrays.toString(LetterEmbedder.vector("kiwi", 0)) + "}",
                "{\"title\": \"apple\", \"text\": \"apple banana\"}"));
        engine.putModel("encoded", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("first_pass", "3", "lt", 1.0, 2.0) + "}}",
                featureSet.replace("\"bge-small-en-v1.5\"", "\"test-letters\""), false);
        var response = engine.search("encoded", EsJson.parseSearch("""
                {"size": 3, "query": {"match": {"text": "apple banana"}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 3, "learning_to_rank": {"model_id": "encoded",
                   "params": {"query_text": "apple banana"}}}}"""));
        assertThat(response.hits()).hasSize(3);
        float[] query = LetterEmbedder.vector("apple banana", 1);
        for (var hit : response.hits()) {
            var features = hit.rankql().orElseThrow().get("features");
            // ES's cosine score (1 + cos) / 2; a document without a vector leaves the feature missing.
            switch (hit.id()) {
                case "1", "2" -> {
                    float[] doc = LetterEmbedder.vector(hit.id().equals("1") ? "apple banana" : "kiwi", 0);
                    double cos = 0;
                    for (int d = 0; d < doc.length; d++) {
                        cos += (double) query[d] * doc[d];
                    }
                    assertThat(features.get("embedding").asDouble()).isCloseTo((1 + cos) / 2, within(1e-6));
                }
                default -> assertThat(features.has("embedding")).isFalse();
            }
            assertThat(features.has("text_idf_coverage")).isTrue();
        }
    }

    private static String unit(int dims, int axis) {
        var vector = new StringBuilder("[");
        for (int i = 0; i < dims; i++) {
            vector.append(i == 0 ? "" : ",").append(i == axis ? "1.0" : "0.0");
        }
        return vector.append(']').toString();
    }

    @Test
    void theShippedClaimsFeatureSetReadsTheFoldItIsGivenAndIsMissingWithoutTheField() throws Exception {
        // examples/features/lexical-claims.json templates a field name on {{fold}} (default "all"); this index has
        // no train_claims_* field, so those features are missing, whichever fold a request names.
        var featureSet = java.nio.file.Files.readString(Path.of("..", "examples", "features", "lexical-claims.json"));
        engine.putModel("claims", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("first_pass", "3", "lt", 1.0, 2.0) + "}}", featureSet, false);
        for (String params : List.of("\"query_text\": \"apple banana\"", "\"query_text\": \"apple banana\", \"fold\": \"3\"")) {
            var response = engine.search("fruit", EsJson.parseSearch("""
                    {"size": 1, "query": {"match": {"text": "apple banana"}}, "ext": {"rankql": {"log_features": true}},
                     "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "claims", "params": {%s}}}}"""
                    .formatted(params)));
            var features = response.hits().getFirst().rankql().orElseThrow().get("features");
            assertThat(features.has("text_idf_coverage")).isTrue();
            assertThat(features.has("claims_msm80")).isFalse();
            assertThat(features.has("claims_phrase3")).isFalse();
        }
        engine.createIndex("notes", """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"},
                  "train_claims_all": {"type": "text"},
                  "train_claims_3": {"type": "text"}}}}""");
        TestIndex.indexDocs(engine, "notes", List.of(
                "{\"text\": \"apple banana\", \"train_claims_all\": [\"apple banana bread\"], "
                        + "\"train_claims_3\": [\"kiwi\"]}"));
        engine.putModel("claims-notes", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("first_pass", "3", "lt", 1.0, 2.0) + "}}", featureSet, false);
        for (var fold : Map.of("all", true, "3", false).entrySet()) {
            var response = engine.search("notes", EsJson.parseSearch("""
                    {"size": 1, "query": {"match": {"text": "apple banana"}}, "ext": {"rankql": {"log_features": true}},
                     "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "claims-notes",
                       "params": {"query_text": "apple banana", "fold": "%s"}}}}""".formatted(fold.getKey())));
            var features = response.hits().getFirst().rankql().orElseThrow().get("features");
            assertThat(features.has("claims_msm80")).as(fold.getKey()).isEqualTo(fold.getValue());
            assertThat(features.has("claims_phrase3")).as(fold.getKey()).isEqualTo(fold.getValue());
        }
    }

    @Test
    void badDefinitionsAreRefusedWithTheirPlace() {
        String definition = "{\"definition\": {\"trained_model\": " + LtrTest.tree("f", "3", "lt", 1.0, 2.0) + "}}";
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"term_stats": {"feature_name": "f", "fields": ["text"], "terms": "x", "stat": "bm25", "aggr": "max"}}]""",
                false)).hasMessageContaining("[feature_extractors[0].term_stats.stat] must be one of [unit, df, idf, tf, "
                        + "tf_idf], got [bm25]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"term_stats": {"feature_name": "f", "fields": ["text"], "terms": "x", "stat": "idf"}}]""",
                false)).hasMessageContaining("[feature_extractors[0].term_stats] requires [aggr]");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"proximity": {"feature_name": "f", "field": "text", "terms": 3, "stat": "min_window"}}]""",
                false)).hasMessageContaining("[feature_extractors[0].proximity] requires [terms] to be a string");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"proximity": {"feature_name": "f", "field": "text", "terms": "x", "stat": "close_pairs", "distance": 0}}]""",
                false)).hasMessageContaining("[distance] to be at least 1");
        assertThatThrownBy(() -> engine.putModel("bad", "es", definition, """
                [{"term_stats": {"feature_name": "f", "fields": [], "terms": "x", "stat": "idf", "aggr": "max"}}]""",
                false)).hasMessageContaining("requires at least one field");
    }

    @Test
    void aNonTextFieldIsAnErrorAtSearchTime() {
        engine.putModel("numeric", "es", "{\"definition\": {\"trained_model\": "
                + LtrTest.tree("f", "3", "lt", 1.0, 2.0) + "}}", """
                [{"term_stats": {"feature_name": "f", "fields": ["price"], "terms": "{{q}}", "stat": "idf", "aggr": "max"}}]""",
                false);
        assertThatThrownBy(() -> engine.search("fruit", EsJson.parseSearch("""
                {"query": {"match_all": {}}, "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "numeric",
                  "params": {"q": "apple"}}}}""")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason())
                        .isEqualTo("feature [f] needs a text field, but [price] is of type [integer]"));
    }
}
