package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import org.junit.jupiter.api.Test;

/**
 * {@code xgboost-opensearch}: an XGBoost native JSON model scored as the o19s/OpenSearch LTR plugin scores its
 * {@code model/xgboost+json+raw} type, against {@code xgboost}, which scores it as XGBoost does. Scores worked out by
 * hand.
 */
class OpenSearchXgboostTest {

    /**
     * One split on {@code a < 0.5} (missing goes left) with two leaves whose {@code split_conditions} values are 0.25
     * and 1.5 and whose {@code base_weights} are as given.
     */
    private static String model(String objective, String baseScore, String leafWeights, String extra) {
        return """
                {"learner": {
                  "feature_names": ["a", "b"], "feature_types": ["float", "float"]%s,
                  "learner_model_param": {"base_score": "%s", "num_class": "0", "num_feature": "2"},
                  "objective": {"name": "%s"},
                  "gradient_booster": {"name": "gbtree", "model": {"tree_info": [0], "trees": [{
                    "tree_param": {"num_nodes": "3"}, "id": 0,
                    "left_children": [1, -1, -1], "right_children": [2, -1, -1], "parents": [2147483647, 0, 0],
                    "split_indices": [0, 0, 0], "split_conditions": [0.5, 0.25, 1.5], "default_left": [1, 0, 0],
                    "split_type": [0, 0, 0], "base_weights": [-0.4, %s],
                    "loss_changes": [3.0, 0, 0], "sum_hessian": [10.0, 4.0, 6.0]}]}}},
                 "version": [3, 0, 0]}
                """.formatted(extra, baseScore, objective, leafWeights);
    }

    private static double[] scores(Model model) {
        double[] rows = {0.2, 0, 0.7, 0, Double.NaN, 0};
        double[] out = new double[3];
        model.score(rows, 3, out);
        return out;
    }

    @Test
    void theBaseScoreIsIgnored() {
        String text = model("rank:pairwise", "[3E-1]", "0.25, 1.5", "");
        // XGBoost: 0.3 + leaf, in float.
        assertThat(scores(Models.load("xgboost", text, LoadOptions.DEFAULTS)))
                .containsExactly(0.55f, 1.8f, 0.55f);
        // The plugin: the leaf alone.
        Model openSearch = Models.load("xgboost-opensearch", text, LoadOptions.DEFAULTS);
        assertThat(openSearch.format()).isEqualTo("xgboost-opensearch");
        assertThat(scores(openSearch)).containsExactly(0.25, 1.5, 0.25);
    }

    @Test
    void logisticObjectivesApplyTheSigmoidToTheLeavesAlone() {
        String text = model("binary:logistic", "3E-1", "0.25, 1.5", "");
        // XGBoost: sigmoid(logit(0.3) + 0.25) = 1 / (1 + (0.7 / 0.3) e^-0.25) = 0.354962...
        assertThat(scores(Models.load("xgboost", text, LoadOptions.DEFAULTS))[0]).isCloseTo(0.354962, within(1e-6));
        // The plugin: 1 / (1 + e^-0.25) = 0.5621765008857981 and 1 / (1 + e^-1.5) = 0.8175744761936437, as floats.
        assertThat(scores(Models.load("xgboost-opensearch", text, LoadOptions.DEFAULTS)))
                .containsExactly(0.5621765f, 0.81757448f, 0.5621765f);
    }

    @Test
    void leavesAreTheNodeWeights() {
        // XGBoost's own training writes the leaf value in both arrays; the plugin reads base_weights.
        String text = model("rank:ndcg", "0", "2.0, -3.0", "");
        assertThat(scores(Models.load("xgboost", text, LoadOptions.DEFAULTS))).containsExactly(0.25, 1.5, 0.25);
        assertThat(scores(Models.load("xgboost-opensearch", text, LoadOptions.DEFAULTS)))
                .containsExactly(2.0, -3.0, 2.0);
    }

    @Test
    void insideTheStoredModelEnvelope() {
        String definition = model("rank:pairwise", "0.5", "0.25, 1.5", "");
        String stored = """
                {"model": {"name": "m", "model": {"type": "model/xgboost+json+raw", "definition": %s}}}
                """;
        for (String form : new String[] {definition, jsonString(definition)}) {
            String text = stored.formatted(form);
            // Detected as XGBoost's own semantics; the plugin's reading is asked for by name.
            Model detected = Models.load("auto", text, LoadOptions.DEFAULTS);
            assertThat(detected.format()).isEqualTo("xgboost");
            assertThat(scores(detected)).containsExactly(0.75, 2.0, 0.75);
            assertThat(scores(Models.load("xgboost-opensearch", text, LoadOptions.DEFAULTS)))
                    .containsExactly(0.25, 1.5, 0.25);
        }
    }

    @Test
    void whatThePluginRefuses() {
        assertThatThrownBy(() -> Models.load("xgboost-opensearch",
                        model("reg:squarederror", "0.5", "0.25, 1.5", ""), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.learner.objective.name: objective [reg:squarederror] is not one the OpenSearch LTR"
                        + " plugin accepts (binary:logistic, reg:logistic, binary:logitraw, rank:pairwise, rank:ndcg,"
                        + " rank:map, reg:linear); read the model with --format xgboost to score it as XGBoost does");
        assertThatThrownBy(() -> Models.load("xgboost-opensearch",
                        model("rank:ndcg", "0.5", "0.25, 1.5", "").replace("[\"float\", \"float\"]", "[\"float\", \"int\"]"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.learner.feature_types: feature type [int] of feature 1: the OpenSearch LTR plugin"
                        + " accepts only float features");
        assertThatThrownBy(() -> Models.load("xgboost-opensearch",
                        model("rank:ndcg", "0.5", "0.25, 1.5", "").replace("\"split_type\": [0, 0, 0]",
                                "\"split_type\": [1, 0, 0], \"categories\": [1], \"categories_nodes\": [0],"
                                        + " \"categories_segments\": [0], \"categories_sizes\": [1]"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.learner.gradient_booster.model.trees[0].split_type: node 0 is a categorical split,"
                        + " which the OpenSearch LTR plugin would read as a threshold test; read the model with"
                        + " --format xgboost");
        assertThatThrownBy(() -> Models.load("xgboost-opensearch",
                        model("rank:ndcg", "0.5", "0.25, 1.5", "").replace(", \"base_weights\": [-0.4, 0.25, 1.5]", ""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.learner.gradient_booster.model.trees[0]: required field [base_weights] is missing");
        String dart = model("rank:ndcg", "0.5", "0.25, 1.5", "")
                .replace("\"gradient_booster\": {\"name\": \"gbtree\", \"model\":",
                        "\"gradient_booster\": {\"name\": \"dart\", \"weight_drop\": [1.0], \"gbtree\": {\"model\":")
                .replace("}]}}},", "}]}}}},");
        assertThat(scores(Models.load("xgboost", dart, LoadOptions.DEFAULTS))).containsExactly(0.75, 2.0, 0.75);
        assertThatThrownBy(() -> Models.load("xgboost-opensearch", dart, LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.learner.gradient_booster.name: the OpenSearch LTR plugin reads only gbtree models (it"
                        + " looks for gradient_booster.model, which a dart model does not have)");
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static org.assertj.core.data.Offset<Double> within(double value) {
        return org.assertj.core.data.Offset.offset(value);
    }
}
