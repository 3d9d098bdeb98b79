package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides a training run besides the data: objective, boosting rounds, early stopping, evaluation
 * metric, threads, seed, and any other XGBoost parameters as text.
 *
 * @param objective the learning objective
 * @param maxRounds the most boosting rounds (trees) to train
 * @param earlyStoppingRounds stop after this many rounds without a better validation metric
 * @param evalMetric XGBoost's name of the metric that early stopping watches on the validation set, such as
 *     {@code ndcg@10}, {@code map@10}, {@code rmse} or {@code logloss}
 * @param nthread XGBoost's thread count; 1 makes floating-point sums, and so models, reproducible
 * @param seed XGBoost's random seed (row and column sampling, pair sampling)
 * @param xgboost further XGBoost parameters, name to value, applied over {@link #DEFAULTS}
 */
public record TrainingParams(Objective objective, int maxRounds, int earlyStoppingRounds, String evalMetric,
        int nthread, long seed, Map<String, String> xgboost) {

    /** XGBoost parameters that rankql sets unless {@link #xgboost()} overrides them. */
    public static final Map<String, String> DEFAULTS = xgboostDefaults();

    /** Parameters with typed fields here; {@link #withOverrides} moves them out of the free-form map. */
    public static final List<String> TYPED = List.of(
            "objective", "num_boost_round", "early_stopping_rounds", "eval_metric", "nthread", "seed");

    private static final Set<String> MANAGED = Set.of("booster");

    public TrainingParams {
        requireNonNull(objective, "objective");
        requireNonNull(evalMetric, "evalMetric");
        if (maxRounds < 1) {
            throw new IllegalArgumentException("num_boost_round must be at least 1, found " + maxRounds);
        }
        if (earlyStoppingRounds < 1) {
            throw new IllegalArgumentException("early_stopping_rounds must be at least 1, found "
                    + earlyStoppingRounds);
        }
        if (evalMetric.isBlank() || evalMetric.contains(",")) {
            throw new IllegalArgumentException("eval_metric must name one metric, found [" + evalMetric + "]");
        }
        if (nthread < 1) {
            throw new IllegalArgumentException("nthread must be at least 1, found " + nthread);
        }
        xgboost = Map.copyOf(requireNonNull(xgboost, "xgboost"));
        for (Map.Entry<String, String> param : xgboost.entrySet()) {
            requireNonNull(param.getValue(), "value of " + param.getKey());
            if (TYPED.contains(param.getKey())) {
                throw new IllegalArgumentException("parameter [" + param.getKey() + "] has its own field; use "
                        + "withOverrides to set it from text");
            }
            if (MANAGED.contains(param.getKey())) {
                throw new IllegalArgumentException("parameter [" + param.getKey() + "] cannot be changed: rankql "
                        + "trains and scores gbtree ensembles only");
            }
        }
    }

    /**
     * The defaults: LambdaMART ({@code rank:ndcg}), at most 500 rounds, early stopping after 30 rounds without
     * improvement of validation {@code ndcg@10}, 1 thread, seed 42, and {@link #DEFAULTS}.
     */
    public static TrainingParams defaults() {
        return new TrainingParams(Objective.RANK_NDCG, 500, 30, "ndcg@10", 1, 42, Map.of());
    }

    /**
     * These parameters with {@code key=value} overrides, as a command line gives them: {@code objective},
     * {@code num_boost_round}, {@code early_stopping_rounds}, {@code eval_metric}, {@code nthread} and {@code seed}
     * set the typed fields, anything else is passed to XGBoost as given.
     *
     * @throws IllegalArgumentException when a typed value does not parse, naming the parameter
     */
    public TrainingParams withOverrides(Map<String, String> overrides) {
        Objective newObjective = objective;
        int rounds = maxRounds;
        int stopping = earlyStoppingRounds;
        String metric = evalMetric;
        int threads = nthread;
        long newSeed = seed;
        Map<String, String> rest = new LinkedHashMap<>(xgboost);
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String key = override.getKey();
            String value = requireNonNull(override.getValue(), "value of " + key).strip();
            switch (key) {
                case "objective" -> newObjective = Objective.parse(value);
                case "num_boost_round" -> rounds = parseInt(key, value);
                case "early_stopping_rounds" -> stopping = parseInt(key, value);
                case "eval_metric" -> metric = value;
                case "nthread" -> threads = parseInt(key, value);
                case "seed" -> newSeed = parseLong(key, value);
                default -> rest.put(key, value);
            }
        }
        return new TrainingParams(newObjective, rounds, stopping, metric, threads, newSeed, rest);
    }

    /**
     * Reads {@code k=v,k=v} (the form of {@code --params}); blanks around keys and values are ignored.
     *
     * @throws IllegalArgumentException when an entry has no {@code =}, an empty key, or a key is repeated
     */
    public static Map<String, String> parseList(String text) {
        requireNonNull(text, "params");
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isBlank()) {
            return params;
        }
        for (String entry : text.split(",", -1)) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter [" + entry.strip() + "] in [" + text
                        + "] must be key=value");
            }
            String key = entry.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("empty parameter name in [" + text + "]");
            }
            if (params.put(key, entry.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("parameter [" + key + "] is given twice in [" + text + "]");
            }
        }
        return params;
    }

    /** Whether a larger value of {@link #evalMetric()} is better, by XGBoost's rule for its metric names. */
    public boolean maximizeMetric() {
        String name = evalMetric.toLowerCase(Locale.ROOT);
        return name.startsWith("ndcg") || name.startsWith("map") || name.startsWith("auc")
                || name.startsWith("pre");
    }

    /** The full XGBoost parameter map of a run: {@link #DEFAULTS}, then the typed fields, then {@link #xgboost()}. */
    public Map<String, Object> toXgboost() {
        Map<String, Object> params = new LinkedHashMap<>(DEFAULTS);
        params.put("objective", objective.xgboostName());
        params.put("eval_metric", evalMetric);
        params.put("nthread", nthread);
        params.put("seed", seed);
        params.putAll(xgboost);
        return params;
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, found [" + value + "]");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, found [" + value + "]");
        }
    }

    private static Map<String, String> xgboostDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("eta", "0.1");
        defaults.put("max_depth", "6");
        defaults.put("tree_method", "hist");
        defaults.put("verbosity", "0");
        return Collections.unmodifiableMap(defaults);
    }
}
