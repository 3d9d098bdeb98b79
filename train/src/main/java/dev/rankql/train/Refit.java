package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model trained for a fixed number of rounds on every judged query, after early stopping on a validation part chose
 * how many rounds to run; it has no validation figure of its own, since it has seen the validation queries.
 *
 * @param modelJson the model as saved by XGBoost in JSON, holding exactly {@code rounds} rounds
 * @param modelDump the same trees as XGBoost's JSON dump, as in {@link TrainingResult#modelDump()}
 * @param rounds the boosting rounds trained
 * @param queries the queries trained on
 * @param rows the candidate rows trained on
 */
public record Refit(byte[] modelJson, String modelDump, int rounds, int queries, int rows) {

    public Refit {
        modelJson = requireNonNull(modelJson, "modelJson").clone();
        requireNonNull(modelDump, "modelDump");
        if (rounds < 1 || queries < 1 || rows < 1) {
            throw new IllegalArgumentException("a refit has at least one round, query and row, got " + rounds + ", "
                    + queries + " and " + rows);
        }
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
    public boolean equals(Object other) {
        return other instanceof Refit r && Arrays.equals(modelJson, r.modelJson) && modelDump.equals(r.modelDump)
                && rounds == r.rounds && queries == r.queries && rows == r.rows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(modelJson), modelDump, rounds, queries, rows);
    }

    @Override
    public String toString() {
        return "Refit[" + rounds + " rounds on " + queries + " queries, " + rows + " rows]";
    }
}
