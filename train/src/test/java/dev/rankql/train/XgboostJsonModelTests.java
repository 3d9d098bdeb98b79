package dev.rankql.train;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class XgboostJsonModelTests {

    /**
     * Two rounds over features (a, b). Tree 0 splits on b < 2 (missing goes right) into leaves 1 and 3; tree 1 splits
     * on a < 0.5 (missing goes left) into leaves 10 and 20. Base score 0.5.
     */
    private static String model(String objective, String baseScore) {
        return """
                {"learner":{"attributes":{},"feature_names":["a","b"],"feature_types":[],
                 "gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"2"},
                  "iteration_indptr":[0,1,2],"tree_info":[0,0],"trees":[
                   {"id":0,"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[1,0,0],
                    "split_conditions":[2.0E0,1E0,3E0],"default_left":[0,0,0],"split_type":[0,0,0],
                    "base_weights":[0E0,1E0,3E0],"loss_changes":[1.5E0,0E0,0E0]},
                   {"id":1,"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],
                    "split_conditions":[5E-1,1E1,2E1],"default_left":[1,0,0],"split_type":[0,0,0],
                    "base_weights":[0E0,1E1,2E1],"loss_changes":[4E0,0E0,0E0]}]},"name":"gbtree"},
                 "learner_model_param":{"base_score":"%s","num_class":"0","num_feature":"2","num_target":"1"},
                 "objective":{"name":"%s"}},"version":[3,4,0]}
                """.formatted(baseScore, objective);
    }

    @Test
    void scoresLikeXgboostStrictlyBelowGoesLeftAndMissingFollowsTheDefault() {
        XgboostJsonModel model = XgboostJsonModel.parse(model("rank:ndcg", "[5E-1]").getBytes(UTF_8));

        assertThat(model.featureNames()).containsExactly("a", "b");
        assertThat(model.treeCount()).isEqualTo(2);
        assertThat(model.rounds()).isEqualTo(2);
        assertThat(model.margin(new float[] {0.4f, 1.9f})).isEqualTo(0.5f + 1 + 10);
        assertThat(model.margin(new float[] {0.5f, 2f})).isEqualTo(0.5f + 3 + 20);
        assertThat(model.margin(new float[] {Float.NaN, Float.NaN})).isEqualTo(0.5f + 3 + 10);
        assertThat(model.predict(new float[] {0.4f, 1.9f})).isEqualTo(11.5f);
        assertThat(model.margins(new float[] {0.4f, 1.9f, 0.5f, 2f})).containsExactly(11.5f, 23.5f);
        assertThat(model.totalGain()).containsExactly(4.0, 1.5);
        assertThat(model.splitCount()).containsExactly(1, 1);
    }

    @Test
    void logisticModelsTurnTheBaseScoreIntoAMarginAndPredictProbabilities() {
        XgboostJsonModel model = XgboostJsonModel.parse(model("binary:logistic", "2.5E-1").getBytes(UTF_8));

        float margin = (float) Math.log(0.25 / 0.75) + 1 + 10;
        assertThat(model.margin(new float[] {0.4f, 1.9f})).isCloseTo(margin, offset(1e-6f));
        assertThat(model.predict(new float[] {0.4f, 1.9f}))
                .isCloseTo((float) (1 / (1 + Math.exp(-margin))), offset(1e-6f));
    }

    @Test
    void truncateKeepsTheFirstRounds() {
        byte[] cut = XgboostJsonModel.truncate(model("rank:ndcg", "[5E-1]").getBytes(UTF_8), 1);
        XgboostJsonModel model = XgboostJsonModel.parse(cut);

        assertThat(model.treeCount()).isEqualTo(1);
        assertThat(model.rounds()).isEqualTo(1);
        assertThat(model.margin(new float[] {0.4f, 1.9f})).isEqualTo(1.5f);
        assertThat(new String(cut, UTF_8)).contains("\"num_trees\":\"1\"").contains("\"iteration_indptr\":[0,1]")
                .contains("\"loss_changes\":[1.5,0.0,0.0]");
        assertThatThrownBy(() -> XgboostJsonModel.truncate(model("rank:ndcg", "0").getBytes(UTF_8), 3))
                .hasMessage("cannot keep 3 rounds of a model with 2");
    }

    @Test
    void modelsItCannotScoreAreRejectedWithAPath() {
        assertThatThrownBy(() -> XgboostJsonModel.parse("{}".getBytes(UTF_8)))
                .hasMessage("$: missing \"learner\"");
        assertThatThrownBy(() -> XgboostJsonModel.parse("{\"learner\":".getBytes(UTF_8)))
                .hasMessageStartingWith("not an XGBoost JSON model: ");
        assertThatThrownBy(() -> XgboostJsonModel.parse(
                model("rank:ndcg", "0").replace("\"name\":\"gbtree\"", "\"name\":\"dart\"").getBytes(UTF_8)))
                .hasMessage("$.learner.gradient_booster.name: only gbtree models are supported, found [dart]");
        assertThatThrownBy(() -> XgboostJsonModel.parse(
                model("rank:ndcg", "0").replaceFirst("\"split_type\":\\[0,0,0]", "\"split_type\":[1,0,0]")
                        .getBytes(UTF_8)))
                .hasMessage("$.learner.gradient_booster.model.trees[0]: node 0 is a categorical split, which rankql "
                        + "does not score");
        assertThatThrownBy(() -> XgboostJsonModel.parse(
                model("rank:ndcg", "0").replace("\"split_indices\":[1,0,0]", "\"split_indices\":[5,0,0]")
                        .getBytes(UTF_8)))
                .hasMessage("$.learner.gradient_booster.model.trees[0]: node 0 splits on feature 5 of 2");
        assertThatThrownBy(() -> XgboostJsonModel.parse(model("rank:ndcg", "[1,2]").getBytes(UTF_8)))
                .hasMessage("$.learner.learner_model_param.base_score: one value expected, found [1,2]");
    }
}
