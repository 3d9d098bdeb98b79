package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingParamsTests {

    @Test
    void defaultsAreLambdaMartWithOneThreadAndNdcgAt10() {
        TrainingParams params = TrainingParams.defaults();

        assertThat(params.objective()).isEqualTo(Objective.RANK_NDCG);
        assertThat(params.toXgboost()).containsEntry("objective", "rank:ndcg").containsEntry("eval_metric", "ndcg@10")
                .containsEntry("nthread", 1).containsEntry("seed", 42L).containsEntry("eta", "0.1")
                .containsEntry("tree_method", "hist");
        assertThat(params.maximizeMetric()).isTrue();
    }

    @Test
    void overridesFromTextSetTypedFieldsAndPassTheRestToXgboost() {
        TrainingParams params = TrainingParams.defaults().withOverrides(TrainingParams.parseList(
                " objective = rank:pairwise, eta=0.05,num_boost_round=80,early_stopping_rounds=5,"
                        + "eval_metric=map@5,nthread=2,seed=-3,max_depth=4"));

        assertThat(params).isEqualTo(new TrainingParams(Objective.RANK_PAIRWISE, 80, 5, "map@5", 2, -3,
                Map.of("eta", "0.05", "max_depth", "4")));
        assertThat(params.toXgboost()).containsEntry("eta", "0.05").containsEntry("max_depth", "4");
        assertThat(params.withOverrides(Map.of("eval_metric", "rmse")).maximizeMetric()).isFalse();
        assertThat(TrainingParams.parseList(" ")).isEmpty();
    }

    @Test
    void badParametersAreNamed() {
        TrainingParams defaults = TrainingParams.defaults();
        assertThatThrownBy(() -> TrainingParams.parseList("eta=0.1,depth"))
                .hasMessage("parameter [depth] in [eta=0.1,depth] must be key=value");
        assertThatThrownBy(() -> TrainingParams.parseList("eta=0.1,eta=0.2"))
                .hasMessage("parameter [eta] is given twice in [eta=0.1,eta=0.2]");
        assertThatThrownBy(() -> TrainingParams.parseList("=1")).hasMessage("empty parameter name in [=1]");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("objective", "rank:foo")))
                .hasMessage("unknown objective [rank:foo]; expected one of [rank:ndcg, rank:pairwise, rank:map, "
                        + "reg:squarederror, binary:logistic]");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("num_boost_round", "many")))
                .hasMessage("num_boost_round must be an integer, found [many]");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("early_stopping_rounds", "0")))
                .hasMessage("early_stopping_rounds must be at least 1, found 0");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("eval_metric", "ndcg@10,map")))
                .hasMessage("eval_metric must name one metric, found [ndcg@10,map]");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("booster", "dart")))
                .hasMessage("parameter [booster] cannot be changed: rankql trains and scores gbtree ensembles only");
        assertThatThrownBy(() -> new TrainingParams(Objective.RANK_NDCG, 1, 1, "ndcg", 1, 1, Map.of("seed", "1")))
                .hasMessage("parameter [seed] has its own field; use withOverrides to set it from text");
    }
}
