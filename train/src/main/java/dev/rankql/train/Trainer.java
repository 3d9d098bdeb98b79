package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.EvaluationResult;
import dev.rankql.engine.eval.Evaluator;
import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.Qrels;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a tree ensemble (LambdaMART by default) with xgboost4j on a training set, stopping early on a validation
 * set, and returns the model cut to its best round as XGBoost JSON.
 *
 * <p>Rounds are driven one at a time here rather than inside {@code XGBoost.train}, so that a listener can follow
 * them and the validation metric of every round is kept. After training, the JSON model is cut to the best round
 * ({@link XgboostJsonModel#truncate}) and re-loaded into XGBoost, which writes it back with {@code best_iteration} and
 * {@code best_score} attributes; a model therefore scores the same with every tool, none of which needs to know the
 * best iteration. Before returning, the trainer checks that the plain Java scorer ({@link XgboostJsonModel}) and
 * XGBoost agree on the validation rows.
 */
public final class Trainer {

    /** The metrics of {@link TrainingResult#validation()} unless others are asked for. */
    public static final List<Metric> DEFAULT_METRICS =
            List.of(new Metric.Ndcg(10), new Metric.AveragePrecision(), new Metric.ReciprocalRank(10));

    private static final String VALIDATION = "validation";

    /** The largest difference between Java and XGBoost margins accepted, relative to the margin's size. */
    private static final double AGREEMENT = 1e-4;

    private final TrainingParams params;
    private final List<Metric> metrics;
    private final TrainingListener listener;

    /** A trainer with the given parameters, evaluating {@link #DEFAULT_METRICS} and reporting to nobody. */
    public Trainer(TrainingParams params) {
        this(params, DEFAULT_METRICS, TrainingListener.NONE);
    }

    /** A trainer with the given parameters, validation metrics and listener. */
    public Trainer(TrainingParams params, List<Metric> metrics, TrainingListener listener) {
        this.params = requireNonNull(params, "params");
        this.metrics = List.copyOf(metrics);
        this.listener = requireNonNull(listener, "listener");
        if (this.metrics.isEmpty()) {
            throw new IllegalArgumentException("at least one validation metric is needed");
        }
    }

    /**
     * Trains on {@code train}, early-stopping on {@code validation}.
     *
     * @throws IllegalArgumentException when a set is empty, the two sets have different features, or the grades do
     *     not suit the objective
     * @throws TrainingException when XGBoost rejects a parameter or fails
     */
    public TrainingResult train(TrainingSet train, TrainingSet validation) throws TrainingException {
        return train(train, validation, requireNonNull(validation, "validation").qrels());
    }

    /**
     * Trains on {@code train}, early-stopping on {@code validation}, and evaluates the final model against
     * {@code judgments} (restricted to the validation queries) instead of the validation rows' grades, so that
     * relevant documents missing from the candidates count as misses, as they do for {@code rankql eval}.
     *
     * @throws IllegalArgumentException when a set is empty, the two sets have different features, or the grades do
     *     not suit the objective
     * @throws TrainingException when XGBoost rejects a parameter or fails
     */
    public TrainingResult train(TrainingSet train, TrainingSet validation, Qrels judgments)
            throws TrainingException {
        check(requireNonNull(train, "train"), requireNonNull(validation, "validation"));
        requireNonNull(judgments, "judgments");
        DMatrix trainMatrix = null;
        DMatrix validationMatrix = null;
        Booster booster = null;
        Booster best = null;
        try {
            trainMatrix = matrix(train);
            validationMatrix = matrix(validation);
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put(VALIDATION, validationMatrix);
            booster = XGBoost.train(trainMatrix, params.toXgboost(), 0, watches, null, null);
            double[] history = new double[params.maxRounds()];
            boolean maximize = params.maximizeMetric();
            int bestRound = -1;
            double bestValue = Double.NaN;
            int rounds = 0;
            DMatrix[] evalSets = {validationMatrix};
            String[] evalNames = {VALIDATION};
            for (int round = 0; round < params.maxRounds(); round++) {
                booster.update(trainMatrix, round);
                double value = metricValue(booster.evalSet(evalSets, evalNames, round));
                history[round] = value;
                rounds = round + 1;
                if (bestRound < 0 || better(value, bestValue, maximize)) {
                    bestRound = round;
                    bestValue = value;
                }
                listener.roundFinished(round, params.maxRounds(), value, bestRound, bestValue);
                if (round - bestRound >= params.earlyStoppingRounds()) {
                    break;
                }
            }
            byte[] cut = XgboostJsonModel.truncate(booster.toByteArray("json"), bestRound + 1);
            best = XGBoost.loadModel(cut);
            best.setAttr("best_iteration", Integer.toString(bestRound));
            best.setAttr("best_score", Double.toString(bestValue));
            byte[] json = best.toByteArray("json");
            String dump = "[" + String.join(",", best.getModelDump(train.featureNames().toArray(String[]::new), false,
                    "json")) + "]";
            float[] javaMargins = XgboostJsonModel.parse(json).margins(validation.featureBlock());
            checkAgreement(javaMargins, best.predict(validationMatrix, true), "the saved model");
            checkAgreement(javaMargins, booster.predict(validationMatrix, true, bestRound + 1),
                    "the trained booster limited to the best round");
            EvaluationResult evaluation = Evaluator.evaluate(judgments.restrictTo(validation.queryIds()),
                    validation.rank(javaMargins), metrics);
            return new TrainingResult(json, dump, train.featureNames(), params, bestRound, rounds,
                    Arrays.copyOf(history, rounds), evaluation);
        } catch (XGBoostError | IOException e) {
            throw new TrainingException("XGBoost: " + firstLine(e.getMessage()), e);
        } finally {
            dispose(best);
            dispose(booster);
            if (validationMatrix != null) {
                validationMatrix.dispose();
            }
            if (trainMatrix != null) {
                trainMatrix.dispose();
            }
        }
    }

    /**
     * Trains for exactly {@code rounds} rounds on {@code set}, without validation: the final fit on every judged query
     * once {@link #train early stopping} has chosen how many rounds to run (more data supports more rounds, so callers
     * usually scale the early-stopped count by the growth in queries). Checks, as {@link #train} does, that the Java
     * scorer and XGBoost agree on the rows.
     *
     * @throws IllegalArgumentException when the set is empty or {@code rounds} is below 1
     * @throws TrainingException when XGBoost rejects a parameter or fails
     */
    public Refit refit(TrainingSet set, int rounds) throws TrainingException {
        requireNonNull(set, "set");
        if (set.rowCount() == 0) {
            throw new IllegalArgumentException("the refit set has no rows");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("a refit needs at least 1 round, got " + rounds);
        }
        DMatrix matrix = null;
        Booster booster = null;
        try {
            matrix = matrix(set);
            booster = XGBoost.train(matrix, params.toXgboost(), rounds, new LinkedHashMap<>(), null, null);
            byte[] json = booster.toByteArray("json");
            String dump = "[" + String.join(",", booster.getModelDump(set.featureNames().toArray(String[]::new), false,
                    "json")) + "]";
            checkAgreement(XgboostJsonModel.parse(json).margins(set.featureBlock()), booster.predict(matrix, true),
                    "the refitted model");
            return new Refit(json, dump, rounds, set.queryCount(), set.rowCount());
        } catch (XGBoostError e) {
            throw new TrainingException("XGBoost: " + firstLine(e.getMessage()), e);
        } finally {
            dispose(booster);
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    private void check(TrainingSet train, TrainingSet validation) {
        if (train.rowCount() == 0) {
            throw new IllegalArgumentException("the training set has no rows");
        }
        if (validation.rowCount() == 0) {
            throw new IllegalArgumentException("the validation set has no rows; early stopping needs validation "
                    + "queries");
        }
        if (train.featureCount() == 0) {
            throw new IllegalArgumentException("the training set has no features");
        }
        if (!train.featureNames().equals(validation.featureNames())) {
            throw new IllegalArgumentException("training and validation sets have different features: "
                    + train.featureNames() + " and " + validation.featureNames());
        }
        Set<String> trainQueries = new HashSet<>(train.queryIds());
        for (String query : validation.queryIds()) {
            if (trainQueries.contains(query)) {
                throw new IllegalArgumentException("query [" + query + "] is in both the training and the validation "
                        + "set");
            }
        }
        if (params.objective() == Objective.BINARY_LOGISTIC) {
            for (TrainingSet set : List.of(train, validation)) {
                for (int row = 0; row < set.rowCount(); row++) {
                    if (set.grade(row) != 0 && set.grade(row) != 1) {
                        throw new IllegalArgumentException("binary:logistic needs grades 0 and 1, but document ["
                                + set.docId(row) + "] has grade " + set.grade(row));
                    }
                }
            }
        }
    }

    private static DMatrix matrix(TrainingSet set) throws XGBoostError {
        DMatrix matrix = new DMatrix(set.featureBlock(), set.rowCount(), set.featureCount(), Float.NaN);
        matrix.setLabel(set.labels());
        matrix.setGroup(set.groupSizes());
        matrix.setFeatureNames(set.featureNames().toArray(String[]::new));
        return matrix;
    }

    /** Reads the value from XGBoost's evaluation line, {@code [round]\tvalidation-metric:value}. */
    static double metricValue(String line) {
        int colon = line.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("unexpected XGBoost evaluation output [" + line + "]");
        }
        try {
            return Double.parseDouble(line.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected XGBoost evaluation output [" + line + "]", e);
        }
    }

    private static boolean better(double value, double best, boolean maximize) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return maximize ? value > best : value < best;
    }

    private static void checkAgreement(float[] java, float[][] xgboost, String what) {
        if (xgboost.length != java.length) {
            throw new IllegalStateException("XGBoost scored " + xgboost.length + " rows of " + what + ", expected "
                    + java.length);
        }
        for (int i = 0; i < java.length; i++) {
            double tolerance = AGREEMENT * Math.max(1, Math.abs(xgboost[i][0]));
            if (!(Math.abs(java[i] - xgboost[i][0]) <= tolerance)) {
                throw new IllegalStateException("row " + i + ": the Java scorer gives " + java[i] + " but XGBoost "
                        + "gives " + xgboost[i][0] + " for " + what);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void dispose(Booster booster) {
        if (booster != null) {
            booster.dispose();
        }
    }
}
