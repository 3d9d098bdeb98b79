package dev.rankql.cli;

import dev.rankql.engine.Engine;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rankql model}: the deployed LTR models of the data directory, as Elasticsearch's {@code _ml/trained_models}
 * API ({@code put}, {@code get}, {@code list}, {@code delete}), and the tools that work on a model file alone
 * ({@code predict}, {@code explain}, {@code convert}, {@code formats}), which never touch a data directory.
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Deploys, shows and deletes LTR models (Elasticsearch's _ml/trained_models API), and scores, explains and",
            "converts model files without any index or data directory.",
            "Formats: es, xgboost, xgboost-opensearch, xgboost-dump, lightgbm, lightgbm-json, ranklib, solr, linear",
            "('rankql model formats')."
        },
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ModelCommand.Put.class,
            ModelCommand.Get.class,
            ModelCommand.ListModels.class,
            ModelCommand.Delete.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql model put ltr-model model.json              an Elasticsearch PUT _ml/trained_models body",
            "  rankql model put m1 xgb.json --features fs.json    any format, with a feature set",
            "  rankql model get ltr-model",
            "  rankql model list",
            "  rankql model delete ltr-model",
            "  rankql model formats",
            "  rankql model predict --format xgboost --model m.json < rows.jsonl",
            "  echo '{\"bm25\": 12.5}' | rankql model explain --model m.json",
            "  rankql model convert --to es --format lightgbm --model m.txt > body.json",
            "",
            "put, get, list and delete print Elasticsearch JSON on stdout, errors included; exit 2 for a bad request",
            "(400), 3 for an unknown model (404), 1 otherwise. predict prints one score per line; a rejected model or",
            "row ends with exit code 2 and the reason on stderr."
        })
public final class ModelCommand {

    /** The {@code model} command with every subcommand, reading rows for predict and explain from {@code stdin}. */
    static CommandLine create(Supplier<InputStream> stdin) {
        return new CommandLine(new ModelCommand())
                .addSubcommand(new ModelPredictCommand(stdin))
                .addSubcommand(new ModelExplainCommand(stdin))
                .addSubcommand(new ModelConvertCommand())
                .addSubcommand(new ModelFormatsCommand());
    }

    /** Opens the engine, runs {@code action}, prints its JSON, or the Elasticsearch error body with its exit code. */
    static int run(CommandSpec spec, Function<Engine, ObjectNode> action) {
        return Output.of(spec).result(Engines.run(spec, engine -> Json.writePretty(action.apply(engine))));
    }

    static String readFile(String file, String what) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound(what + " [" + file + "] does not exist");
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + what + " [" + file + "]: " + e.getMessage(), e);
        }
    }

    /** {@code model put ID FILE}. */
    @Command(name = "put", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  rankql model put ltr-model es-body.json",
                "  rankql model put m1 xgboost.json --format xgboost --features features.json --replace"},
            description = {"Deploys a model. FILE alone is an Elasticsearch PUT _ml/trained_models body;",
                "with --features, FILE is a model of any format (see --format) and FEATURES a JSON list of extractors."})
    static final class Put implements Callable<Integer> {
        @Spec
        CommandSpec spec;


        @Parameters(index = "0", paramLabel = "ID", description = "The model id.")
        String id;

        @Parameters(index = "1", paramLabel = "FILE", description = "The model body or file.")
        String file;

        @Option(names = "--format", paramLabel = "F", description = "The model file's format with --features (default: auto).")
        String format;

        @Option(names = "--features", paramLabel = "FEATURES.json", description = "A feature set: a JSON list of extractors.")
        String features;

        @Option(names = "--replace", description = "Replace an existing model atomically instead of failing.")
        boolean replace;

        @Override
        public Integer call() {
            var text = readFile(file, "model file");
            if (features == null) {
                if (format != null) {
                    throw CommandFailure.badRequest("--format needs --features: FILE alone is an Elasticsearch body");
                }
                return run(spec, engine -> engine.putModel(id, text, replace));
            }
            var featureSet = readFile(features, "feature set");
            return run(spec, engine -> engine.putModel(id, format == null ? "auto" : format, text, featureSet,
                    replace));
        }
    }

    /** {@code model get ID}. */
    @Command(name = "get", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  rankql model get ltr-model", "  rankql model get 'ltr-*,baseline'"},
            description = "Shows models as GET _ml/trained_models/<ids> (ids: a comma list, wildcards allowed).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Model ids or patterns.")
        String ids;

        @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
                description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); table: one model a line.")
        ListFormat format;

        @Option(names = "--tags", paramLabel = "TAG", split = ",",
                description = "Only the models that carry every one of these tags (GET's tags parameter).")
        List<String> tags = List.of();

        @Override
        public Integer call() {
            return list(spec, format, engine -> engine.getModels(ids, tags));
        }
    }

    /** {@code model list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  rankql model list", "  rankql model list --format table", "  rankql --data /srv/rankql model list"},
            description = "Lists every model as GET _ml/trained_models.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
                description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); table: one model a line.")
        ListFormat format;

        @Option(names = "--tags", paramLabel = "TAG", split = ",",
                description = "Only the models that carry every one of these tags (GET's tags parameter).")
        List<String> tags = List.of();

        @Override
        public Integer call() {
            return list(spec, format, engine -> engine.getModels("_all", tags));
        }
    }

    /** How {@code model get} and {@code model list} print. */
    enum ListFormat {
        json,
        table
    }

    /** Prints a GET _ml/trained_models body as JSON, or as a table of what people look for first. */
    private static int list(CommandSpec spec, ListFormat format, Function<Engine, ObjectNode> action) {
        return Output.of(spec).result(Engines.run(spec, engine -> {
            var body = action.apply(engine);
            return switch (format) {
                case json -> Json.writePretty(body);
                case table -> modelTable(body);
            };
        }));
    }

    private static String modelTable(ObjectNode body) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("model_id", "format", "model_class", "features", "created", "description"));
        for (var model : body.path("trained_model_configs")) {
            var rankql = model.path("metadata").path("rankql");
            rows.add(List.of(model.path("model_id").asString(), rankql.path("format").asString(),
                    rankql.path("model_class").asString(), Integer.toString(rankql.path("model_features").size()),
                    Instant.ofEpochMilli(model.path("create_time").asLong()).truncatedTo(ChronoUnit.SECONDS).toString(),
                    model.path("description").asString("")));
        }
        return TextTable.layout(rows);
    }

    /** {@code model delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  rankql model delete ltr-model"}, description = "Deletes a model.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;


        @Parameters(index = "0", paramLabel = "ID", description = "The model id.")
        String id;

        @Override
        public Integer call() {
            return run(spec, engine -> engine.deleteModel(id));
        }
    }
}
