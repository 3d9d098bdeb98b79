package dev.rankql.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rankql model}: the commands that work on a model file alone (predict, explain, convert, formats). */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Scores, explains and converts learning-to-rank model files, without any index or data directory.",
            "Formats: es, xgboost, xgboost-dump, lightgbm, lightgbm-json, ranklib, solr, linear ('rankql model formats')."
        },
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql model formats",
            "  rankql model predict --format xgboost --model m.json < rows.jsonl",
            "  echo '{\"bm25\": 12.5}' | rankql model explain --model m.json",
            "  rankql model convert --to es --format lightgbm --model m.txt > body.json",
            "",
            "Scores go to stdout; a rejected model or row ends with exit code 2 and the reason on stderr."
        })
public final class ModelToolsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private ModelToolsCommand() {}

    /** The {@code model} command with its subcommands, reading rows from {@code stdin}. */
    public static CommandLine create(Supplier<InputStream> stdin) {
        return new CommandLine(new ModelToolsCommand())
                .addSubcommand(new ModelPredictCommand(stdin))
                .addSubcommand(new ModelExplainCommand(stdin))
                .addSubcommand(new ModelConvertCommand())
                .addSubcommand(new ModelFormatsCommand());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: predict, explain, convert or "
                + "formats");
    }
}
