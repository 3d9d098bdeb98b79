package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LTR rules of the Elasticsearch spec (sections b, c and d) as named tests, on the {@code store} index and the
 * "super complex model for tests" of Elasticsearch's LearningToRankRescorerIT (spec d.7).
 */
class LtrTest {

    static final String EXTRACTORS = """
            [
              {"query_extractor": {"feature_name": "cost", "query": {"script_score": {"query": {"match_all": {}},
                  "script": {"source": "return doc['cost'].value;"}}}}},
              {"query_extractor": {"feature_name": "type_tv", "query": {"constant_score": {"filter": {"term": {"product": "TV"}}, "boost": 1.0}}}},
              {"query_extractor": {"feature_name": "type_vcr", "query": {"constant_score": {"filter": {"term": {"product": "VCR"}}, "boost": 1.0}}}},
              {"query_extractor": {"feature_name": "type_laptop", "query": {"constant_score": {"filter": {"term": {"product": "Laptop"}}, "boost": 1.0}}}},
              {"query_extractor": {"feature_name": "two", "query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "return 2.0;"}}}}},
              {"query_extractor": {"feature_name": "product_bm25", "query": {"term": {"product": "{{keyword}}"}}}}
            ]""";

    static String tree(String feature, String threshold, String decision, double left, double right) {
        return """
                {"tree": {"feature_names": ["%s"], "target_type": "regression", "tree_structure": [
                  {"node_index": 0, "split_feature": 0, "split_gain": 12, "threshold": %s, "decision_type": "%s",
                   "default_left": true, "left_child": 1, "right_child": 2},
                  {"node_index": 1, "leaf_value": %s}, {"node_index": 2, "leaf_value": %s}]}}"""
                .formatted(feature, threshold, decision, left, right);
    }

    static final String DEFINITION = """
            {"trained_model": {"ensemble": {
              "feature_names": ["cost", "type_tv", "type_vcr", "type_laptop", "two", "product_bm25"],
              "target_type": "regression",
              "trained_models": [%s, %s, %s, %s]}}}"""
            .formatted(tree("cost", "400", "lte", 5.0, 2.0), tree("type_tv", "1", "lt", 1.0, 12.0),
                    tree("two", "1", "lt", 1.0, 2.0), tree("product_bm25", "1", "lt", 1.0, 4.0));

