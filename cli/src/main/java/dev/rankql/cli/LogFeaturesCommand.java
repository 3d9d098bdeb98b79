package dev.rankql.cli;

import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EsErrors;
import dev.rankql.engine.eval.EvalFormatException;
import dev.rankql.engine.eval.QrelsFile;
import dev.rankql.engine.eval.QueriesFile;
import dev.rankql.engine.ltr.QueryTemplate;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

/**
 * {@code rankql log-features}: training data from a deployed model's feature extractors, for every judged query:
 * the judged documents with their grades and the top-K unjudged first-pass hits graded 0.
 */
@Command(
        name = "log-features",
        mixinStandardHelpOptions = true,
        description = {
            "Logs a deployed model's features for judged queries, as training data.",
            "For each query of --qrels, the --request template is rendered with {{query_text}} and {{query_id}}; its",
            "query is the first pass. The judged documents and the top --top unjudged hits (grade 0) get one row each.",
            "The features render with {{query_text}}, {{query_id}} and the query's own \"params\" from --queries."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql log-features docs --model ltr-model --queries q.jsonl --qrels qrels.tsv \\",
            "      --request request.json --top 50 --format svmrank --out train.txt",
            "  rankql log-features docs --features features.json --queries q.jsonl --qrels qrels.tsv \\",
            "      --request request.json --format jsonl --out train.jsonl",
            "",
            "Formats: libsvm and svmrank write 'grade qid:Q 1:v 2:v ... # doc' (missing features left out);",
            "jsonl writes {\"query_id\", \"doc_id\", \"grade\", \"features\": {name: value}}."
        })
public final class LogFeaturesCommand implements Callable<Integer> {

    /** The output formats. */
    enum Format {
        libsvm,
        svmrank,
        jsonl
    }

    @Spec
    CommandSpec spec;

    @ParentCommand
    RankqlCommand root;

    private final Progress.Factory progress;

    /** A command showing the queries logged through {@code progress}. */
    LogFeaturesCommand(Progress.Factory progress) {
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
    }

    @Parameters(index = "0", paramLabel = "INDEX", description = "The index to search.")
    String index;

    @Option(names = "--model", paramLabel = "ID", description = "The deployed model whose extractors to run.")
    String model;

    @Option(names = "--features", paramLabel = "FILE", description = "A feature set (JSON list of extractors), instead of --model.")
    String features;

    @Option(names = "--queries", required = true, paramLabel = "Q.jsonl", description = "Queries: {\"id\", \"text\"} lines.")
    String queries;

    @Option(names = "--qrels", required = true, paramLabel = "QRELS.tsv", description = "Judgments: query-id, doc-id, grade.")
    String qrels;

    @Option(names = "--request", required = true, paramLabel = "TEMPLATE",
            description = "A search body (JSON) whose query is the first pass, with {{query_text}} placeholders.")
    String request;

