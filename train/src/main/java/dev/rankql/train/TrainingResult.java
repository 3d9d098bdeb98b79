package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a training run: the model as XGBoost JSON, cut to its best round, with the validation history that
 * chose that round and rankql's own evaluation of the model on the validation queries.
 *
 * @param modelJson the model as saved by XGBoost in JSON, holding exactly {@code bestIteration + 1} rounds
 * @param modelDump the same trees as XGBoost's JSON dump ({@code dump_model(dump_format="json")}): an array of trees
 *     whose splits name features, the {@code model/xgboost+json} format of the Elasticsearch and OpenSearch LTR
 *     plugins; it has no base score, which shifts every score of a query alike
 * @param featureNames the feature columns the model reads, in order
 * @param params the parameters of the run
 * @param bestIteration the 0-based round with the best validation metric (XGBoost's {@code best_iteration})
 * @param roundsTrained how many rounds ran before early stopping (or the round limit) ended training
 * @param validationHistory the validation metric ({@link TrainingParams#evalMetric()}, as XGBoost computes it) after
 *     each round, {@code roundsTrained} values
 * @param validation the model's ranking of the validation candidates evaluated with trec_eval's metrics, against
 *     the judgments given to the trainer (by default the validation rows' grades)
 */
public record TrainingResult(byte[] modelJson, String modelDump, List<String> featureNames, TrainingParams params,
        int bestIteration, int roundsTrained, double[] validationHistory, EvaluationResult validation) {

    public TrainingResult {
        modelJson = requireNonNull(modelJson, "modelJson").clone();
        requireNonNull(modelDump, "modelDump");
        featureNames = List.copyOf(featureNames);
        requireNonNull(params, "params");
        validationHistory = requireNonNull(validationHistory, "validationHistory").clone();
        requireNonNull(validation, "validation");
        if (validationHistory.length != roundsTrained) {
            throw new IllegalArgumentException("expected " + roundsTrained + " validation values, found "
                    + validationHistory.length);
        }
        if (bestIteration < 0 || bestIteration >= roundsTrained) {
            throw new IllegalArgumentException("best iteration " + bestIteration + " is not one of the "
                    + roundsTrained + " rounds");
        }
    }

    /** The validation metric at the best round. */
    public double bestScore() {
        return validationHistory[bestIteration];
    }

    /** The model read for scoring in Java. */
    public XgboostJsonModel model() {
        return XgboostJsonModel.parse(modelJson);
    }

    /** Writes the model JSON to a file, replacing it. */
    public void writeModel(Path file) throws IOException {
        Files.write(file, modelJson);
    }

    @Override
    public byte[] modelJson() {
        return modelJson.clone();
    }

    @Override
    public double[] validationHistory() {
        return validationHistory.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingResult r && Arrays.equals(modelJson, r.modelJson)
                && modelDump.equals(r.modelDump)
                && featureNames.equals(r.featureNames) && params.equals(r.params)
                && bestIteration == r.bestIteration && roundsTrained == r.roundsTrained
                && Arrays.equals(validationHistory, r.validationHistory) && validation.equals(r.validation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(modelJson), modelDump, featureNames, params, bestIteration, roundsTrained,
                Arrays.hashCode(validationHistory), validation);
    }

    @Override
    public String toString() {
        return "TrainingResult[" + params.objective().xgboostName() + ", best round " + bestIteration + " of "
                + roundsTrained + ", " + params.evalMetric() + "=" + bestScore() + ", " + validation + "]";
    }
}
