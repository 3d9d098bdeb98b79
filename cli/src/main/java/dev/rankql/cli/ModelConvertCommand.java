package dev.rankql.cli;

import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.formats.Models;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rankql model convert}: rewrites a tree model as an Elasticsearch trained-model body. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Converts a tree model into the body of an Elasticsearch PUT _ml/trained_models/<id> request.",
            "Categorical splits, LightGBM zero-as-missing splits, linear models and networks have no Elasticsearch",
            "equivalent and are refused (exit 2). The body's feature_extractors list is empty: add one",
            "query_extractor per model feature before deploying."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql model convert --to es --format xgboost --model m.json --features bm25,clicks > body.json",
            "  rankql model convert --to es --model m.txt --description 'LambdaMART v3'"
        })
public final class ModelConvertCommand implements Callable<Integer> {

    /** The formats rankql writes. */
    enum Target {
        es
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelFileOptions modelFile;

    @Option(names = "--to", required = true, paramLabel = "es", description = "Target format: ${COMPLETION-CANDIDATES}.")
    private Target target;

    @Option(names = "--description", paramLabel = "TEXT", description = "The body's description (default: the source "
            + "format and file name).")
    private String description;

    @Override
    public Integer call() {
        Model model = modelFile.load();
        String text = description != null ? description
                : "converted by rankql from the " + model.format() + " model " + modelFile.model;
        String body = switch (target) {
            case es -> {
                try {
                    yield Models.toElasticsearch(model, text);
                } catch (ModelException e) {
                    throw CommandFailure.badRequest("cannot convert " + modelFile.model + " to es: " + e.getMessage());
                }
            }
        };
        return Output.of(spec).result(body);
    }
}
