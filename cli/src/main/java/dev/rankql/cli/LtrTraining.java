package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import dev.rankql.engine.Engine;
import dev.rankql.engine.eval.EvaluationResult;
import dev.rankql.engine.eval.Evaluator;
import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.Query;
import dev.rankql.engine.eval.RequestTemplate;
import dev.rankql.engine.ltr.FeatureExtractor;
import dev.rankql.train.QuerySplit;
import dev.rankql.train.Refit;
import dev.rankql.train.Trainer;
import dev.rankql.train.TrainingException;
import dev.rankql.train.TrainingListener;
import dev.rankql.train.TrainingParams;
import dev.rankql.train.TrainingResult;
import dev.rankql.train.TrainingSet;
import dev.rankql.train.XgboostJsonModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The training loop of {@code rankql train} and {@code rankql demo}: log the feature set's features for the top hits
 * of the request's first pass, split the queries into training and validation parts, train LambdaMART with
 * early stopping, and deploy the model with its feature set.
 *
 * <p>Features come from {@link Engine#logFeatures}, which runs the very extractors the rescorer runs, so a model sees
 * at serving time exactly the values it was trained on. Only the first pass's top {@code top} hits become rows (the
 * documents the model will rerank), graded by the judgments and 0 when unjudged; a relevant document the first pass
 * missed counts as a miss in the validation metrics, as it does for {@code rankql eval}.
 */
final class LtrTraining {

    /**
     * What to train on.
     *
     * @param index the index to search
     * @param featureSetJson the feature set: a JSON list of extractors (or an object with {@code feature_extractors})
     * @param queries the query texts
     * @param judgments the training judgments
     * @param validationJudgments separate validation judgments, whose queries validate; else a grouped split
     * @param template the request whose first pass gives the candidates
     * @param top the candidates per query
     * @param params the XGBoost parameters
     * @param validationFraction the share of queries that validate in a grouped split
     * @param seed the seed of the split
     * @param refit whether the deployed model is trained again on the training and validation queries together, for
     *     the early-stopped number of rounds scaled by the growth in queries
     */
    record Setup(String index, String featureSetJson, List<Query> queries, Qrels judgments,
            Optional<Qrels> validationJudgments, RequestTemplate template, int top, TrainingParams params,
            double validationFraction, long seed, boolean refit) {

        Setup {
            requireNonNull(index, "index");
            requireNonNull(featureSetJson, "featureSetJson");
            queries = List.copyOf(queries);
            requireNonNull(judgments, "judgments");
            requireNonNull(validationJudgments, "validationJudgments");
            requireNonNull(template, "template");
            requireNonNull(params, "params");
            if (top < 1) {
                throw CommandFailure.badRequest("--top must be at least 1, got " + top);
            }
            if (validationJudgments.isEmpty() && !(validationFraction > 0 && validationFraction < 1)) {
                throw CommandFailure.badRequest("--validation-fraction must be strictly between 0 and 1, got "
                        + validationFraction);
            }
        }
    }

    /**
     * One split's models: the early-stopped model and, when {@link Setup#refit} asks for it, the model trained again on
     * every query with a relevant candidate, which is then the one that ranks.
     *
     * @param result the early-stopped model and its validation evaluation
     * @param train the training part's rows (queries with a relevant candidate)
     * @param validation the validation part's rows
     * @param refit the refitted model, when asked for
     */
    record Fitted(TrainingResult result, TrainingSet train, TrainingSet validation, Optional<Refit> refit) {

        /** The JSON of the model that ranks: the refit when there is one, else the early-stopped model. */
        byte[] deployedJson() {
            return refit.map(Refit::modelJson).orElseGet(result::modelJson);
        }
    }

    /**
     * What training gave.
     *
     * @param fitted the models of the split
     * @param split the query split
     * @param before the first pass's ranking of the validation candidates, evaluated like {@code result().validation()}
     */
    record Outcome(Fitted fitted, QuerySplit split, EvaluationResult before) {