    @Option(names = "--top", defaultValue = "100", paramLabel = "K", description = "Unjudged first-pass hits per query (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", defaultValue = "libsvm", paramLabel = "F", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    String out;

    @Override
    public Integer call() {
        var output = Output.of(spec);
        if (top < 0) {
            throw CommandFailure.badRequest("--top must be at least 0, got " + top);
        }
        if ((model == null) == (features == null)) {
            throw CommandFailure.badRequest("give exactly one of --model ID and --features FILE");
        }
        var featureSet = features == null ? null : ModelCommand.readFile(features, "feature set");
        var judgments = read(() -> QrelsFile.read(Path.of(qrels)), qrels);
        var texts = new LinkedHashMap<String, dev.rankql.engine.eval.Query>();
        read(() -> QueriesFile.read(Path.of(queries)), queries).forEach(q -> texts.put(q.id(), q));
        QueryTemplate template;
        try {
            template = QueryTemplate.compile(Json.MAPPER.readTree(ModelCommand.readFile(request, "request template")), "request");
        } catch (JacksonException e) {
            throw CommandFailure.badRequest("the request template is not JSON: " + e.getOriginalMessage());
        }
        var dataDir = root.dataDirectory();
        int rows = 0;
        try (var engine = Engine.open(dataDir); Writer writer = Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8)) {
            var deployed = model != null ? engine.models().require(model) : engine.models().featureSetOnly(featureSet);
            var names = deployed.ltr()
                    .orElseThrow(() -> CommandFailure.badRequest("model [" + model + "] is not a learning_to_rank model"))
                    .extractors().stream().map(e -> e.featureName()).toList();
            var queryIds = new ArrayList<>(judgments.queryIds());
            java.util.Collections.sort(queryIds);
            int done = 0;
            try (var bar = progress.count("log-features", " queries", queryIds.size())) {
                for (var queryId : queryIds) {
                    var query = texts.get(queryId);
                    if (query == null) {
                        throw CommandFailure.badRequest("query [" + queryId + "] of " + qrels + " is not in " + queries);
                    }
                    Map<String, Object> vars = Map.of("query_text", query.text(), "query_id", queryId);
                    var body = template.render(vars).orElseThrow(() -> CommandFailure.badRequest(
                            "the request template uses a placeholder other than {{query_text}} and {{query_id}}"));
                    dev.rankql.ast.SearchRequest search;
                    try {
                        search = EsJson.parseSearch(Json.write(body));
                    } catch (InvalidRequestException e) {
                        throw CommandFailure.badRequest("the rendered request of query [" + queryId + "] is invalid: " + e.getMessage());
                    }
                    var firstPass = search.query().orElse(new dev.rankql.ast.Query.MatchAll(dev.rankql.ast.Span.NONE,
                            java.util.Optional.empty(), java.util.Optional.empty()));
                    var judged = judgments.judgments(queryId);
                    var logged = engine.logFeatures(index, firstPass, deployed, LtrTraining.featureParams(query),
                            new ArrayList<>(judged.keySet()), top + judged.size());
                    int unjudged = 0;
                    for (var row : logged) {
                        Integer grade = judged.get(row.docId());
                        if (grade == null) {
                            if (unjudged >= top) {
                                continue;
                            }
                            unjudged++;
                            grade = 0;
                        }
                        write(writer, queryId, row.docId(), grade, names, row.values());
                        rows++;
                    }
                    bar.readTo(++done);
                }
            }
        } catch (EngineException e) {
            throw CommandFailure.of(EsErrors.of(e));
        } catch (IOException e) {
            throw CommandFailure.failed("log-features failed: " + e.getMessage(), e);
        }
        output.note("wrote " + rows + " rows to " + out);
        return ExitCodes.OK;
    }

    private void write(Writer writer, String queryId, String docId, int grade, java.util.List<String> names, float[] values)
            throws IOException {
        if (format == Format.jsonl) {
            var node = Json.object();
            node.put("query_id", queryId);
            node.put("doc_id", docId);
            node.put("grade", grade);
            var features = node.putObject("features");
            for (int f = 0; f < names.size(); f++) {
                if (!Float.isNaN(values[f])) {
                    features.put(names.get(f), values[f]);
                }
            }
            writer.write(Json.write(node));
            writer.write('\n');
            return;
        }
        var line = new StringBuilder().append(grade).append(" qid:").append(queryId);
        for (int f = 0; f < names.size(); f++) {
            if (!Float.isNaN(values[f])) {
                line.append(' ').append(f + 1).append(':').append(values[f]);
            }
        }
        line.append(" # ").append(docId).append('\n');
        writer.write(line.toString());
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reading<T> reading, String file) {
        try {
            return reading.read();
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("[" + file + "] does not exist");
        } catch (EvalFormatException e) {
            throw CommandFailure.badRequest(e.getMessage());
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read [" + file + "]: " + e.getMessage(), e);
        }
    }
}
