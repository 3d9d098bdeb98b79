package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.ModelException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed models are rejected with a message that says where the problem is; never an NPE or a hang. */
class MalformedModelsTest {

    private static String esTree(String nodes) {
        return """
                { "trained_model": { "tree": { "feature_names": ["x"], "tree_structure": [ %s ] } } }
                """.formatted(nodes);
    }

    private static final String ES_PATH = "$.trained_model.tree.tree_structure";

    private static String xgboost(String objective, String numFeature, String tree) {
        return """
                { "learner": {
                    "learner_model_param": { "base_score": "5E-1", "num_class": "0", "num_feature": "%s" },
                    "objective": { "name": "%s" },
                    "gradient_booster": { "name": "gbtree", "model": { "trees": [ %s ] } } } }
                """.formatted(numFeature, objective, tree);
    }

    private static final String XGB_TREE = """
            { "tree_param": { "num_nodes": "3" }, "left_children": [%s], "right_children": [2, -1, -1],
              "split_indices": [%s, 0, 0], "split_conditions": [%s, 1, 2], "default_left": [0, 0, 0] }
            """;

    private static String lightgbm(String tree) {
        return """
                tree
                version=v3
                num_class=1
                num_tree_per_iteration=1
                max_feature_idx=1
                objective=regression
                feature_names=a b

                Tree=0
                %s

                end of trees
                """.formatted(tree);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("es cycle", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "left_child": 1, "right_child": 2 },
                        { "node_index": 1, "split_feature": 0, "threshold": 1, "left_child": 0, "right_child": 2 },
                        { "node_index": 2, "leaf_value": 1 }"""),
                        ES_PATH + " node 1: child node 0 is reached a second time: the tree has a cycle or a node"
                                + " with two parents"),
                Arguments.of("es shared child", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "left_child": 1, "right_child": 1 },
                        { "node_index": 1, "leaf_value": 1 }"""),
                        ES_PATH + " node 0: child node 1 is reached a second time: the tree has a cycle or a node"
                                + " with two parents"),
                Arguments.of("es dangling child", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "left_child": 1, "right_child": 7 },
                        { "node_index": 1, "leaf_value": 1 }"""),
                        ES_PATH + " node 0: child 7 does not exist: the tree has 2 nodes"),
                Arguments.of("es self child", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "left_child": 0, "right_child": 1 },
                        { "node_index": 1, "leaf_value": 1 }"""),
                        ES_PATH + " node 0: node is its own child"),
                Arguments.of("es feature out of range", "es", esTree("""
                        { "node_index": 0, "split_feature": 3, "threshold": 1, "left_child": 1, "right_child": 2 },
                        { "node_index": 1, "leaf_value": 1 }, { "node_index": 2, "leaf_value": 2 }"""),
                        ES_PATH + "[0].split_feature: split_feature 3 is out of range: the tree has 1 feature_names"),
                Arguments.of("es unknown decision type", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "eq",
                          "left_child": 1, "right_child": 2 },
                        { "node_index": 1, "leaf_value": 1 }, { "node_index": 2, "leaf_value": 2 }"""),
                        ES_PATH + "[0].decision_type: unknown decision_type [eq]: expected lt, lte, gt or gte"),
                Arguments.of("es threshold as text", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": "NaN", "left_child": 1, "right_child": 2 },
                        { "node_index": 1, "leaf_value": 1 }, { "node_index": 2, "leaf_value": 2 }"""),
                        ES_PATH + "[0].threshold: expected a number, got a string"),
                Arguments.of("es missing threshold", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "left_child": 1, "right_child": 2 },
                        { "node_index": 1, "leaf_value": 1 }, { "node_index": 2, "leaf_value": 2 }"""),
                        ES_PATH + "[0]: required field [threshold] is missing"),
                Arguments.of("es leaf without value", "es", esTree("""
                        { "node_index": 0 }"""),
                        ES_PATH + "[0]: required field [leaf_value] is missing"),
                Arguments.of("es node_index not its position", "es", esTree("""
                        { "node_index": 0, "split_feature": 0, "threshold": 1, "left_child": 1, "right_child": 2 },
                        { "node_index": 2, "leaf_value": 1 }, { "node_index": 1, "leaf_value": 2 }"""),
                        ES_PATH + "[1].node_index: node_index 2 at position 1: Elasticsearch finds children by"
                                + " position, so node_index must equal the position"),
                Arguments.of("es duplicate key", "es", esTree("""
                        { "node_index": 0, "leaf_value": 1, "leaf_value": 2 }"""),
                        "line 1, column 124: not valid JSON: Duplicate Object property \"leaf_value\""),
                Arguments.of("es classification", "es",
                        "{ \"trained_model\": { \"tree\": { \"feature_names\": [], \"target_type\": \"classification\","
                                + " \"tree_structure\": [ { \"node_index\": 0, \"leaf_value\": 1 } ] } } }",
                        "$.trained_model.tree.target_type: only target_type [regression] is supported, got"
                                + " [classification]"),
                Arguments.of("es weights count", "es", """
                        { "trained_model": { "ensemble": {
                          "aggregate_output": { "weighted_sum": { "weights": [1, 2] } },
                          "trained_models": [ { "tree": { "feature_names": [], "tree_structure": [
                            { "node_index": 0, "leaf_value": 1 } ] } } ] } } }""",
                        "$.trained_model.ensemble.aggregate_output.weighted_sum.weights: 2 weights for 1 models"),
                Arguments.of("es not a model", "es", "{ \"foo\": 1 }",
                        "$: expected an Elasticsearch trained model"),
                Arguments.of("xgboost unknown objective", "xgboost",
                        xgboost("reg:invalid", "2", XGB_TREE.formatted("1, -1, -1", "0", "0.5")),
                        "$.learner.objective.name: unknown or unsupported objective [reg:invalid]"),
                Arguments.of("xgboost feature out of range", "xgboost",
                        xgboost("rank:ndcg", "2", XGB_TREE.formatted("1, -1, -1", "5", "0.5")),
                        "$.learner.gradient_booster.model.trees[0] node 0: feature index 5 is out of range: the model"
                                + " has 2 features"),
                Arguments.of("xgboost cycle", "xgboost",
                        xgboost("rank:ndcg", "2", """
                                { "tree_param": { "num_nodes": "3" }, "left_children": [1, 2, -1],
                                  "right_children": [2, 0, -1], "split_indices": [0, 1, 0],
                                  "split_conditions": [1, 2, 3], "default_left": [0, 0, 0] }"""),
                        "$.learner.gradient_booster.model.trees[0] node 1: child node 0 is reached a second time"),
                Arguments.of("xgboost arrays of the wrong length", "xgboost",
                        xgboost("rank:ndcg", "2", XGB_TREE.formatted("1, -1", "0", "0.5")),
                        "$.learner.gradient_booster.model.trees[0].left_children: has 2 entries but the tree has"
                                + " num_nodes 3"),
                Arguments.of("xgboost base score", "xgboost",
                        xgboost("rank:ndcg", "2", XGB_TREE.formatted("1, -1, -1", "0", "0.5"))
                                .replace("\"5E-1\"", "\"half\""),
                        "$.learner.learner_model_param.base_score: base_score is not a number: \"half\""),
                Arguments.of("xgboost multi-class", "xgboost",
                        xgboost("multi:softprob", "2", XGB_TREE.formatted("1, -1, -1", "0", "0.5"))
                                .replace("\"num_class\": \"0\"", "\"num_class\": \"3\""),
                        "$.learner.learner_model_param.num_class: multi-class models are not supported (num_class 3)"),
                Arguments.of("ranklib ensemble closed inside a tree (found by fuzzing)", "ranklib", """
                        <ensemble>
                        	<tree id="1" weight="0.1">
                        		<split</tree>
                        </ensemble>
                        """, "line 4: </ensemble> before the <tree> of line 2 is closed"),
                Arguments.of("xgboost huge feature count", "xgboost",
                        xgboost("rank:ndcg", "2000000000", XGB_TREE.formatted("1, -1, -1", "0", "0.5")),
                        "$.learner.learner_model_param.num_feature: the model declares 2000000000 features, more than"
                                + " the limit of 1048576 (raise it with -Drankql.model.max_features)"),
                Arguments.of("dump duplicate nodeid", "xgboost-dump", """
                        [ { "nodeid": 0, "split": "f0", "split_condition": 1, "yes": 1, "no": 2, "children": [
                            { "nodeid": 1, "leaf": 1 }, { "nodeid": 1, "leaf": 2 } ] } ]""",
                        "$[0].children[1].nodeid: duplicate nodeid 1"),
                Arguments.of("dump dangling child", "xgboost-dump", """
                        [ { "nodeid": 0, "split": "f0", "split_condition": 1, "yes": 1, "no": 9, "children": [
                            { "nodeid": 1, "leaf": 1 }, { "nodeid": 2, "leaf": 2 } ] } ]""",
                        "$[0].no: node 9 does not exist in this tree"),
                Arguments.of("dump missing branch", "xgboost-dump", """
                        [ { "nodeid": 0, "split": "f0", "split_condition": 1, "yes": 1, "no": 2, "missing": 3,
                            "children": [ { "nodeid": 1, "leaf": 1 }, { "nodeid": 2, "leaf": 2 } ] } ]""",
                        "$[0].missing: missing 3 is neither yes 1 nor no 2"),
                Arguments.of("dump unknown objective", "xgboost-dump",
                        "{ \"objective\": \"reg:invalid\", \"splits\": [ { \"nodeid\": 0, \"leaf\": 1 } ] }",
                        "$.objective: unknown or unsupported objective [reg:invalid]"),
                Arguments.of("lightgbm NaN threshold", "lightgbm", lightgbm("""
                        num_leaves=2
                        split_feature=0
                        threshold=nan
                        decision_type=0
                        left_child=-1
                        right_child=-2
                        leaf_value=1 2"""),
                        "Tree=0 (line 9) node 0: threshold is NaN"),
                Arguments.of("lightgbm leaf out of range", "lightgbm", lightgbm("""
                        num_leaves=2
                        split_feature=0
                        threshold=1
                        decision_type=0
                        left_child=-1
                        right_child=-5
                        leaf_value=1 2"""),
                        "line 15: node 0: leaf 4 does not exist: the tree has 2 leaves"),
                Arguments.of("lightgbm cycle", "lightgbm", lightgbm("""
                        num_leaves=3
                        split_feature=0 1
                        threshold=1 2
                        decision_type=0 0
                        left_child=1 0
                        right_child=-1 -2
                        leaf_value=1 2 3"""),
                        "Tree=0 (line 9) node 1: child node 0 is reached a second time"),
                Arguments.of("lightgbm feature out of range", "lightgbm", lightgbm("""
                        num_leaves=2
                        split_feature=2
                        threshold=1
                        decision_type=0
                        left_child=-1
                        right_child=-2
                        leaf_value=1 2"""),
                        "Tree=0 (line 9) node 0: feature index 2 is out of range: the model has 2 features"),
                Arguments.of("lightgbm unknown decision type", "lightgbm", lightgbm("""
                        num_leaves=2
                        split_feature=0
                        threshold=1
                        decision_type=12
                        left_child=-1
                        right_child=-2
                        leaf_value=1 2"""),
                        "line 13: node 0: unknown decision_type 12"),
                Arguments.of("lightgbm wrong value count", "lightgbm", lightgbm("""
                        num_leaves=2
                        split_feature=0
                        threshold=1
                        decision_type=0
                        left_child=-1
                        right_child=-2
                        leaf_value=1"""),
                        "line 16: leaf_value has 1 values, expected 2"),
                Arguments.of("lightgbm unknown objective", "lightgbm", lightgbm("""
                        num_leaves=1
                        leaf_value=1""").replace("objective=regression", "objective=multiclassova num_class:3"),
                        "line 6: unknown or unsupported objective [multiclassova]"),
                Arguments.of("lightgbm huge feature count", "lightgbm", lightgbm("num_leaves=1\nleaf_value=1")
                                .replace("max_feature_idx=1", "max_feature_idx=99999999"),
                        "line 5: the model declares 100000000 features, more than the limit of 1048576 (raise it with -Drankql.model.max_features)"),
                Arguments.of("lightgbm truncated", "lightgbm", "tree\nmax_feature_idx=0\n\nTree=0\nnum_leaves=1\n",
                        "the model file is truncated: [end of trees] is missing"),
                Arguments.of("not JSON", "es", "{ \"trained_model\": ", "line 1, column"),
                // Found by fuzzing (BulkFuzzTest, the same Jackson path): Jackson throws a bare NumberFormatException here.
                Arguments.of("exponent out of range (es)", "es", esTree("""
                        { "node_index": 0, "leaf_value": 1e-2147483648 }"""),
                        "line 1, column 109: not valid JSON: the number 1e-2147483648 has an exponent out of range"),
                Arguments.of("exponent out of range (xgboost)", "xgboost",
                        "{ \"learner\": {\n  \"learner_model_param\": { \"base_score\": 1e99999999999 } } }",
                        "line 2, column 42: not valid JSON: the number 1e99999999999 has an exponent out of range"),
                Arguments.of("empty", "xgboost", "", "the model file is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(String name, String format, String text, String message) {
        assertThatThrownBy(() -> Models.load(format, text, LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(message);
    }
}