        /** The early-stopped model and its validation evaluation. */
        TrainingResult result() {
            return fitted.result();
        }

        /** The refitted model, which is the one deployed, when {@link Setup#refit} asked for it. */
        Optional<Refit> refit() {
            return fitted.refit();
        }

        /** The deployed model's JSON. */
        byte[] deployedJson() {
            return fitted.deployedJson();
        }

        /** Queries of the training part that have a relevant candidate (the others teach nothing). */
        int trainQueries() {
            return fitted.train().queryCount();
        }

        /** Rows of the training part. */
        int trainRows() {
            return fitted.train().rowCount();
        }

        /** Rows of the validation part. */
        int validationRows() {
            return fitted.validation().rowCount();
        }

        /** The feature names with their total gain in the deployed model, largest first. */
        List<Map.Entry<String, Double>> importance() {
            var model = refit().map(Refit::model).orElseGet(result()::model);
            double[] gain = model.totalGain();
            var entries = new ArrayList<Map.Entry<String, Double>>();
            for (int f = 0; f < gain.length; f++) {
                entries.add(Map.entry(model.featureNames().get(f), gain[f]));
            }
            entries.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
            return entries;
        }
    }

    private LtrTraining() {}

    /**
     * Logs, splits, trains and deploys the model as {@code modelId} (replacing a model of that id).
     *
     * @throws CommandFailure for input that cannot train (no query, an empty validation part, a bad parameter)
     */
    static Outcome train(Engine engine, Setup setup, String modelId, Progress.Factory progress) {
        var logs = log(engine, setup, progress);
        var all = logs.all();
        var judgments = logs.judgments();
        var queryIds = logs.queryIds();
        var firstPass = logs.firstPass();
        var split = split(setup, judgments, queryIds);
        Fitted fitted;
        try (var bar = progress.count("train", " rounds", setup.params().maxRounds())) {
            fitted = fit(setup, all, judgments, split, queryIds,
                    (round, max, value, bestRound, bestValue) -> bar.readTo(round + 1L), "");
        }
        var validation = fitted.validation();
        Map<String, List<String>> validationFirstPass = new LinkedHashMap<>();
        validation.queryIds().forEach(q -> validationFirstPass.put(q, firstPass.get(q)));
        var before = Evaluator.evaluate(judgments.restrictTo(validation.queryIds()), validationFirstPass,
                Trainer.DEFAULT_METRICS);
        var outcome = new Outcome(fitted, split, before);
        engine.putModel(modelId, "xgboost", new String(outcome.deployedJson(), StandardCharsets.UTF_8),
                setup.featureSetJson(), true);
        return outcome;
    }

    /**
     * One fold of a cross-validation.
     *
     * @param queries the judged queries held out in this fold
     * @param bestIteration the early-stopped model's best round (0-based)
     * @param refitRounds the rounds of the refitted model that ranked the fold, when {@link Setup#refit} asked for it
     * @param firstPass the first pass's ranking of the fold's candidates, evaluated
     * @param model the fold model's ranking of the same candidates, evaluated
     */
    record Fold(int queries, int bestIteration, Optional<Integer> refitRounds, EvaluationResult firstPass,
            EvaluationResult model) {}

    /**
     * What cross-validation gave: every judged query ranked by a model trained without it, against the first pass's
     * ranking of the same candidates.
     *
     * @param grouped whether queries that share a relevant document were kept in one fold
     * @param folds the folds, in order
     * @param firstPass the first pass over all judged queries, evaluated
     * @param model the held-out rankings over all judged queries, evaluated
     */
    record CrossValidation(boolean grouped, List<Fold> folds, EvaluationResult firstPass, EvaluationResult model) {}

