package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.Metric;
import dev.rankql.engine.eval.RandomizationTest;
import dev.rankql.engine.mapping.Json;
import dev.rankql.train.Objective;
import dev.rankql.train.Trainer;
import dev.rankql.train.TrainingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rankql train}: logs a feature set's features for the first pass of a request template, trains LambdaMART
 * with xgboost4j with early stopping on a query-level validation split, and deploys the model with its feature set.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains an LTR model and deploys it. For every judged query with a relevant document, the --request "
                + "template (a file or inline, DSL or JSON, with {{query_text}} and {{query_id}}) is rendered; the top "
                + "--top hits of its first pass (its query, or its innermost standard retriever's) get the --features "
                + "extractors' values, computed by the same code the learning_to_rank rescorer runs, and their grades "
                + "(0 when unjudged). Queries are split into training and validation parts, keeping queries that share "
                + "a relevant document on the same side (--validation-fraction, --seed), or --validation-qrels "
                + "validate. XGBoost trains (default rank:ndcg, eta 0.1, max_depth 6, up to 500 rounds, early stopping "
                + "after 30 rounds without a better validation ndcg@10, one thread: the same inputs give the same "
                + "model), the model is written as XGBoost JSON (--out) and deployed as --model-id with the feature "
                + "set, replacing a model of that id. Prints JSON with the validation metrics of the first pass "
                + "(before) and the model (after); --format table for people. A progress bar is drawn on a terminal."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql train docs --features features.json --queries queries.jsonl --qrels qrels/train.tsv \\",
            "      --request 'QUERY multi_match(\"{{query_text}}\", fields: [title, text])' --model-id ltr",
            "  rankql train docs --features features.json --queries q.jsonl --qrels train.tsv --request bm25.dsl \\",
            "      --validation-qrels dev.tsv --params eta=0.05,max_depth=4 --model-id ltr --out model.json",
            "  rankql train docs --features features.json --queries q.jsonl --qrels train.tsv --request bm25.dsl \\",
            "      --cross-validate 5 --format table      (measures, deploys nothing)",
            "",
            "Then rescore with it: RETRIEVE standard(...) | RESCORE ltr(\"ltr\", params: {query_text: \"...\"}) WINDOW 100"
        })
public final class TrainCommand implements Callable<Integer> {

    /** How results are printed. */
    enum Format {
        json,
        table
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX", description = "The index to search.")
    String index;

    @Option(names = "--features", required = true, paramLabel = "FEATURES.json",
            description = "The feature set: a JSON list of extractors (see docs/ltr.md).")
    String features;

    @Option(names = "--queries", required = true, paramLabel = "Q.jsonl",
            description = "Queries: one {\"id\": ..., \"text\": ...} object per line; an optional \"params\" object "
                    + "adds template parameters of that query for the feature extractors.")
    String queries;

    @Option(names = "--qrels", required = true, paramLabel = "QRELS.tsv", description = "The training judgments.")
    String qrels;

    @Option(names = "--request", required = true, paramLabel = "TEMPLATE",
            description = "The first-pass search, a file or inline, DSL or JSON, with {{query_text}}.")
    String request;

    @Option(names = "--objective", paramLabel = "NAME",
            description = "rank:ndcg (default), rank:pairwise, rank:map, reg:squarederror or binary:logistic.")
    String objective;

    @Option(names = "--params", paramLabel = "k=v,...",
            description = "XGBoost parameters, e.g. eta=0.05,max_depth=4,num_boost_round=300,early_stopping_rounds=50.")
    String params;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "The share of queries that validate (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--validation-qrels", paramLabel = "FILE",
            description = "Judgments whose queries validate, instead of a split of --qrels.")
    String validationQrels;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the split and of XGBoost (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--refit",
            description = "After early stopping, train the deployed model again on the training and validation "
                    + "queries together, for the best round count times (all queries / training queries). The "
                    + "printed validation figures stay those of the early-stopped model.")
    boolean refit;

    @Option(names = "--top", defaultValue = "100", paramLabel = "K",
            description = "First-pass hits per query to learn from: the rescore window to use (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--model-id", paramLabel = "ID",
            description = "The id to deploy the model as (required unless --cross-validate).")
    String modelId;

    @Option(names = "--cross-validate", paramLabel = "K",
            description = "Deploy nothing: split the judged queries into K folds, train on all but one fold as "
                    + "without this option (early stopping on a split of them, --refit if given) and rank the "
                    + "held-out fold, for every fold; print the held-out rankings' metrics against the first pass's, "
                    + "with the paired randomization test, overall and per fold.")
    Integer crossValidate;

