package dev.rankql.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rankql.engine.mapping.Analyzers;
import dev.rankql.engine.mapping.Json;
import dev.rankql.models.lsa.LsaFormatException;
import dev.rankql.models.lsa.LsaModel;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rankql lsa}: fits a latent semantic analysis embedding to a corpus and embeds documents and queries with it,
 * so that a {@code vector_similarity} feature can compare a query and a document by topic rather than by shared words.
 */
@Command(
        name = "lsa",
        mixinStandardHelpOptions = true,
        description = {
            "Latent semantic analysis: a corpus-specific text embedding, fitted without any pretrained model. "
                + "'fit' learns it from a corpus file; 'embed' adds a vector to every document of a corpus file (to "
                + "ingest into a dense_vector field) or to every query of a queries file (as the query's own "
                + "params, which templates and feature extractors read as {{query_vector}})."
        },
        subcommands = {LsaCommand.Fit.class, LsaCommand.Embed.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rankql lsa fit corpus.jsonl --fields title,text --dimensions 100 --out lsa.json",
            "  rankql lsa embed lsa.json --corpus corpus.jsonl --out corpus-lsa.jsonl",
            "  rankql lsa embed lsa.json --queries queries.jsonl --out queries-lsa.jsonl"
        })
public final class LsaCommand implements Callable<Integer> {

    /** The metadata key holding the comma-separated fields a model was fitted on. */
    static final String FIELDS = "fields";

