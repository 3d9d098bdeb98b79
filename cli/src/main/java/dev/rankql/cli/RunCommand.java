package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.RunFile;
import dev.rankql.engine.mapping.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rankql run}: a TREC run file with the top hits of a request template for every query. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a TREC run file (query-id Q0 doc-id rank score tag) with the top --size hits of the --request "
                + "template (a file, or the request itself, in the DSL or as JSON) for every query of --queries, in "
                + "file order, rendered with {{query_text}} and {{query_id}}. Scores strictly decrease within a query, "
                + "because evaluators such as trec_eval re-sort by score and break ties by document id: a tie (or a "
                + "score above the previous one, as after a rescore window) is written as the largest double below the "
                + "previous score (Math.nextDown), so re-sorting keeps the engine's order. Prints a JSON summary on "
                + "stdout."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql run docs --queries queries.jsonl --size 100 --out bm25.trec --tag bm25 \\",
            "      --request 'QUERY multi_match(\"{{query_text}}\", fields: [title, text])'",
            "  rankql run docs --queries queries.jsonl --request ltr.dsl --size 100 --out ltr.trec"
        })
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX", description = "The index to search.")
    String index;

    @Option(names = "--queries", required = true, paramLabel = "Q.jsonl",
            description = "Queries: one {\"id\": ..., \"text\": ...} object per line.")
    String queries;

    @Option(names = "--request", required = true, paramLabel = "TEMPLATE",
            description = "The search, a file or inline, DSL or JSON, with {{query_text}}, {{query_id}} and the "
                    + "queries' own params.")
    String request;

    @Option(names = "--size", defaultValue = "100", paramLabel = "N",
            description = "Hits per query (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run file to write.")
    String out;

    @Option(names = "--tag", defaultValue = "rankql", paramLabel = "T",
            description = "The run name in the last column (default: ${DEFAULT-VALUE}).")
    String tag;

    private final Progress.Factory progress;

    /** A command showing the queries searched through {@code progress}. */
    RunCommand(Progress.Factory progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    @Override
    public Integer call() {
        if (size < 1) {
            throw CommandFailure.badRequest("--size must be at least 1, got " + size);
        }
        try {
            Qrels.checkId(tag, "--tag");
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badRequest(e.getMessage());
        }
        var all = TemplateSearches.queries(queries);
        var template = TemplateSearches.template(request, "--request", all);
        var file = Path.of(out).toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw CommandFailure.badRequest("--out " + out + " is a directory");
        }
        return Output.of(spec).result(Engines.run(spec, engine -> {
            var run = TemplateSearches.search(engine, index, template, all, size, progress, "run");
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            RunFile.write(file, run, tag);
            long lines = run.queryIds().stream().mapToLong(q -> run.ranking(q).size()).sum();
            var summary = Json.object();
            summary.put("queries", run.queryIds().size());
            summary.put("lines", lines);
            summary.put("out", out);
            summary.put("tag", tag);
            return Json.writePretty(summary);
        }));
    }
}
