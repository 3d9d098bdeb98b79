package dev.rankql.cli;

import dev.rankql.models.formats.ModelFormat;
import dev.rankql.models.formats.Models;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rankql model formats}: the names accepted by {@code --format}, each with what it reads. */
@Command(
        name = "formats",
        mixinStandardHelpOptions = true,
        description = "Lists the model formats rankql reads: the --format name, then what the format is.",
        footerHeading = "%nExamples:%n",
        footer = {"  rankql model formats"})
public final class ModelFormatsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        int width = 0;
        for (ModelFormat format : Models.formats()) {
            width = Math.max(width, format.formatName().length());
        }
        var text = new StringBuilder();
        for (ModelFormat format : Models.formats()) {
            text.append(String.format("%-" + width + "s  %s%n", format.formatName(), format.description()));
        }
        return Output.of(spec).result(text.toString());
    }
}