    /** The metadata key holding the analyzer a model was fitted with. */
    static final String ANALYZER = "analyzer";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: fit or embed");
    }

    /** {@code rankql lsa fit}: learns the embedding from the documents of a corpus file. */
    @Command(
            name = "fit",
            mixinStandardHelpOptions = true,
            description = {
                "Fits an LSA model to CORPUS (one JSON object per line): the text of --fields is analysed with "
                    + "--analyzer, weighted (1 + ln tf) * ln(N / df) over the terms found in at least --min-doc-freq "
                    + "documents, and reduced to --dimensions by a truncated SVD (randomized, seeded, deterministic). "
                    + "Writes the model as JSON and prints a summary."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql lsa fit corpus.jsonl --fields title,text --out lsa.json",
                "  rankql lsa fit corpus.jsonl --fields body --analyzer standard \\",
                "      --dimensions 200 --min-doc-freq 3 --seed 7 --out lsa-200.json"
            })
    static final class Fit implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CORPUS", description = "The documents, one JSON object per line.")
        String corpus;

        @Option(names = "--fields", required = true, split = ",", paramLabel = "FIELD",
                description = "The fields whose text makes a document's bag of terms.")
        List<String> fields;

        @Option(names = "--analyzer", defaultValue = "english", paramLabel = "NAME",
                description = "A built-in analyzer, as in a mapping (default: ${DEFAULT-VALUE}).")
        String analyzer;

        @Option(names = "--dimensions", defaultValue = "100", paramLabel = "K",
                description = "The embedding's dimensions (default: ${DEFAULT-VALUE}).")
        int dimensions;

        @Option(names = "--min-doc-freq", defaultValue = "2", paramLabel = "M",
                description = "Terms found in fewer documents are left out (default: ${DEFAULT-VALUE}).")
        int minDocFreq;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
                description = "Seed of the randomized SVD (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "MODEL.json", description = "The model file to write.")
        String out;

        @Override
        public Integer call() {
            checkAnalyzer(analyzer);
            for (String field : fields) {
                if (field.isBlank()) {
                    throw CommandFailure.badRequest("--fields: a field name cannot be empty");
                }
            }
            List<Map<String, Integer>> bags = new ArrayList<>();
            EmbeddingFiles.forEachLine(corpus, (node, where) -> bags.add(bag(node, fields, analyzer, where)));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(FIELDS, String.join(",", fields));
            metadata.put(ANALYZER, analyzer);
            LsaModel model;
            try {
                model = LsaModel.fit(bags, dimensions, minDocFreq, seed, metadata);
            } catch (IllegalArgumentException e) {
                throw CommandFailure.badRequest("cannot fit an LSA model to " + corpus + ": " + e.getMessage());
            }
            var file = EmbeddingFiles.outFile(out, null);
            try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
                model.write(writer);
            } catch (IOException e) {
                throw CommandFailure.failed("cannot write " + out + ": " + e.getMessage(), e);
            }
            var summary = Json.object();
            summary.put("documents", model.documentCount());
            summary.put("vocabulary", model.vocabularySize());
            summary.put("dimensions", model.dimensions());
            var singular = summary.putArray("top_singular_values");
            double[] values = model.singularValues();
            Arrays.stream(values, 0, Math.min(5, values.length)).forEach(singular::add);
            summary.put("out", out);
            return Output.of(spec).result(Json.writePretty(summary));
        }
    }

    /** {@code rankql lsa embed}: adds the embedding to every document of a corpus file or every query of a queries file. */
    @Command(
            name = "embed",
            mixinStandardHelpOptions = true,
            description = {
                "Embeds with MODEL. --corpus: every document gets a field (--field) holding its vector, from the "
                    + "fields and analyzer the model was fitted with; map it as a dense_vector with the model's "
                    + "dimensions and cosine similarity. --queries: every query gets a param (--param) holding the "
                    + "vector of its text. A document or query with no term of the model's vocabulary gets no vector, "
                    + "so a vector_similarity feature is missing for it. Lines are written in input order."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  rankql lsa embed lsa.json --corpus corpus.jsonl --out corpus-lsa.jsonl",
                "  rankql lsa embed lsa.json --queries queries.jsonl --param query_vector \\",
                "      --out queries-lsa.jsonl"
            })
    static final class Embed implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "A model written by 'rankql lsa fit'.")
        String model;

        @Mixin
        EmbeddingFiles.Target target;

        @Option(names = "--field", defaultValue = "lsa", paramLabel = "NAME",
                description = "The document field that receives the vector (default: ${DEFAULT-VALUE}).")
        String field;

        @Override
        public Integer call() {
            LsaModel lsa = readModel(model);
            String analyzer = lsa.metadata().get(ANALYZER);
            String fieldList = lsa.metadata().get(FIELDS);
            if (analyzer == null || fieldList == null) {
                throw CommandFailure.badRequest(model + ": the model does not say which fields and analyzer it was "
                        + "fitted with (metadata [" + FIELDS + "] and [" + ANALYZER + "]); fit it with 'rankql lsa fit'");
            }
            checkAnalyzer(analyzer);
            List<String> fields = List.of(fieldList.split(","));
            boolean documents = target.documents();
            String in = target.in();
            String out = target.out;
            String name = target.name(field);
            var file = EmbeddingFiles.outFile(out, in);
            int[] counts = new int[2];
            try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
                EmbeddingFiles.forEachLine(in, (node, where) -> {
                    Map<String, Integer> bag;
                    if (documents) {
                        bag = bag(node, fields, analyzer, where);
                    } else {
                        bag = new HashMap<>();
                        Analyzers.countTerms(analyzer, EmbeddingFiles.queryText(node, where), bag);
                    }
                    ObjectNode target = EmbeddingFiles.target(node, documents, name, where);
                    float[] vector = lsa.embed(bag).orElse(null);
                    EmbeddingFiles.put(node, target, name, vector);
                    counts[vector != null ? 0 : 1]++;
                    try {
                        writer.write(Json.write(node));
                        writer.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                throw CommandFailure.failed("cannot write " + out + ": " + e.getMessage(), e);
            }
            var summary = Json.object();
            target.report(summary, counts, lsa.dimensions(), name);
            summary.put("out", out);
            return Output.of(spec).result(Json.writePretty(summary));
        }
    }

    /** The terms of a document's fields: strings, or arrays of strings; a missing or null field adds nothing. */
    private static Map<String, Integer> bag(JsonNode document, List<String> fields, String analyzer, String where) {
        Map<String, Integer> bag = new HashMap<>();
        for (String text : EmbeddingFiles.fieldTexts(document, fields, where)) {
            Analyzers.countTerms(analyzer, text, bag);
        }
        return bag;
    }

    private static void checkAnalyzer(String analyzer) {
        if (!Analyzers.exists(analyzer)) {
            throw CommandFailure.badRequest("unknown analyzer [" + analyzer + "]");
        }
    }

    private static LsaModel readModel(String file) {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), UTF_8)) {
            return LsaModel.read(reader);
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + file);
        } catch (LsaFormatException e) {
            throw CommandFailure.badRequest(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
