package dev.rankql.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.rankql.embed.PretrainedModel;
import dev.rankql.embed.TextEncoder;
import dev.rankql.engine.mapping.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rankql embed}: adds a pretrained encoder's vector to every document of a corpus file or every query of a
 * queries file, so that a {@code dense_vector} field, a {@code knn} search or a {@code vector_similarity} feature can
 * compare texts by meaning.
 */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = {
            "Embeds texts with a pretrained encoder run in this process (ONNX Runtime on the CPU; the model ships in "
                + "the jar, nothing is downloaded). --corpus: every document gets a field (--field) holding the unit "
                + "vector of its --fields, joined by spaces; map it as a dense_vector with the model's dimensions and "
                + "cosine similarity. --queries: every query gets a param (--param) holding the vector of its text, "
                + "encoded after the model's query instruction. Texts longer than the model's token limit are "
                + "truncated. A document with no text gets no vector. Lines are written in input order, and a text "
                + "always gets the same vector."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql embed --corpus corpus.jsonl --fields title,text --out corpus-bge.jsonl",
            "  rankql embed --queries queries.jsonl --out queries-bge.jsonl",
            "  rankql embed --queries queries.jsonl --param query_vector_bge --threads 2 \\",
            "      --model bge-small-en-v1.5 --out queries-bge.jsonl"
        })
public final class EmbedCommand implements Callable<Integer> {

    /** How many lines each thread embeds between two writes of the output. */
    private static final int LINES_PER_THREAD = 32;

    private final Progress.Factory progress;

    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddingFiles.Target target;

    @Option(names = "--model", defaultValue = "bge-small-en-v1.5", paramLabel = "NAME",
            description = "The encoder (default: ${DEFAULT-VALUE}); one of: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--fields", split = ",", paramLabel = "FIELD",
            description = "With --corpus: the fields whose text is embedded, in this order.")
    List<String> fields;

    @Option(names = "--field", defaultValue = "embedding", paramLabel = "NAME",
            description = "The document field that receives the vector (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(names = "--threads", paramLabel = "N",
            description = "Texts embedded at once (default: the number of processors).")
    Integer threads;

    /** The names of the shipped models, for the help text. */
    static final class ModelNames extends ArrayList<String> {
        ModelNames() {
            super(PretrainedModel.all().stream().map(PretrainedModel::name).toList());
        }
    }

    /** A command showing the texts embedded through {@code progress}. */
    EmbedCommand(Progress.Factory progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    @Override
    public Integer call() {
        PretrainedModel pretrained = PretrainedModel.named(model).orElseThrow(() -> CommandFailure.badRequest(
                "--model: unknown model [" + model + "]; the models are " + PretrainedModel.all().stream()
                        .map(PretrainedModel::name).collect(Collectors.joining(", ", "[", "]"))));
        boolean documents = target.documents();
        if (documents && (fields == null || fields.isEmpty())) {
            throw CommandFailure.badRequest("--corpus needs --fields: the fields whose text is embedded");
        }
        if (!documents && fields != null) {
            throw CommandFailure.badRequest("--fields is for --corpus; a query's own \"text\" is embedded");
        }
        if (documents && fields.stream().anyMatch(String::isBlank)) {
            throw CommandFailure.badRequest("--fields: a field name cannot be empty");
        }
        int parallelism = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (parallelism < 1) {
            throw CommandFailure.badRequest("--threads must be at least 1, got " + parallelism);
        }
        String in = target.in();
        String out = target.out;
        String name = target.name(field);
        var file = EmbeddingFiles.outFile(out, in);
        long total = EmbeddingFiles.countLines(in);
        long started = System.nanoTime();
        int[] counts = new int[2];
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "rankql-embed");
            thread.setDaemon(true);
            return thread;
        });
        try (TextEncoder encoder = open(pretrained);
                BufferedWriter writer = Files.newBufferedWriter(file, UTF_8);
                Progress bar = progress.count("embed", documents ? " documents" : " queries", total)) {
            List<Line> batch = new ArrayList<>();
            int batchSize = parallelism * LINES_PER_THREAD;
            long[] done = new long[1];
            EmbeddingFiles.forEachLine(in, (node, where) -> {
                String text = documents
                        ? String.join(" ", EmbeddingFiles.fieldTexts(node, fields, where))
                        : EmbeddingFiles.queryText(node, where);
                batch.add(new Line(node, EmbeddingFiles.target(node, documents, name, where), text));
                if (batch.size() == batchSize) {
                    done[0] += flush(batch, encoder, documents, name, pool, writer, counts);
                    bar.readTo(done[0]);
                }
            });
            done[0] += flush(batch, encoder, documents, name, pool, writer, counts);
            bar.readTo(done[0]);
        } catch (IOException | UncheckedIOException e) {
            throw CommandFailure.failed("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        var summary = Json.object();
        summary.put("model", pretrained.name());
        target.report(summary, counts, pretrained.dimensions(), name);
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        summary.put("out", out);
        return Output.of(spec).result(Json.writePretty(summary));
    }

    /** One input line waiting for its vector: the line, the object that receives the vector, and the text. */
    private record Line(ObjectNode node, ObjectNode target, String text) {}

    /** Embeds the lines of {@code batch} on {@code pool}, writes them in input order and empties the batch. */
    private static int flush(List<Line> batch, TextEncoder encoder, boolean documents, String name,
            ExecutorService pool, BufferedWriter writer, int[] counts) {
        List<Future<float[]>> vectors = new ArrayList<>(batch.size());
        for (Line line : batch) {
            vectors.add(line.text().isBlank() ? null : pool.submit(() -> documents
                    ? encoder.embedDocument(line.text())
                    : encoder.embedQuery(line.text())));
        }
        for (int i = 0; i < batch.size(); i++) {
            Line line = batch.get(i);
            float[] vector = vectors.get(i) == null ? null : await(vectors.get(i));
            EmbeddingFiles.put(line.node(), line.target(), name, vector);
            counts[vector != null ? 0 : 1]++;
            try {
                writer.write(Json.write(line.node()));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int size = batch.size();
        batch.clear();
        return size;
    }

    private static float[] await(Future<float[]> vector) {
        try {
            return vector.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.failed("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw CommandFailure.failed("cannot embed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static TextEncoder open(PretrainedModel pretrained) {
        try {
            return TextEncoder.open(pretrained);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw CommandFailure.failed("cannot load " + pretrained.name() + ": " + e.getMessage(), e);
        }
    }
}