    /**
     * Logs every judged query once, then for each of {@code k} folds trains a model exactly as {@link #train} does
     * (early stopping on a split of the other folds, and the refit when asked) on the other folds and ranks the fold's
     * queries with it; deploys nothing.
     *
     * @param grouped whether queries sharing a relevant document stay in one fold (the unseen-documents situation),
     *     or every query is placed on its own
     * @param foldSeed the seed of the assignment of queries to folds
     * @throws CommandFailure for input that cannot be cross-validated
     */
    static CrossValidation crossValidate(Engine engine, Setup setup, int k, boolean grouped, long foldSeed,
            Progress.Factory progress) {
        if (k < 2) {
            throw CommandFailure.badRequest("--cross-validate needs at least 2 folds, got " + k);
        }
        if (setup.validationJudgments().isPresent()) {
            throw CommandFailure.badRequest("--cross-validate splits --qrels itself; it cannot take --validation-qrels");
        }
        var logs = log(engine, setup, progress);
        var all = logs.all();
        var judgments = logs.judgments();
        if (logs.queryIds().size() < k) {
            throw CommandFailure.badRequest("--cross-validate " + k + " needs at least " + k + " judged queries with a "
                    + "relevant document, found " + logs.queryIds().size());
        }
        var logged = new HashSet<>(all.queryIds());
        List<List<String>> folds = folds(logs.queryIds(), judgments, k, grouped, foldSeed);
        Map<String, List<String>> rankings = new LinkedHashMap<>();
        List<Fold> results = new ArrayList<>();
        try (var bar = progress.count("folds", " folds", k)) {
            for (int f = 0; f < k; f++) {
                var held = new HashSet<>(folds.get(f));
                var rest = logs.queryIds().stream().filter(q -> !held.contains(q)).toList();
                QuerySplit inner;
                try {
                    inner = QuerySplit.grouped(rest, judgments, setup.validationFraction(), setup.seed());
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.badRequest("fold " + (f + 1) + ": cannot split the other folds: "
                            + e.getMessage());
                }
                var fitted = fit(setup, all, judgments, inner, rest, TrainingListener.NONE, "fold " + (f + 1) + ": ");
                var test = all.select(folds.get(f).stream().filter(logged::contains).toList());
                var ranked = test.rank(XgboostJsonModel.parse(fitted.deployedJson()).margins(test.featureBlock()));
                rankings.putAll(ranked);
                var foldJudgments = judgments.restrictTo(folds.get(f));
                results.add(new Fold(folds.get(f).size(), fitted.result().bestIteration(),
                        fitted.refit().map(Refit::rounds),
                        Evaluator.evaluate(foldJudgments, logs.firstPass(), Trainer.DEFAULT_METRICS),
                        Evaluator.evaluate(foldJudgments, ranked, Trainer.DEFAULT_METRICS)));
                bar.readTo(f + 1L);
            }
        }
        return new CrossValidation(grouped, results,
                Evaluator.evaluate(judgments, logs.firstPass(), Trainer.DEFAULT_METRICS),
                Evaluator.evaluate(judgments, rankings, Trainer.DEFAULT_METRICS));
    }

