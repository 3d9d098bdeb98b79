package dev.rankql.cli;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.formats.Models;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that name a model file and bind it to rows, shared by the {@code rankql model} commands. */
final class ModelFileOptions {

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "auto",
            description = "Model format (see 'rankql model formats'), or auto to detect it (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file.")
    String model;

    @Option(
            names = "--features",
            split = ",",
            paramLabel = "NAME",
            description = "The model's inputs in order, comma-separated; needed when the model numbers its features "
                    + "(f0, f1, ...). A model using a feature outside the list is rejected.")
    List<String> features;

    @Option(names = "--missing-as-zero", description = "Read every missing input (absent, null, \"NaN\") as 0.")
    boolean missingAsZero;

    /**
     * Loads the model: a file that does not exist fails with exit 3, a model rankql rejects with exit 2 and the
     * loader's reason.
     */
    Model load() {
        Path path;
        try {
            path = Path.of(model);
        } catch (InvalidPathException e) {
            throw CommandFailure.badRequest("--model is not a valid path: " + e.getMessage());
        }
        if (!Files.isRegularFile(path)) {
            throw CommandFailure.notFound("no such model file: " + model);
        }
        LoadOptions options;
        try {
            options = new LoadOptions(Optional.ofNullable(features).map(list -> list.stream().map(String::strip)
                    .toList()), missingAsZero);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest("--features: " + e.getMessage());
        }
        try {
            return Models.load(format, path, options);
        } catch (ModelException e) {
            throw CommandFailure.badRequest("model " + model + " rejected: " + e.getMessage());
        }
    }
}
