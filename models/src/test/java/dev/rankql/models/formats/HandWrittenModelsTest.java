package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.models.Decision;
import dev.rankql.models.Explanation;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small models written by hand, with scores worked out by hand. */
class HandWrittenModelsTest {

    private static final double NAN = Double.NaN;

    /** The model of the Elasticsearch LTR integration tests (spec §d.7), as a whole PUT body. */
    static final String ES_PRODUCTS = """
            {
              "description": "super complex model for tests",
              "inference_config": { "learning_to_rank": { "feature_extractors": [] } },
              "definition": { "trained_model": { "ensemble": {
                "feature_names": ["cost", "type_tv", "type_vcr", "type_laptop", "two", "product_bm25"],
                "target_type": "regression",
                "trained_models": [
                  { "tree": { "feature_names": ["cost"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "split_gain": 12, "threshold": 400, "decision_type": "lte",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 5.0 },
                      { "node_index": 2, "leaf_value": 2.0 } ] } },
                  { "tree": { "feature_names": ["type_tv"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "split_gain": 12, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 },
                      { "node_index": 2, "leaf_value": 12.0 } ] } },
                  { "tree": { "feature_names": ["two"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "split_gain": 12, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 },
                      { "node_index": 2, "leaf_value": 2.0 } ] } },
                  { "tree": { "feature_names": ["product_bm25"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "split_gain": 12, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 },
                      { "node_index": 2, "leaf_value": 4.0 } ] } }
                ] } } }
            }
            """;

