package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.models.Model;
import dev.rankql.models.Precision;
import dev.rankql.models.formats.RowReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rankql model predict}: scores JSON Lines rows from standard input, one score per line on standard output. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Scores rows of feature values read as JSON Lines on standard input: one object per line,",
            "{\"feature\": value, ...}. An absent key, null or the string \"NaN\" is a missing value; keys the model",
            "does not use are ignored; blank lines are skipped. Prints one score per row, in the model's precision",
            "(a float for XGBoost, Solr, RankLib trees and o19s models, a double otherwise), so that it reads back",
            "exactly. Rows are scored in blocks as they arrive. A bad row stops the command with exit code 2 and its",
            "line number on stderr, after the scores of the rows before it."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql model predict --format xgboost --model m.json --features bm25,clicks < rows.jsonl",
            "  echo '{\"cost\": 300, \"two\": 2}' | rankql model predict --format es --model products.json",
            "  rankql model predict --model ranker.txt --missing-as-zero < rows.jsonl > scores.txt"
        })
public final class ModelPredictCommand implements Callable<Integer> {

    /** Rows scored per call of the block API: enough to amortise a pass over the trees, small enough to stream. */
    static final int BLOCK = 1024;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelFileOptions modelFile;

    private final Supplier<InputStream> stdin;

    /** A command that reads its rows from {@code stdin}. */
    ModelPredictCommand(Supplier<InputStream> stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        Model model = modelFile.load();
        var reader = new RowReader(model.featureNames());
        int width = model.featureCount();
        boolean asFloat = model.precision() == Precision.FLOAT32;
        double[] row = new double[width];
        double[] rows = new double[BLOCK * width];
        double[] scores = new double[BLOCK];
        PrintWriter out = spec.commandLine().getOut();
        var input = new JsonLinesInput(stdin.get());
        int pending = 0;
        for (String line = input.next(); line != null; line = input.next()) {
            try {
                reader.read(line, row);
            } catch (IllegalArgumentException e) {
                flush(model, rows, pending, scores, asFloat, out);
                throw input.rowError(e.getMessage());
            }
            System.arraycopy(row, 0, rows, pending * width, width);
            if (++pending == BLOCK) {
                flush(model, rows, pending, scores, asFloat, out);
                pending = 0;
            }
        }
        flush(model, rows, pending, scores, asFloat, out);
        return ExitCodes.OK;
    }

    private static void flush(Model model, double[] rows, int count, double[] scores, boolean asFloat,
            PrintWriter out) {
        model.score(rows, count, scores);
        var text = new StringBuilder(count * 12);
        for (int i = 0; i < count; i++) {
            text.append(format(scores[i], asFloat)).append('\n');
        }
        out.write(text.toString());
        out.flush();
    }

    /** The shortest text that reads back as the same score in the model's precision. */
    static String format(double score, boolean asFloat) {
        return asFloat ? Float.toString((float) score) : Double.toString(score);
    }
}