    static final String BODY = """
            {"description": "super complex model for tests",
             "inference_config": {"learning_to_rank": {"feature_extractors": %s}},
             "definition": %s}""".formatted(EXTRACTORS, DEFINITION);

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("store", "{\"mappings\": {\"properties\": {\"product\": {\"type\": \"keyword\"}, "
                + "\"cost\": {\"type\": \"integer\"}}}}");
        var docs = new ArrayList<String>();
        String[][] rows = {{"TV", "300"}, {"TV", "400"}, {"TV", "600"}, {"VCR", "15"}, {"VCR", "350"}, {"VCR", "580"},
            {"Laptop", "100"}, {"Laptop", "300"}, {"Laptop", "500"}};
        for (var row : rows) {
            docs.add("{\"product\": \"" + row[0] + "\", \"cost\": " + row[1] + "}");
        }
        TestIndex.indexDocs(engine, "store", docs);
        engine.putModel("ltr-model", BODY, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    SearchResponse search(String json) {
        return engine.search("store", EsJson.parseSearch(json));
    }

    @Test
    void d7_topThreeOfAllDocuments() {
        var response = search("""
                {"size": 3, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 20f, 17f);
        assertThat(response.total().orElseThrow().value()).isEqualTo(9);
    }

    @Test
    void d7_everyDocumentScoresAsTheWorkedTable() {
        var response = search("""
                {"size": 9, "query": {"match_all": {}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 20f, 17f, 9f, 9f, 9f, 9f, 6f, 6f);
    }

    @Test
    void d3_missingParamMakesTheFeatureMissingAndParamsFillTheTemplate() {
        var without = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.scores(without)).containsExactly(9f, 9f, 6f);
        var with = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model", "params": {"keyword": "Laptop"}}}}""");
        assertThat(TestIndex.scores(with)).containsExactly(12f, 12f, 9f);
    }

    @Test
    void d3_defaultParamsAreMergedUnderRequestParams() {
        var body = BODY.replace("\"feature_extractors\": [", "\"default_params\": {\"keyword\": \"Laptop\"}, \"feature_extractors\": [");
        engine.putModel("defaults", body, false);
        var response = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "defaults"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(12f, 12f, 9f);
        var overridden = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "defaults", "params": {"keyword": "TV"}}}}""");
        assertThat(TestIndex.scores(overridden)).containsExactly(9f, 9f, 6f);
    }

    @Test
    void d3_missingParamWithDefaultScoreIsMatchAllBoosted() {
        var body = BODY.replace("\"query\": {\"term\": {\"product\": \"{{keyword}}\"}}",
                "\"query\": {\"term\": {\"product\": \"{{keyword}}\"}}, \"default_score\": 3");
        engine.putModel("default-score", body, false);
        var response = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "default-score"}}}""");
        // product_bm25 = 3 >= 1 for every doc: the last tree gives 4 instead of 1.
        assertThat(TestIndex.scores(response)).containsExactly(12f, 12f, 9f);
    }

    @Test
    void d3_templateValuesAreEscapedForJsonStrings() {
        var response = search("""
                {"query": {"term": {"product": "Laptop"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model",
                   "params": {"keyword": "La\\"p<top>&"}}}}""");
        // The quoted value stays one term (no match, no HTML entities): the feature is missing.
        assertThat(TestIndex.scores(response)).containsExactly(9f, 9f, 6f);
    }

    @Test
    void c2_windowTruncatesTheListButNotTheTotal() {
        var response = search("""
                {"size": 2, "query": {"match_all": {}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 20f);
        var page = engine.search("store", EsJson.parseSearch("""
                {"from": 2, "size": 2, "query": {"match_all": {}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "ltr-model"}}}"""));
        // The window holds TV 300, TV 400, TV 600, VCR 15: page two is 17 and 9, and nothing follows the window.
        assertThat(TestIndex.scores(page)).containsExactly(17f, 9f);
        var beyond = engine.search("store", EsJson.parseSearch("""
                {"query": {"match_all": {}},
                 "rescore": {"window_size": 4, "learning_to_rank": {"model_id": "ltr-model"}}}"""),
                SearchOptions.NONE.withFrom(0).withSize(4));
        assertThat(beyond.hits()).hasSize(4);
        assertThat(beyond.total().orElseThrow().value()).isEqualTo(9);
    }

    @Test
    void c2_documentWithNoFeatureKeepsItsPreviousScore() {
        var body = """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"query_extractor": {"feature_name": "type_tv", "query": {"term": {"product": "TV"}}}}]}},
                 "definition": {"trained_model": %s}}""".formatted(tree("type_tv", "0.5", "lt", 1.0, 50.0));
        engine.putModel("tv-only", body, false);
        var response = search("""
                {"size": 9, "query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "doc['cost'].value"}}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "tv-only"}}}""");
        // TVs score 50; the others match no feature and keep their first-pass score (their cost).
        assertThat(TestIndex.scores(response)).containsExactly(580f, 500f, 350f, 300f, 100f, 50f, 50f, 50f, 15f);
    }

    @Test
    void d4_aNonMatchingDocumentHasTheFeatureMissingNotZero() {
        // lt 0.5 with default_left false: a zero would go left (1), a missing value goes right (50), a TV (1) right.
        var body = """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"query_extractor": {"feature_name": "type_tv", "query": {"term": {"product": "TV"}}}},
                  {"query_extractor": {"feature_name": "two", "query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "2"}}}}}]}},
                 "definition": {"trained_model": {"ensemble": {"trained_models": [%s, %s]}}}}"""
                .formatted(tree("type_tv", "0.5", "lt", 1.0, 50.0).replace("\"default_left\": true", "\"default_left\": false"),
                        tree("two", "1", "lt", 0.0, 0.0));
        engine.putModel("missing-not-zero", body, false);
        var response = search("""
                {"size": 9, "query": {"match_all": {}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "missing-not-zero"}}}""");
        assertThat(TestIndex.scores(response)).containsOnly(50f);
    }

    @Test
    void c3_tiesKeepIndexOrder() {
        var response = search("""
                {"size": 9, "query": {"match_all": {}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.ids(response).subList(0, 2)).containsExactly(
                TestIndex.ids(search("{\"size\": 2, \"query\": {\"term\": {\"product\": \"TV\"}}}")).toArray(String[]::new));
    }

    @Test
    void b2_windowMustCoverFromPlusSizeWithElasticsearchArithmetic() {
        assertThatThrownBy(() -> engine.search("store", EsJson.parseSearch("""
                {"query": {"match_all": {}},
                 "rescore": {"window_size": 2, "learning_to_rank": {"model_id": "ltr-model"}}}"""),
                SearchOptions.NONE.withSize(5)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("action_request_validation_exception");
                    assertThat(e.reason()).isEqualTo("Validation Failed: 1: rescorer [window_size] is too small and should be "
                            + "at least the value of [from + size: 4] but was [2];");
                });
    }

    @Test
    void b3_laterRescorerMayNotBeWider() {
        assertThatThrownBy(() -> search("""
                {"size": 2, "query": {"match_all": {}}, "rescore": [
                  {"window_size": 3, "learning_to_rank": {"model_id": "ltr-model"}},
                  {"query": {"rescore_query": {"match_all": {}}}}]}"""))
                .hasMessageContaining("unable to add a rescorer with [window_size: 10] because a rescorer of type "
                        + "[learning_to_rank] with a smaller [window_size: 3] has been added before");
    }

    @Test
    void c6_chainedRescorers() {
        var response = search("""
                {"size": 4, "query": {"match_all": {}}, "rescore": [
                  {"window_size": 2, "query": {"rescore_query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "4"}}}}},
                  {"window_size": 5, "learning_to_rank": {"model_id": "ltr-model"}},
                  {"window_size": 4, "query": {"rescore_query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "20"}}}}}]}""");
        assertThat(TestIndex.scores(response)).containsExactly(40f, 40f, 37f, 29f);
    }

    @Test
    void c7_collapseRescoresTheGroupHeads() {
        var response = search("""
                {"size": 3, "query": {"match_all": {}}, "collapse": {"field": "product"},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 9f, 9f);
    }

    @Test
    void c10_rescorerRetriever() {
        var response = search("""
                {"size": 3, "retriever": {"rescorer": {"retriever": {"standard": {"query": {"match_all": {}}}},
                  "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 20f, 17f);
        assertThat(response.total().orElseThrow().value()).isEqualTo(9);
    }

    @Test
    void b8_sortIsRefusedWithRescore() {
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "sort": [{"cost": "asc"}],
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}"""))
                .hasMessageContaining("all shards failed")
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason())
                        .isEqualTo("Cannot use [sort] option in conjunction with [rescore]."));
    }

    @Test
    void b9_maxRescoreWindow() {
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "rescore": {"window_size": 10001, "learning_to_rank": {"model_id": "ltr-model"}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason())
                        .startsWith("Rescore window [10001] is too large. It must be less than [10000]."));
    }

    @Test
    void b6_unknownModelIsA404() {
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "nope"}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("resource_not_found_exception");
                    assertThat(e.reason()).isEqualTo("Could not find trained model [nope]");
                });
    }

    @Test
    void b7_nonLtrModelIsA400() {
        engine.putModel("regression", """
                {"inference_config": {"regression": {}}, "definition": %s}""".formatted(DEFINITION), false);
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "regression"}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("status_exception");
                    assertThat(e.reason()).isEqualTo("Inference config of type [regression] is invalid, must be of type "
                            + "[learning_to_rank]");
                });
    }

    @Test
    void b1_windowSizeIsRequired() {
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "rescore": {"learning_to_rank": {"model_id": "ltr-model"}}}"""))
                .hasMessageContaining("window_size is required for rescorer of type [learning_to_rank]");
    }

    @Test
    void b24_onlyRegressionTargets() {
        var body = BODY.replaceFirst("\"target_type\": \"regression\"", "\"target_type\": \"classification\"");
        assertThatThrownBy(() -> engine.putModel("classifier", body, false))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("status_exception");
                    assertThat(e.reason()).isEqualTo("Model [classifier] inference config type [learning_to_rank] does not "
                            + "support definition target type [classification]");
                });
    }

    @Test
    void ext_unknownRankqlOptionIsRefused() {
        assertThatThrownBy(() -> search("""
                {"query": {"match_all": {}}, "ext": {"rankql": {"log_feature": true}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}"""))
                .hasMessageContaining("[ext.rankql] unknown option [log_feature]");
    }

    @Test
    void b20_inputFieldNamesAreRefused() {
        var body = BODY.replaceFirst("\\{\"description\"", "{\"input\": {\"field_names\": [\"cost\"]}, \"description\"");
        assertThatThrownBy(() -> engine.putModel("with-input", body, false))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("action_request_validation_exception");
                    assertThat(e.reason()).isEqualTo("Validation Failed: 1: cannot specify [input.field_names] for a model "
                            + "of type [learning_to_rank];");
                });
    }

    @Test
    void b21_duplicateFeatureNames() {
        var body = BODY.replace("\"feature_name\": \"two\"", "\"feature_name\": \"cost\"");
        assertThatThrownBy(() -> engine.putModel("dup", body, false))
                .hasMessage("[feature_extractors] contains duplicate [feature_name] values");
    }

    @Test
    void b22_negativeDefaultScore() {
        var body = BODY.replace("\"{{keyword}}\"}}", "\"{{keyword}}\"}}, \"default_score\": -1");
        assertThatThrownBy(() -> engine.putModel("neg", body, false))
                .hasMessage("[query_extractor] requires defaultScore to be positive.");
    }

    @Test
    void b25_treeStructureErrors() {
        var body = BODY.replaceFirst("\\{\"node_index\": 1, \"leaf_value\": 5.0\\}", "{\"node_index\": 1}");
        assertThatThrownBy(() -> engine.putModel("bad-tree", body, false))
                .hasMessage("Definition for [bad-tree] has validation failures.")
                .cause().hasMessage("[leaf_value] is required for a leaf node.");
        var cycle = BODY.replaceFirst("\"left_child\": 1", "\"left_child\": 0");
        assertThatThrownBy(() -> engine.putModel("cycle", cycle, false))
                .hasMessage("Definition for [cycle] has validation failures.")
                .cause().hasMessage("[tree] contains cycle at node 0");
    }

    @Test
    void b25_everyTreeStructureMessage() {
        var cases = new java.util.LinkedHashMap<String, String>();
        cases.put(BODY.replaceFirst("\"right_child\": 2", "\"right_child\": 7"), "[tree] contains missing nodes [7]");
        cases.put(BODY.replaceFirst("\"node_index\": 0", "\"node_index\": -1"), "[node_index] must be a non-negative integer.");
        cases.put(BODY.replaceFirst("\"left_child\": 1", "\"left_child\": -1"), "[left_child] must be a non-negative integer.");
        cases.put(BODY.replaceFirst("\"right_child\": 2", "\"right_child\": -2"), "[right_child] must be a non-negative integer.");
        cases.put(BODY.replaceFirst("\"threshold\": 400, ", ""), "[threshold] must exist for non-leaf node.");
        cases.put(BODY.replaceFirst("(?s)\"tree_structure\": \\[.*?\\]\\}\\}", "\"tree_structure\": []}}"),
                "[tree_structure] must not be empty");
        cases.put(BODY.replaceFirst("\"target_type\": \"regression\",", "\"target_type\": \"regression\", "
                + "\"classification_labels\": [\"a\", \"b\"],"),
                "[target_type] should be [classification] if [classification_labels] is provided, and vice versa");
        int i = 0;
        for (var entry : cases.entrySet()) {
            assertThat(entry.getKey()).as(entry.getValue()).isNotEqualTo(BODY);
            var id = "bad-" + i++;
            assertThatThrownBy(() -> engine.putModel(id, entry.getKey(), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.type()).isEqualTo("status_exception");
                        assertThat(e.reason()).isEqualTo("Definition for [" + id + "] has validation failures.");
                        assertThat(e.causedBy()).hasValueSatisfying(cause -> {
                            assertThat(cause.type()).isEqualTo("status_exception");
                            assertThat(cause.reason()).isEqualTo(entry.getValue());
                        });
                        assertThat(e.toJson().at("/error/root_cause/0/reason").asString()).isEqualTo(entry.getValue());
                        assertThat(e.toJson().at("/error/caused_by/reason").asString()).isEqualTo(entry.getValue());
                    });
            assertThat(engine.models().find(id)).isEmpty();
        }
    }

    @Test
    void registry_putOfAnExistingIdFailsAsElasticsearch() {
        assertThatThrownBy(() -> engine.putModel("ltr-model", BODY, false))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("resource_already_exists_exception");
                    assertThat(e.reason()).isEqualTo("Trained machine learning model [ltr-model] already exists");
                });
    }

    @Test
    void registry_getListDeleteAndReopen() throws Exception {
        var one = engine.getModels("ltr-model");
        assertThat(one.get("count").asInt()).isEqualTo(1);
        var config = one.get("trained_model_configs").get(0);
        assertThat(config.get("model_id").asString()).isEqualTo("ltr-model");
        assertThat(config.at("/inference_config/learning_to_rank/feature_extractors").size()).isEqualTo(6);
        assertThat(config.get("description").asString()).isEqualTo("super complex model for tests");
        engine.close();
        engine = Engine.open(data);
        assertThat(engine.getModels("_all").get("count").asInt()).isEqualTo(1);
        assertThat(TestIndex.scores(search("""
                {"size": 3, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}"""))).containsExactly(20f, 20f, 17f);
        assertThat(engine.deleteModel("ltr-model").get("acknowledged").asBoolean()).isTrue();
        assertThatThrownBy(() -> engine.getModels("ltr-model"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
        engine.close();
        engine = Engine.open(data);
        assertThat(engine.getModels(null).get("count").asInt()).isZero();
        engine.putModel("ltr-model", BODY, false);
    }

    @Test
    void registry_invalidIdIsRefused() {
        assertThatThrownBy(() -> engine.putModel("Bad/Id", BODY, false))
                .hasMessageContaining("Invalid model_id; 'Bad/Id' can contain lowercase alphanumeric");
    }

    @Test
    void registry_featureSetMustCoverTheModelInputs() {
        var featureSet = "[{\"query_extractor\": {\"feature_name\": \"cost\", \"query\": {\"match_all\": {}}}}]";
        assertThatThrownBy(() -> engine.putModel("partial", "es", "{\"definition\": " + DEFINITION + "}", featureSet, false))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .contains("do not match the feature set [cost]").contains("type_tv"));
    }

    @Test
    void registry_featureSetDeployWithRankqlExtractors() {
        var featureSet = """
                [{"field_value": {"feature_name": "cost", "field": "cost"}},
                 {"filter": {"feature_name": "type_tv", "query": {"term": {"product": "TV"}}}},
                 {"param_value": {"feature_name": "two", "param": "two", "missing": 2}},
                 {"query_extractor": {"feature_name": "product_bm25", "query": {"term": {"product": "{{keyword}}"}}}},
                 {"original_score": {"feature_name": "first_pass"}}]""";
        var definition = "{\"definition\": " + DEFINITION.replace("\"type_vcr\", \"type_laptop\", ", "") + "}";
        engine.putModel("rankql-extractors", "es", definition, featureSet, false);
        var response = search("""
                {"size": 9, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "rankql-extractors"}}}""");
        assertThat(TestIndex.scores(response)).containsExactly(20f, 20f, 17f, 9f, 9f, 9f, 9f, 6f, 6f);
        var logged = response.hits().get(0).rankql().orElseThrow();
        assertThat(logged.get("model_id").asString()).isEqualTo("rankql-extractors");
        assertThat(logged.at("/features/two").floatValue()).isEqualTo(2f);
        assertThat(logged.at("/features/type_tv").floatValue()).isEqualTo(1f);
        assertThat(logged.at("/features/first_pass").floatValue()).isEqualTo(1f);
        assertThat(logged.get("features").has("product_bm25")).isFalse();
        var vcr = response.hits().get(3).rankql().orElseThrow();
        assertThat(vcr.get("features").has("type_tv")).isFalse();
        var params = search("""
                {"size": 1, "query": {"match_all": {}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "rankql-extractors", "params": {"two": 0}}}}""");
        // two = 0 < 1 takes the left leaf 1 instead of 2.
        assertThat(TestIndex.scores(params)).containsExactly(19f);
    }

    @Test
    void execution_extractorsSharingTermsAndRangesScoreAsTheirQueriesAlone() {
        engine.createIndex("text", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, "
                + "\"body\": {\"type\": \"text\"}, \"n\": {\"type\": \"integer\"}}}}");
        var docs = new ArrayList<String>();
        String[] titles = {"red fox", "red red dog", "blue fox jumps", "fox", "red fox red fox", "green dog", "the red cat"};
        for (int i = 0; i < titles.length; i++) {
            docs.add("{\"title\": \"" + titles[i] + "\", \"body\": \"" + titles[(i + 3) % titles.length] + " fox\", \"n\": " + i + "}");
        }
        TestIndex.indexDocs(engine, "text", docs);
        var queries = List.of(
                "{\"match\": {\"title\": \"{{q}}\"}}",
                "{\"match\": {\"title\": {\"query\": \"{{q}}\", \"operator\": \"and\"}}}",
                "{\"multi_match\": {\"query\": \"{{q}}\", \"fields\": [\"title^2\", \"body\"], \"tie_breaker\": 0.3}}",
                "{\"constant_score\": {\"filter\": {\"match\": {\"body\": \"{{q}}\"}}, \"boost\": 3}}",
                "{\"range\": {\"n\": {\"gte\": 2, \"lt\": 5}}}");
        var extractors = new ArrayList<String>();
        for (int i = 0; i < queries.size(); i++) {
            extractors.add("{\"query_extractor\": {\"feature_name\": \"f" + i + "\", \"query\": " + queries.get(i) + "}}");
        }
        var body = """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [%s]}},
                 "definition": {"trained_model": {"ensemble": {"feature_names": ["f0", "f1", "f2", "f3", "f4"],
                   "target_type": "regression", "trained_models": [%s]}}}}"""
                .formatted(String.join(",", extractors), tree("f0", "0.5", "lt", 1.0, 2.0));
        engine.putModel("shared", body, false);

        var response = engine.search("text", EsJson.parseSearch("""
                {"size": 7, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 7, "learning_to_rank": {"model_id": "shared", "params": {"q": "red fox"}}}}"""));

        assertThat(response.hits()).hasSize(7);
        for (int i = 0; i < queries.size(); i++) {
            var alone = engine.search("text", EsJson.parseSearch("{\"size\": 10, \"query\": "
                    + queries.get(i).replace("{{q}}", "red fox") + "}"));
            var expected = new java.util.HashMap<String, Float>();
            alone.hits().forEach(h -> expected.put(h.id(), h.score().orElseThrow()));
            for (var hit : response.hits()) {
                var features = hit.rankql().orElseThrow().get("features");
                var name = "f" + i;
                if (expected.containsKey(hit.id())) {
                    assertThat(features.get(name).floatValue()).as(name + " of " + hit.id()).isEqualTo(expected.get(hit.id()));
                } else {
                    assertThat(features.has(name)).as(name + " of " + hit.id()).isFalse();
                }
            }
        }
    }

    @Test
    void c8_explainAsElasticsearchWithRankqlTreePaths() {
        var response = search("""
                {"size": 1, "explain": true, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        var json = SearchResponse.explanationJson(response.hits().get(0).explanation().orElseThrow());
        assertThat(json.get("description").asString()).isEqualTo("rescored using LTR model ltr-model");
        assertThat(json.get("value").floatValue()).isEqualTo(20f);
        assertThat(json.at("/details/0/description").asString()).isEqualTo("first pass query score");
        assertThat(json.at("/details/1/description").asString()).isEqualTo("extracted features");
        var features = new ArrayList<String>();
        json.at("/details/1/details").forEach(d -> features.add(d.get("description").asString()));
        assertThat(features).containsExactly("feature value for [cost]", "feature value for [type_tv]",
                "feature value for [two]");
        assertThat(json.get("details").size()).isEqualTo(2);
        var trees = search("""
                {"size": 1, "explain": true, "query": {"match_all": {}}, "ext": {"rankql": {"explain_trees": true}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        var treeJson = SearchResponse.explanationJson(trees.hits().get(0).explanation().orElseThrow());
        assertThat(treeJson.at("/details/2/details").size()).isEqualTo(4);
        assertThat(treeJson.at("/details/2/details/1/description").asString()).startsWith("tree 1: leaf");
    }

    @Test
    void profile_hasElasticsearchShapeAndRankqlStages() {
        var response = search("""
                {"size": 1, "profile": true, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}""");
        var profile = response.toJson().get("profile");
        assertThat(profile.at("/shards/0/searches/0/query/0/time_in_nanos").isNumber()).isTrue();
        var rescore = profile.at("/shards/0/rankql/rescore/0");
        assertThat(rescore.get("model_id").asString()).isEqualTo("ltr-model");
        assertThat(rescore.get("docs").asInt()).isEqualTo(9);
        assertThat(rescore.get("feature_extraction").size()).isEqualTo(6);
        assertThat(rescore.has("model_time_in_nanos")).isTrue();
    }

    @Test
    void concurrency_replaceSwapsWithoutMixingModelsInARequest() throws Exception {
        String constant = """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"query_extractor": {"feature_name": "cost", "query": {"match_all": {}}}}]}},
                 "definition": {"trained_model": %s}}""";
        engine.putModel("swap", constant.formatted(tree("cost", "0", "lt", 1.0, 100.0)), false);
        var stop = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        var seen = new java.util.concurrent.ConcurrentHashMap<Float, Boolean>();
        var threads = new ArrayList<Thread>();
        for (int t = 0; t < 2; t++) {
            var thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        var scores = TestIndex.scores(search("""
                                {"size": 9, "query": {"match_all": {}},
                                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "swap"}}}"""));
                        assertThat(scores).hasSize(9);
                        assertThat(scores.stream().distinct()).hasSize(1);
                        seen.put(scores.get(0), true);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (int i = 0; i < 20; i++) {
            double leaf = 100 + i + 1;
            engine.putModel("swap", constant.formatted(tree("cost", "0", "lt", 1.0, leaf)), true);
        }
        stop.set(true);
        for (var thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(TestIndex.scores(search("""
                {"size": 1, "query": {"match_all": {}},
                 "rescore": {"window_size": 9, "learning_to_rank": {"model_id": "swap"}}}"""))).containsExactly(120f);
        assertThat(seen).isNotEmpty();
    }

    @Test
    void replace_isVisibleToNewSearchesAndSurvivesReopen() throws Exception {
        var replaced = BODY.replace("\"leaf_value\": 12.0", "\"leaf_value\": 30.0");
        engine.putModel("ltr-model", replaced, true);
        assertThat(TestIndex.scores(search("""
                {"size": 1, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}"""))).containsExactly(38f);
        engine.close();
        engine = Engine.open(data);
        assertThat(TestIndex.scores(search("""
                {"size": 1, "query": {"match_all": {}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "ltr-model"}}}"""))).containsExactly(38f);
        assertThat(Optional.ofNullable(engine.models().find("ltr-model"))).isPresent();
        assertThat(List.of(data.resolve("_models").toFile().list())).containsExactly("ltr-model.json");
    }
}