    /** How cross-validation assigns queries to folds. */
    enum Folds {
        grouped,
        random
    }

    @Option(names = "--folds", defaultValue = "grouped", paramLabel = "grouped|random",
            description = "With --cross-validate: keep queries that share a relevant document in one fold (grouped, "
                    + "the unseen-documents situation) or place every query on its own (random) "
                    + "(default: ${DEFAULT-VALUE}).")
    Folds folds;

    @Option(names = "--fold-seed", defaultValue = "1", paramLabel = "N",
            description = "With --cross-validate: the seed of the assignment to folds (default: ${DEFAULT-VALUE}).")
    long foldSeed;

    @Option(names = "--out", paramLabel = "MODEL.json", description = "Also writes the XGBoost JSON model here.")
    String out;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also writes an HTML report (validation metrics, per-query differences, feature importance) "
                    + "and its plots as PNG files beside it.")
    String report;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|table",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    private final Progress.Factory progress;

    /** A command showing logging and boosting through {@code progress}. */
    TrainCommand(Progress.Factory progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    @Override
    public Integer call() {
        var trainingParams = params();
        var featureSet = ModelCommand.readFile(features, "feature set");
        var judgments = TemplateSearches.qrels(qrels);
        var validation = Optional.ofNullable(validationQrels).map(TemplateSearches::qrels);
        if (crossValidate != null) {
            String[] names = {"--model-id", "--out", "--report"};
            boolean[] given = {modelId != null, out != null, report != null};
            for (int i = 0; i < names.length; i++) {
                if (given[i]) {
                    throw CommandFailure.badRequest(names[i] + " does not go with --cross-validate, which deploys and "
                            + "writes no model");
                }
            }
        } else if (modelId == null) {
            throw CommandFailure.badRequest("--model-id is required (unless --cross-validate)");
        }
        var all = TemplateSearches.queries(queries);
        var setup = new LtrTraining.Setup(index, featureSet, all, judgments, validation,
                TemplateSearches.template(request, "--request", all), top, trainingParams, validationFraction, seed,
                refit);
        if (crossValidate != null) {
            return Output.of(spec).result(Engines.run(spec, engine -> {
                var result = LtrTraining.crossValidate(engine, setup, crossValidate, folds == Folds.grouped, foldSeed,
                        progress);
                return format == Format.table ? crossValidationTable(result) : Json.writePretty(
                        crossValidationJson(result));
            }));
        }
        return Output.of(spec).result(Engines.run(spec, engine -> {
            var outcome = LtrTraining.train(engine, setup, modelId, progress);
            if (out != null) {
                var file = Path.of(out).toAbsolutePath();
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.write(file, outcome.deployedJson());
            }
            if (report != null) {
                var result = outcome.result();
                var facts = List.of("index: " + index, "model: " + modelId + " (" + result.params().objective()
                        .xgboostName() + ", best round " + (result.bestIteration() + 1) + " of "
                        + result.roundsTrained() + ")", outcome.trainQueries() + " training queries, "
                        + result.validation().queryIds().size() + " validation queries, top " + top
                        + " first-pass hits each" + outcome.refit().map(r -> "; the deployed model was refitted for "
                                + r.rounds() + " rounds on all " + r.queries() + " queries, and this report shows the "
                                + "early-stopped one").orElse(""));
                Reports.write(Path.of(report), new Reports.Content("rankql train: " + modelId, facts,
                        new Reports.System("model", "RESCORE ltr(\"" + modelId + "\") over the first pass of\n"
                                + setup.template().text() + "\nfeatures: " + result.featureNames(), result.validation()),
                        Optional.of(new Reports.System("first pass", setup.template().text(), outcome.before())),
                        outcome.importance()));
            }
            return format == Format.table ? table(outcome) : Json.writePretty(json(outcome));
        }));
    }

    private TrainingParams params() {
        try {
            Map<String, String> overrides = new java.util.LinkedHashMap<>();
            overrides.put("seed", Long.toString(seed));
            if (objective != null) {
                overrides.put("objective", Objective.parse(objective).xgboostName());
            }
            if (params != null) {
                for (var entry : TrainingParams.parseList(params).entrySet()) {
                    if (entry.getKey().equals("objective") && objective != null) {
                        throw new IllegalArgumentException("the objective is given by both --objective and --params");
                    }
                    overrides.put(entry.getKey(), entry.getValue());
                }
            }
            return TrainingParams.defaults().withOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        }
    }

    private tools.jackson.databind.node.ObjectNode json(LtrTraining.Outcome outcome) {
        var result = outcome.result();
        var root = Json.object();
        root.put("model_id", modelId);
        if (out != null) {
            root.put("out", out);
        }
        root.put("objective", result.params().objective().xgboostName());
        var names = root.putArray("features");
        result.featureNames().forEach(names::add);
        var queriesNode = root.putObject("queries");
        queriesNode.put("train", outcome.trainQueries());
        queriesNode.put("validation", result.validation().queryIds().size());
        var rows = root.putObject("rows");
        rows.put("train", outcome.trainRows());
        rows.put("validation", outcome.validationRows());
        root.put("best_iteration", result.bestIteration());
        root.put("rounds", result.roundsTrained());
        root.put("eval_metric", result.params().evalMetric());
        root.put("best_score", result.bestScore());
        var metrics = root.putObject("validation");
        for (Metric metric : Trainer.DEFAULT_METRICS) {
            var node = metrics.putObject(metric.name());
            node.put("before", outcome.before().mean(metric));
            node.put("after", result.validation().mean(metric));
        }
        outcome.refit().ifPresent(refitted -> {
            var node = root.putObject("refit");
            node.put("rounds", refitted.rounds());
            node.put("queries", refitted.queries());
            node.put("rows", refitted.rows());
        });
        var importance = root.putObject("feature_importance");
        outcome.importance().forEach(e -> importance.put(e.getKey(), e.getValue()));
        return root;
    }

    private tools.jackson.databind.node.ObjectNode crossValidationJson(LtrTraining.CrossValidation result) {
        var root = Json.object();
        var settings = root.putObject("cross_validation");
        settings.put("folds", result.folds().size());
        settings.put("split", result.grouped() ? "grouped" : "random");
        settings.put("fold_seed", foldSeed);
        settings.put("refit", refit);
        root.put("queries", result.model().queryIds().size());
        var metrics = root.putObject("metrics");
        for (Metric metric : Trainer.DEFAULT_METRICS) {
            var node = metrics.putObject(metric.name());
            double before = result.firstPass().mean(metric);
            double after = result.model().mean(metric);
            node.put("first_pass", before);
            node.put("model", after);
            node.put("difference", after - before);
            node.put("p_value", RandomizationTest.compare(result.model(), result.firstPass(), metric).pValue());
        }
        var perFold = root.putArray("per_fold");
        for (var fold : result.folds()) {
            var node = perFold.addObject();
            node.put("queries", fold.queries());
            node.put("best_iteration", fold.bestIteration());
            fold.refitRounds().ifPresent(rounds -> node.put("refit_rounds", rounds));
            for (Metric metric : Trainer.DEFAULT_METRICS) {
                var values = node.putObject(metric.name());
                values.put("first_pass", fold.firstPass().mean(metric));
                values.put("model", fold.model().mean(metric));
            }
        }
        return root;
    }

    private String crossValidationTable(LtrTraining.CrossValidation result) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("held-out metric", "first pass", "model", "difference", "p"));
        for (Metric metric : Trainer.DEFAULT_METRICS) {
            double before = result.firstPass().mean(metric);
            double after = result.model().mean(metric);
            rows.add(List.of(metric.name(), EvalCommand.decimal(before), EvalCommand.decimal(after),
                    String.format(Locale.ROOT, "%+.4f", after - before), EvalCommand.decimal(
                            RandomizationTest.compare(result.model(), result.firstPass(), metric).pValue())));
        }
        return result.folds().size() + "-fold " + (result.grouped() ? "grouped" : "random")
                + " cross-validation (fold seed " + foldSeed + (refit ? ", refit" : "") + "): "
                + result.model().queryIds().size() + " queries, each ranked by a model trained without it\n"
                + Tables.render(rows);
    }

    private String table(LtrTraining.Outcome outcome) {
        var result = outcome.result();
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("validation metric", "first pass", "model", "difference"));
        for (Metric metric : Trainer.DEFAULT_METRICS) {
            double before = outcome.before().mean(metric);
            double after = result.validation().mean(metric);
            rows.add(List.of(metric.name(), EvalCommand.decimal(before), EvalCommand.decimal(after),
                    String.format(Locale.ROOT, "%+.4f", after - before)));
        }
        return "model " + modelId + ": " + result.featureNames().size() + " features, best round "
                + (result.bestIteration() + 1) + " of " + result.roundsTrained() + "; " + outcome.trainQueries()
                + " training and " + result.validation().queryIds().size() + " validation queries"
                + outcome.refit().map(r -> "; deployed: refitted for " + r.rounds() + " rounds on " + r.queries()
                        + " queries").orElse("") + "\n"
                + Tables.render(rows);
    }
}
