package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.eval.Evaluator;
import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.Qrels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrainerTests {

    private static final Metric NDCG10 = new Metric.Ndcg(10);

    private static TrainingSet train;
    private static TrainingSet validation;

    @BeforeAll
    static void split() {
        TrainingSet all = Synthetic.ranking(80, 20, 7);
        QuerySplit split = QuerySplit.random(all.queryIds(), 0.25, 11);
        train = all.select(split.train());
        validation = all.select(split.validation());
    }

    private static TrainingParams params(String overrides) {
        return TrainingParams.defaults()
                .withOverrides(Map.of("num_boost_round", "200", "early_stopping_rounds", "15"))
                .withOverrides(TrainingParams.parseList(overrides));
    }

    @Test
    void lambdaMartLearnsAnInteractionThatNoSingleFeatureRanks() throws Exception {
        TrainingResult result = new Trainer(params("")).train(train, validation);

        double model = result.validation().mean(NDCG10);
        double bestSingleFeature = 0;
        for (int f = 0; f < validation.featureCount(); f++) {
            for (int sign : new int[] {1, -1}) {
                float[] scores = new float[validation.rowCount()];
                for (int row = 0; row < scores.length; row++) {
                    float v = validation.feature(row, f);
                    scores[row] = Float.isNaN(v) ? Float.NEGATIVE_INFINITY : sign * v;
                }
                double ndcg = Evaluator.evaluate(validation.qrels(), validation.rank(scores), List.of(NDCG10))
                        .mean(NDCG10);
                bestSingleFeature = Math.max(bestSingleFeature, ndcg);
            }
        }
        assertThat(model).isGreaterThan(bestSingleFeature + 0.15);
        assertThat(result.bestScore()).isGreaterThan(0.5);
        double[] gain = result.model().totalGain();
        assertThat(Math.min(gain[0], gain[1])).isGreaterThan(Math.max(gain[2], gain[3]));
    }

    @Test
    void theSavedModelHoldsExactlyTheRoundsUpToTheBestIteration() throws Exception {
        TrainingResult result = new Trainer(params("")).train(train, validation);

        assertThat(result.roundsTrained()).isLessThan(200);
        assertThat(result.roundsTrained()).isEqualTo(result.bestIteration() + 1 + 15);
        assertThat(result.validationHistory()).hasSize(result.roundsTrained());
        double best = result.validationHistory()[result.bestIteration()];
        for (int round = 0; round < result.roundsTrained(); round++) {
            assertThat(result.validationHistory()[round]).isLessThanOrEqualTo(best);
        }
        JsonNode json = JsonMapper.builder().build().readTree(result.modelJson());
        JsonNode model = json.path("learner").path("gradient_booster").path("model");
        assertThat(model.path("trees").size()).isEqualTo(result.bestIteration() + 1);
        assertThat(model.path("iteration_indptr").size()).isEqualTo(result.bestIteration() + 2);
        assertThat(json.path("learner").path("attributes").path("best_iteration").asString())
                .isEqualTo(Integer.toString(result.bestIteration()));
        assertThat(json.path("learner").path("feature_names").toString()).isEqualTo("[\"x\",\"y\",\"noise1\","
                + "\"noise2\"]");
        assertThat(result.model().rounds()).isEqualTo(result.bestIteration() + 1);
        JsonNode dump = JsonMapper.builder().build().readTree(result.modelDump());
        assertThat(dump.isArray()).isTrue();
        assertThat(dump.size()).isEqualTo(result.bestIteration() + 1);
        assertThat(dump.get(0).path("split").asString()).isIn(Synthetic.NAMES);
        assertThat(dump.get(0).has("missing")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void javaScoringOfTheSavedJsonAgreesWithXgboost(Objective objective) throws Exception {
        boolean binary = objective == Objective.BINARY_LOGISTIC || objective == Objective.RANK_MAP;
        TrainingSet trainSet = binary ? Synthetic.binary(train) : train;
        TrainingSet validationSet = binary ? Synthetic.binary(validation) : validation;
        TrainingParams params = params("objective=" + objective.xgboostName() + ",num_boost_round=20");
        TrainingResult result = new Trainer(params).train(trainSet, validationSet);

        XgboostJsonModel javaModel = XgboostJsonModel.parse(result.modelJson());
        assertThat(javaModel.objective()).isEqualTo(objective.xgboostName());
        Booster reloaded = XGBoost.loadModel(result.modelJson());
        DMatrix matrix = new DMatrix(validationSet.featureBlock(), validationSet.rowCount(),
                validationSet.featureCount(), Float.NaN);
        try {
            Map<String, Double> xgboostGain = reloaded.getScore("", "total_gain");
            double[] javaGain = javaModel.totalGain();
            for (int f = 0; f < javaGain.length; f++) {
                String name = validationSet.featureNames().get(f);
                assertThat(javaGain[f]).as(name)
                        .isCloseTo(xgboostGain.getOrDefault(name, 0.0), org.assertj.core.data.Offset.offset(
                                1e-3 * Math.max(1, javaGain[f])));
            }
            float[][] margins = reloaded.predict(matrix, true);
            float[][] predictions = reloaded.predict(matrix);
            for (int row = 0; row < validationSet.rowCount(); row++) {
                float[] features = validationSet.row(row);
                assertThat(javaModel.margin(features)).isCloseTo(margins[row][0], within(margins[row][0]));
                assertThat(javaModel.predict(features)).isCloseTo(predictions[row][0], within(predictions[row][0]));
            }
        } finally {
            matrix.dispose();
            reloaded.dispose();
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float expected) {
        return org.assertj.core.data.Offset.offset(1e-5f * Math.max(1, Math.abs(expected)));
    }

    @Test
    void aRefitTrainsExactlyTheRoundsAskedOnEveryRowAndScoresAsXgboostDoes() throws Exception {
        TrainingSet all = Synthetic.ranking(80, 20, 7);
        Trainer trainer = new Trainer(params("max_depth=3,eta=0.3"));
        Refit refit = trainer.refit(all, 12);

        assertThat(refit.rounds()).isEqualTo(12);
        assertThat(refit.queries()).isEqualTo(80);
        assertThat(refit.rows()).isEqualTo(all.rowCount());
        assertThat(refit.model().treeCount()).isEqualTo(12);
        assertThat(refit.modelDump()).startsWith("[").contains("\"split\"");
        assertThat(trainer.refit(all, 12)).isEqualTo(refit);
        // Trained on every query, it ranks the validation queries at least as well as a model that never saw them.
        double seen = Evaluator.evaluate(validation.qrels(), validation.rank(refit.model().margins(
                validation.featureBlock())), List.of(NDCG10)).mean(NDCG10);
        assertThat(seen).isGreaterThanOrEqualTo(trainer.train(train, validation).validation().mean(NDCG10));

        assertThatThrownBy(() -> trainer.refit(all, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a refit needs at least 1 round, got 0");
        assertThatThrownBy(() -> trainer.refit(all.select(List.of()), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the refit set has no rows");
    }

    @Test
    void theSameSeedGivesTheSameModelBytes() throws Exception {
        TrainingParams sampled = params("subsample=0.7,colsample_bytree=0.8,num_boost_round=15");
        byte[] first = new Trainer(sampled).train(train, validation).modelJson();
        byte[] second = new Trainer(sampled).train(train, validation).modelJson();
        byte[] otherSeed = new Trainer(sampled.withOverrides(Map.of("seed", "43"))).train(train, validation)
                .modelJson();

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void fullJudgmentsCountRelevantDocumentsMissingFromTheCandidatesAsMisses() throws Exception {
        Qrels.Builder judgments = Qrels.builder();
        for (String query : validation.queryIds()) {
            judgments.add(query, query + "-never-retrieved", 2);
        }
        Qrels rowGrades = validation.qrels();
        for (String query : rowGrades.queryIds()) {
            rowGrades.judgments(query).forEach((doc, grade) -> judgments.add(query, doc, grade));
        }
        Trainer trainer = new Trainer(params("num_boost_round=10"));

        TrainingResult onRows = trainer.train(train, validation);
        TrainingResult onJudgments = trainer.train(train, validation, judgments.build());

        assertThat(onJudgments.modelJson()).isEqualTo(onRows.modelJson());
        assertThat(onJudgments.validation().queryIds()).containsExactlyInAnyOrderElementsOf(validation.queryIds());
        assertThat(onJudgments.validation().mean(NDCG10)).isLessThan(onRows.validation().mean(NDCG10));
    }

    @Test
    void theListenerHearsEveryRound() throws Exception {
        List<Integer> rounds = new ArrayList<>();
        TrainingResult result = new Trainer(params("num_boost_round=12"), Trainer.DEFAULT_METRICS,
                (round, max, value, bestRound, bestValue) -> {
                    assertThat(max).isEqualTo(12);
                    assertThat(bestRound).isLessThanOrEqualTo(round);
                    rounds.add(round);
                }).train(train, validation);

        assertThat(rounds).hasSize(result.roundsTrained());
        assertThat(rounds.get(rounds.size() - 1)).isEqualTo(result.roundsTrained() - 1);
    }

    @Test
    void xgboostErrorsBecomeTrainingExceptions() {
        assertThatThrownBy(() -> new Trainer(params("max_depth=deep")).train(train, validation))
                .isInstanceOf(TrainingException.class)
                .hasMessageStartingWith("XGBoost: ")
                .hasMessageContaining("max_depth");
    }

    @Test
    void inputsThatCannotTrainAreRejectedClearly() {
        TrainingSet otherFeatures = TrainingSet.builder(List.of("x")).add("q", "d", 1, new float[] {1}).build();
        assertThatThrownBy(() -> new Trainer(params("")).train(train, otherFeatures))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different features");
        TrainingSet empty = TrainingSet.builder(Synthetic.NAMES).build();
        assertThatThrownBy(() -> new Trainer(params("")).train(train, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the validation set has no rows; early stopping needs validation queries");
        assertThatThrownBy(() -> new Trainer(params("")).train(train, train.select(List.of(train.queryId(3)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query [" + train.queryId(3) + "] is in both the training and the validation set");
        assertThatThrownBy(() -> new Trainer(params("objective=binary:logistic")).train(train, validation))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary:logistic needs grades 0 and 1");
    }

    @Test
    void writtenModelFilesAreTheReturnedJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TrainingResult result = new Trainer(params("num_boost_round=5")).train(train, validation);
        java.nio.file.Path file = dir.resolve("model.json");
        result.writeModel(file);

        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(result.modelJson());
        assertThat(new String(result.modelJson(), StandardCharsets.UTF_8)).startsWith("{\"learner\":");
    }
}