    /**
     * Trains on the split's training part with early stopping on its validation part, then refits on the
     * {@code everything} queries when the setup asks for it; {@code where} prefixes every error (a fold's number).
     */
    private static Fitted fit(Setup setup, TrainingSet all, Qrels judgments, QuerySplit split, List<String> everything,
            TrainingListener listener, String where) {
        var train = all.select(withRelevantRows(all, split.train()));
        var logged = new HashSet<>(all.queryIds());
        var validation = all.select(split.validation().stream().filter(logged::contains).toList());
        if (train.rowCount() == 0) {
            throw CommandFailure.badRequest(where + "no training query has a relevant document among the top "
                    + setup.top() + " hits of its request; nothing to learn from");
        }
        if (validation.rowCount() == 0) {
            throw CommandFailure.badRequest(where + "the first pass found no document for any validation query");
        }
        var trainer = new Trainer(setup.params(), Trainer.DEFAULT_METRICS, listener);
        TrainingResult result;
        try {
            result = trainer.train(train, validation, judgments);
        } catch (TrainingException e) {
            throw CommandFailure.failed(where + "training failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(where + "training failed: " + e.getMessage());
        }
        Optional<Refit> refit = Optional.empty();
        if (setup.refit()) {
            try {
                refit = Optional.of(refit(trainer, result, train, all.select(withRelevantRows(all, everything))));
            } catch (TrainingException e) {
                throw CommandFailure.failed(where + "refitting failed: " + e.getMessage(), e);
            }
        }
        return new Fitted(result, train, validation, refit);
    }

    /**
     * Trains on {@code everything} (training and validation queries) for the early-stopped round count scaled by the
     * growth in queries: more data supports proportionally more rounds.
     */
    private static Refit refit(Trainer trainer, TrainingResult result, TrainingSet train, TrainingSet everything)
            throws TrainingException {
        int rounds = (int) Math.round((result.bestIteration() + 1) * (double) everything.queryCount()
                / train.queryCount());
        return trainer.refit(everything, Math.max(1, rounds));
    }

    /**
     * Assigns the queries to {@code k} folds: the groups (queries sharing a relevant document, or single queries) in
     * an order shuffled by the seed, then largest first, each to the fold that is smallest so far (the first of
     * equals).
     */
    static List<List<String>> folds(List<String> queryIds, Qrels judgments, int k, boolean grouped, long seed) {
        List<List<String>> groups = new ArrayList<>();
        if (grouped) {
            groups.addAll(QuerySplit.groups(queryIds, judgments));
        } else {
            queryIds.stream().sorted().forEach(q -> groups.add(List.of(q)));
        }
        Collections.shuffle(groups, new Random(seed));
        groups.sort((a, b) -> Integer.compare(b.size(), a.size()));
        List<List<String>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        for (var group : groups) {
            var smallest = folds.getFirst();
            for (var fold : folds) {
                if (fold.size() < smallest.size()) {
                    smallest = fold;
                }
            }
            smallest.addAll(group);
        }
        return folds;
    }

    /**
     * Every judged query's logged candidates, with the judgments (training and validation merged), the judged query
     * ids with a relevant document, sorted, and each query's first-pass ranking.
     */
    private record Logged(TrainingSet all, Qrels judgments, List<String> queryIds, Map<String, List<String>> firstPass) {}

    /** Logs the features of the first pass's top hits for every judged query with a relevant document. */
    private static Logged log(Engine engine, Setup setup, Progress.Factory progress) {
        var deployed = engine.models().featureSetOnly(setup.featureSetJson());
        List<String> names = deployed.ltr().orElseThrow().extractors().stream()
                .map(FeatureExtractor::featureName).toList();
        var judgments = merged(setup.judgments(), setup.validationJudgments());
        Map<String, Query> texts = new LinkedHashMap<>();
        setup.queries().forEach(q -> texts.put(q.id(), q));
        List<String> queryIds = new ArrayList<>(judgments.queriesWithRelevant());
        queryIds.sort(null);
        for (String id : queryIds) {
            if (!texts.containsKey(id)) {
                throw CommandFailure.badRequest("judged query [" + id + "] has no text in the queries file");
            }
        }
        if (queryIds.size() < 2) {
            throw CommandFailure.badRequest("training needs at least 2 judged queries with a relevant document, found "
                    + queryIds.size());
        }
        TrainingSet.Builder builder;
        try {
            builder = TrainingSet.builder(names);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("the feature set cannot train: " + e.getMessage());
        }
        Map<String, List<String>> firstPass = new LinkedHashMap<>();
        try (var bar = progress.count("features", " queries", queryIds.size())) {
            int done = 0;
            for (String id : queryIds) {
                var query = texts.get(id);
                var request = TemplateSearches.render(setup.template(), query, setup.index());
                Map<String, Value> params = featureParams(query);
                var rows = engine.logFeatures(setup.index(), firstPass(request), deployed, params, List.of(),
                        setup.top());
                var grades = judgments.judgments(id);
                var ranking = new ArrayList<String>(rows.size());
                for (var row : rows) {
                    builder.add(id, row.docId(), Math.max(0, grades.getOrDefault(row.docId(), 0)), row.values());
                    ranking.add(row.docId());
                }
                firstPass.put(id, ranking);
                bar.readTo(++done);
            }
        }
        return new Logged(builder.build(), judgments, queryIds, firstPass);
    }

    /**
     * The params the feature extractors render with when logging one query's rows: {@code query_text},
     * {@code query_id} and the query's own {@code params} from the queries file.
     */
    static Map<String, Value> featureParams(Query query) {
        return query.templateParams();
    }

    /** The first pass that {@code rankql search} would rescore: the request's query or its innermost retriever's. */
    static dev.rankql.ast.Query firstPass(SearchRequest request) {
        if (request.query().isPresent()) {
            return request.query().get();
        }
        return request.retriever().map(LtrTraining::firstPass).orElseGet(LtrTraining::matchAll);
    }

    /** Features are logged for one first-pass query; a vector search or a fusion of several has none. */
    private static IllegalArgumentException noFirstPass(Retriever retriever) {
        return new IllegalArgumentException("cannot log features under a [" + retriever.type()
                + "] retriever: it has no single first-pass query; use a [standard] retriever or a [query]");
    }

    private static dev.rankql.ast.Query firstPass(Retriever retriever) {
        return switch (retriever) {
            case Retriever.Standard standard -> standard.query().orElseGet(LtrTraining::matchAll);
            case Retriever.Rescorer rescorer -> firstPass(rescorer.retriever());
            case Retriever.Knn knn -> throw noFirstPass(knn);
            case Retriever.Rrf rrf -> throw noFirstPass(rrf);
            case Retriever.Linear linear -> throw noFirstPass(linear);
        };
    }

    private static dev.rankql.ast.Query matchAll() {
        return new dev.rankql.ast.Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty());
    }