    @Test
    void elasticsearchProductModelGivesTheIntegrationTestScores() {
        Model model = Models.load("auto", ES_PRODUCTS, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("es");
        assertThat(model.featureNames())
                .containsExactly("cost", "type_tv", "type_vcr", "type_laptop", "two", "product_bm25");
        // cost, type_tv, type_vcr, type_laptop, two, product_bm25; an unmatched feature query leaves its value missing.
        double[] rows = {
            300, 1, NAN, NAN, 2, NAN, // TV 300: 5 + 12 + 2 + 1
            400, 1, NAN, NAN, 2, NAN, // TV 400: cost 400 <= 400 goes left
            600, 1, NAN, NAN, 2, NAN, // TV 600: 2 + 12 + 2 + 1
            15, NAN, 1, NAN, 2, NAN, // VCR 15: type_tv missing goes left (1)
            580, NAN, 1, NAN, 2, NAN, // VCR 580
            500, NAN, NAN, 1, 2, NAN, // Laptop 500
            300, NAN, NAN, 1, 2, 1.2, // Laptop 300 with a bm25 score: 1.2 < 1 fails, goes right (4)
        };
        double[] out = new double[7];
        model.score(rows, 7, out);
        assertThat(out).containsExactly(20, 20, 17, 9, 6, 6, 12);
    }

    @Test
    void elasticsearchDefinitionAloneAndFeatureListRebinding() {
        String definition = ES_PRODUCTS.substring(ES_PRODUCTS.indexOf("\"definition\"") + "\"definition\":".length(),
                ES_PRODUCTS.lastIndexOf('}'));
        Model model = Models.load("es", definition,
                LoadOptions.withFeatures(List.of("product_bm25", "two", "type_tv", "cost")));
        assertThat(model.featureNames()).containsExactly("product_bm25", "two", "type_tv", "cost");
        assertThat(model.score(new double[] {NAN, 2, 1, 600})).isEqualTo(17);
        assertThatThrownBy(() -> Models.load("es", definition, LoadOptions.withFeatures(List.of("cost", "two"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("uses feature [type_tv], which is not in the given feature list [cost, two]");
    }

    @Test
    void elasticsearchDecisionTypesDefaultsInfinityAndAggregates() {
        String tree = """
                { "trained_model": { "ensemble": {
                  "aggregate_output": { "%s": { "weights": [2.0, 0.5] } },
                  "trained_models": [
                    { "tree": { "feature_names": ["x"], "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 1.0, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": [1.0] }, { "node_index": 2, "leaf_value": -1.0 } ] } },
                    { "tree": { "feature_names": ["x"], "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 1.0, "decision_type": "gte",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 4.0 }, { "node_index": 2, "leaf_value": 8.0 } ] } } ] } } }
                """;
        Model sum = Models.load("es", tree.formatted("weighted_sum"), LoadOptions.DEFAULTS);
        // x = 1: lte (default) holds -> 1.0 * 2; gte holds -> 4.0 * 0.5.
        assertThat(sum.score(new double[] {1.0})).isEqualTo(4.0);
        // x = 0.5: 2 + 8 * 0.5 = 6.
        assertThat(sum.score(new double[] {0.5})).isEqualTo(6.0);
        // Missing: default_left defaults to false (-1 * 2), the second tree's default_left is true (4 * 0.5).
        assertThat(sum.score(new double[] {NAN})).isEqualTo(0.0);
        // Infinity is missing in Elasticsearch, not a huge value.
        assertThat(sum.score(new double[] {Double.POSITIVE_INFINITY})).isEqualTo(0.0);
        Model logistic = Models.load("es", tree.formatted("logistic_regression"), LoadOptions.DEFAULTS);
        assertThat(logistic.score(new double[] {0.5})).isEqualTo(1 / (1 + Math.exp(-6.0)));
        Model exponent = Models.load("es", tree.formatted("exponent"), LoadOptions.DEFAULTS);
        assertThat(exponent.score(new double[] {1.0})).isEqualTo(Math.exp(4.0));
        assertThat(sum.score(new double[] {NAN})).isEqualTo(0.0);
        assertThat(Models.load("es", tree.formatted("weighted_sum"), LoadOptions.DEFAULTS.missingAsZero(true))
                        .score(new double[] {NAN}))
                .as("missing as zero: 0 <= 1 left (2), 0 >= 1 fails (8 * 0.5)")
                .isEqualTo(6.0);
    }

    @Test
    void explainShowsEveryTreePath() {
        Model model = Models.load("es", ES_PRODUCTS, LoadOptions.DEFAULTS);
        var explanation = (Explanation.Trees) model.explain(new double[] {600, 1, NAN, NAN, 2, NAN});
        assertThat(explanation.score()).isEqualTo(17);
        assertThat(explanation.trees()).hasSize(4);
        var cost = explanation.trees().get(0);
        assertThat(cost.contribution()).isEqualTo(2.0);
        assertThat(cost.steps()).singleElement().satisfies(step -> {
            assertThat(step.featureName()).isEqualTo("cost");
            assertThat(step.decision()).isEqualTo(Decision.LTE);
            assertThat(step.threshold()).isEqualTo(400);
            assertThat(step.left()).isFalse();
            assertThat(step.missing()).isFalse();
        });
        var bm25 = explanation.trees().get(3).steps().get(0);
        assertThat(bm25.missing()).isTrue();
        assertThat(bm25.left()).isTrue();
        assertThat(explanation.trees().get(3).leaf()).isEqualTo(1);
    }

    @Test
    void xgboostDumpWithObjectiveAndMissingBranch() {
        String dump = """
                { "objective": "binary:logistic", "splits": [
                  { "nodeid": 0, "depth": 0, "split": "a", "split_condition": 0.5, "yes": 1, "no": 2, "missing": 2,
                    "children": [ { "nodeid": 1, "leaf": -1.0 },
                                  { "nodeid": 2, "depth": 1, "split": "b", "split_condition": 2, "yes": 3, "no": 4,
                                    "missing": 3,
                                    "children": [ { "nodeid": 3, "leaf": 0.5 }, { "nodeid": 4, "leaf": 1.5 } ] } ] },
                  "{ \\"nodeid\\": 0, \\"leaf\\": 0.25 }" ] }
                """;
        Model model = Models.load("auto", dump, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("xgboost-dump");
        assertThat(model.featureNames()).containsExactly("a", "b");
        // a = 0.5 is not < 0.5: right; b missing goes to 3 (0.5); margin 0.5 + 0.25.
        assertThat(model.score(new double[] {0.5, NAN})).isCloseTo(1 / (1 + Math.exp(-0.75)), within(1e-7));
        // a = 0.4 < 0.5: -1 + 0.25.
        assertThat(model.score(new double[] {0.4, 7})).isCloseTo(1 / (1 + Math.exp(0.75)), within(1e-7));
        // a = 0.6, b = 2 is not < 2: 1.5 + 0.25.
        assertThat(model.score(new double[] {0.6, 2})).isCloseTo(1 / (1 + Math.exp(-1.75)), within(1e-7));
        String stored = "{ \"model\": { \"name\": \"d\", \"model\": { \"type\": \"model/xgboost+json\","
                + " \"definition\": " + dump + " } } }";
        Model fromStore = Models.load("auto", stored, LoadOptions.DEFAULTS);
        assertThat(fromStore.format()).isEqualTo("xgboost-dump");
        assertThat(fromStore.score(new double[] {0.6, 2})).isEqualTo(model.score(new double[] {0.6, 2}));
    }

    @Test
    void xgboostNativeJsonBaseScoreAndFloatRounding() {
        String json = """
                { "learner": {
                    "feature_names": [], "feature_types": [],
                    "learner_model_param": { "base_score": "[5E-1]", "num_class": "0", "num_feature": "2",
                                             "num_target": "1" },
                    "objective": { "name": "reg:squarederror" },
                    "gradient_booster": { "name": "gbtree", "model": {
                      "tree_info": [0],
                      "trees": [ { "tree_param": { "num_nodes": "3" }, "id": 0,
                        "left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0],
                        "split_conditions": [1.0000001, 0.25, 2.0], "default_left": [1, 0, 0],
                        "split_type": [0, 0, 0], "base_weights": [0, 0, 0] } ] } } },
                  "version": [3, 0, 0] }
                """;
        Model model = Models.load("auto", json, LoadOptions.DEFAULTS);
        assertThat(model.featureNames()).containsExactly("f0", "f1");
        // 1.00000005 rounds to the float 1.0, which is < 1.0000001f: left, 0.5 + 0.25.
        assertThat(model.score(new double[] {0, 1.00000005})).isEqualTo(0.75);
        // 1.0000001 as a double rounds to the threshold itself: not < : right, 0.5 + 2.
        assertThat(model.score(new double[] {0, 1.0000001})).isEqualTo(2.5);
        assertThat(model.score(new double[] {0, NAN})).isEqualTo(0.75);
        // With a feature list, a positional model reads column i for f_i.
        Model named = Models.load("xgboost", json, LoadOptions.withFeatures(List.of("x", "y", "z")));
        assertThat(named.featureNames()).containsExactly("x", "y", "z");
        assertThat(named.score(new double[] {0, 3, 0})).isEqualTo(2.5);
        assertThatThrownBy(() -> Models.load("xgboost", json, LoadOptions.withFeatures(List.of("x"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("uses feature 1 (f1) but only 1 feature names were given");
    }

    @Test
    void xgboostNamedFeaturesAndTheOpenSearchWrapper() {
        String json = """
                { "learner": {
                    "feature_names": ["clicks", "bm25"], "feature_types": ["float", "float"],
                    "learner_model_param": { "base_score": "5E-1", "num_class": "0", "num_feature": "2" },
                    "objective": { "name": "binary:logistic" },
                    "gradient_booster": { "name": "gbtree", "model": {
                      "trees": [ { "tree_param": { "num_nodes": "3" },
                        "left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0],
                        "split_conditions": [10, -1, 1], "default_left": [0, 0, 0] } ] } } } }
                """;
        String definition = "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(json)) + "\"";
        String stored = "{ \"model\": { \"name\": \"m\", \"model\": { \"type\": \"model/xgboost+json+raw\","
                + " \"definition\": " + definition + " } } }";
        for (String text : List.of(json, stored)) {
            Model model = Models.load("auto", text, LoadOptions.DEFAULTS);
            assertThat(model.format()).isEqualTo("xgboost");
            assertThat(model.featureNames()).containsExactly("clicks", "bm25");
            // base_score 0.5 is margin 0; bm25 12 is not < 10: right (1.0); the sigmoid is computed in float.
            assertThat(model.score(new double[] {0, 12})).isEqualTo(1.0f / (1.0f + (float) Math.exp(-1.0)));
        }
        Model rebound = Models.load("xgboost", stored, LoadOptions.withFeatures(List.of("bm25", "other", "clicks")));
        assertThat(rebound.score(new double[] {3, 0, 0})).isEqualTo(1.0f / (1.0f + (float) Math.exp(1.0)));
    }

    @Test
    void lightgbmMissingTypesAndCategories() {
        // Node 0: x0 <= 0.5, missing None (NaN read as 0): decision_type 0.
        // Node 1: x1 <= 1.0, missing Zero, default left: 2 | 4 = 6.
        // Node 2: x0 in {1, 3, 33}, categorical: 1; cat_threshold words 0b1010 and bit 1 of the second word.
        String text = """
                tree
                version=v3
                num_class=1
                num_tree_per_iteration=1
                label_index=0
                max_feature_idx=1
                objective=lambdarank
                feature_names=x0 x1
                feature_infos=none none
                tree_sizes=1

                Tree=0
                num_leaves=3
                num_cat=0
                split_feature=0 1
                split_gain=1 1
                threshold=0.5 1
                decision_type=0 6
                left_child=-1 -2
                right_child=1 -3
                leaf_value=1 2 3
                shrinkage=1

                Tree=1
                num_leaves=2
                num_cat=1
                split_feature=0
                split_gain=1
                threshold=0
                decision_type=1
                left_child=-1
                right_child=-2
                leaf_value=10 20
                cat_boundaries=0 2
                cat_threshold=10 2
                shrinkage=1

                end of trees
                """;
        Model model = Models.load("auto", text, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("lightgbm");
        assertThat(model.featureNames()).containsExactly("x0", "x1");
        // x0 NaN -> 0 <= 0.5 left (1); category: NaN goes right (20).
        assertThat(model.score(new double[] {NAN, 5})).isEqualTo(21);
        // x0 = 1: right; x1 = 0 is missing under Zero, default left (2); category 1 left (10).
        assertThat(model.score(new double[] {1, 0})).isEqualTo(12);
        // x0 = 3.9 -> category 3 (10); x1 = 1e-36 counts as zero: missing, left (2).
        assertThat(model.score(new double[] {3.9, 1e-36})).isEqualTo(12);
        // x0 = 33: category 33 is bit 1 of the second word (10); x1 = 1 <= 1 left (2).
        assertThat(model.score(new double[] {33, 1})).isEqualTo(12);
        // x0 = 2: category 2 not in the set (20); x1 NaN is missing under Zero: left (2).
        assertThat(model.score(new double[] {2, NAN})).isEqualTo(22);
        // x1 = 1.5: right (3); x0 = 64: beyond the bitset (20).
        assertThat(model.score(new double[] {64, 1.5})).isEqualTo(23);
    }

    @Test
    void linearModelWeightsAndMissingValues() {
        Model model = Models.load("auto", "{ \"type\": \"model/linear\", \"definition\": { \"a\": 2.0, \"b\": -0.5 } }",
                LoadOptions.DEFAULTS);
        assertThat(model.featureNames()).containsExactly("a", "b");
        assertThat(model.score(new double[] {1.5, 4})).isEqualTo(1.0);
        assertThat(model.score(new double[] {1.5, NAN})).isEqualTo(3.0);
        var explanation = (Explanation.Linear) model.explain(new double[] {1.5, 4});
        assertThat(explanation.terms()).extracting(Explanation.Term::contribution).containsExactly(3.0, -2.0);
        assertThat(Models.load("linear", "{}", LoadOptions.DEFAULTS).score(new double[0])).isZero();
        Model stored = Models.load("auto", "{ \"model\": { \"name\": \"lin\", \"model\": { \"type\": \"model/linear\","
                + " \"definition\": \"{\\\"a\\\": 2.0}\" } } }", LoadOptions.DEFAULTS);
        assertThat(stored.score(new double[] {1.5})).isEqualTo(3.0);
    }

    @Test
    void scoresDoNotDependOnTheBlockOrOffset() {
        Model model = Models.load("es", ES_PRODUCTS, LoadOptions.DEFAULTS);
        double[] rows = new double[200 * 6];
        var random = new java.util.SplittableRandom(1);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(10) == 0 ? NAN : random.nextInt(800);
        }
        double[] all = new double[200];
        model.score(rows, 200, all);
        double[] shifted = new double[210];
        model.score(rows, 70, 130, shifted, 10);
        for (int r = 70; r < 200; r++) {
            assertThat(shifted[r - 60]).isEqualTo(all[r]);
        }
        assertThatThrownBy(() -> model.score(rows, 199, 2, shifted, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows holds 1200 values");
    }

    @Test
    void formatsAreListedAndUnknownOnesRejected() {
        assertThat(Models.formats()).extracting(ModelFormat::formatName)
                .containsExactly("es", "xgboost", "xgboost-opensearch", "xgboost-dump", "lightgbm", "lightgbm-json",
                        "ranklib", "solr", "linear");
        assertThatThrownBy(() -> Models.load("onnx", "{}", LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("unknown model format [onnx]: expected one of es, xgboost, xgboost-opensearch,"
                        + " xgboost-dump, lightgbm, lightgbm-json, ranklib, solr, linear");
    }
}