    private static Qrels merged(Qrels judgments, Optional<Qrels> validation) {
        if (validation.isEmpty()) {
            return judgments;
        }
        var builder = Qrels.builder();
        for (Qrels qrels : List.of(judgments, validation.get())) {
            for (String query : qrels.queryIds()) {
                for (var judgment : qrels.judgments(query).entrySet()) {
                    if (builder.contains(query, judgment.getKey())) {
                        throw CommandFailure.badRequest("document [" + judgment.getKey() + "] of query [" + query
                                + "] is judged in both the training and the validation judgments");
                    }
                    builder.add(query, judgment.getKey(), judgment.getValue());
                }
            }
        }
        return builder.build();
    }

    private static QuerySplit split(Setup setup, Qrels judgments, List<String> queryIds) {
        try {
            if (setup.validationJudgments().isPresent()) {
                var validating = new HashSet<>(setup.validationJudgments().get().queriesWithRelevant());
                return QuerySplit.fixed(queryIds, queryIds.stream().filter(validating::contains).toList());
            }
            var split = QuerySplit.grouped(queryIds, judgments, setup.validationFraction(), setup.seed());
            if (split.validation().isEmpty()) {
                throw CommandFailure.badRequest("the queries share relevant documents so widely that no group of "
                        + "them fits a validation part of " + setup.validationFraction() + "; give --validation-qrels");
            }
            return split;
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("cannot split the queries: " + e.getMessage());
        }
    }

    private static List<String> withRelevantRows(TrainingSet set, List<String> queries) {
        Set<String> wanted = new HashSet<>(queries);
        var kept = new ArrayList<String>();
        for (int q = 0; q < set.queryCount(); q++) {
            if (!wanted.contains(set.queryId(q))) {
                continue;
            }
            for (int row = set.groupStart(q); row < set.groupStart(q) + set.groupSize(q); row++) {
                if (set.grade(row) > 0) {
                    kept.add(set.queryId(q));
                    break;
                }
            }
        }
        return kept;
    }
}
