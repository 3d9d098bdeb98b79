package dev.rankql.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rankql.engine.mapping.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files {@code rankql lsa} and {@code rankql embed} read and write: JSON Lines corpora and query files, and the
 * same lines written back with a vector added to each document (a field) or each query (a param).
 */
final class EmbeddingFiles {

    private EmbeddingFiles() {}

    /**
     * The options {@code lsa embed} and {@code embed} share (a picocli mixin): the input, documents or queries, the
     * output file and the query param; each command adds its own {@code --field}, whose default differs.
     */
    static final class Target {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        static final class Input {
            @Option(names = "--corpus", required = true, paramLabel = "CORPUS.jsonl",
                    description = "Documents, one JSON object per line.")
            String corpus;

            @Option(names = "--queries", required = true, paramLabel = "Q.jsonl",
                    description = "Queries: one {\"id\": ..., \"text\": ...} object per line.")
            String queries;
        }

        @Option(names = "--out", required = true, paramLabel = "OUT.jsonl", description = "The file to write.")
        String out;

        @Option(names = "--param", defaultValue = "query_vector", paramLabel = "NAME",
                description = "The query param that receives the vector (default: ${DEFAULT-VALUE}).")
        String param;

        /** Whether documents are read (--corpus) rather than queries. */
        boolean documents() {
            return input.corpus != null;
        }

        /** The input file. */
        String in() {
            return documents() ? input.corpus : input.queries;
        }

        /** The document field or query param that receives the vector, checked. */
        String name(String field) {
            String name = documents() ? field : param;
            checkName(documents(), name);
            return name;
        }

        /**
         * Adds the counts and names every embedding command reports to {@code summary}: lines read, lines embedded,
         * lines without a vector, the dimensions, the field or param, and the output file.
         */
        void report(ObjectNode summary, int[] counts, int dimensions, String name) {
            summary.put(documents() ? "documents" : "queries", counts[0] + counts[1]);
            summary.put("embedded", counts[0]);
            summary.put("without_vector", counts[1]);
            summary.put("dimensions", dimensions);
            summary.put(documents() ? "field" : "param", name);
        }
    }

    /** What is done with one JSON object of an input file; {@code where} names the file and line for errors. */
    @FunctionalInterface
    interface LineHandler {
        void accept(ObjectNode node, String where);
    }

    /** Calls {@code handler} with every non-blank line of {@code file}, which must each hold a JSON object. */
    static void forEachLine(String file, LineHandler handler) {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + number;
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (JacksonException e) {
                    throw CommandFailure.badRequest(where + ": not valid JSON: " + e.getOriginalMessage());
                }
                if (!(node instanceof ObjectNode object)) {
                    throw CommandFailure.badRequest(where + ": expected a JSON object, found " + node.getNodeType());
                }
                handler.accept(object, where);
            }
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + file);
        } catch (IOException e) {
            throw CommandFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number of non-blank lines of {@code file}, for a progress bar. */
    static long countLines(String file) {
        try (var lines = Files.lines(Path.of(file), UTF_8)) {
            return lines.filter(line -> !line.isBlank()).count();
        } catch (NoSuchFileException e) {
            throw CommandFailure.notFound("no such file: " + file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw CommandFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The texts of a document's {@code fields}, in field order: a string field gives one text, an array of strings one
     * per element; a missing or null field gives none.
     */
    static List<String> fieldTexts(JsonNode document, List<String> fields, String where) {
        List<String> texts = new ArrayList<>();
        for (String field : fields) {
            JsonNode value = document.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isString()) {
                texts.add(value.stringValue());
            } else if (value.isArray() && allStrings(value)) {
                for (JsonNode element : value) {
                    texts.add(element.stringValue());
                }
            } else {
                throw CommandFailure.badRequest(where + ": field [" + field + "] must be a string or an array of "
                        + "strings, found " + value.getNodeType());
            }
        }
        return texts;
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isString()) {
                return false;
            }
        }
        return true;
    }

    /** A query line's {@code text}, which must be a string. */
    static String queryText(ObjectNode query, String where) {
        JsonNode text = query.get("text");
        if (text == null || !text.isString()) {
            throw CommandFailure.badRequest(where + ": a query needs a string \"text\"");
        }
        return text.stringValue();
    }

    /** Refuses a vector name that cannot be used: empty, or a param every query defines itself. */
    static void checkName(boolean documents, String name) {
        if (name.isBlank()) {
            throw CommandFailure.badRequest((documents ? "--field" : "--param") + " cannot be empty");
        }
        if (!documents && (name.equals("query_text") || name.equals("query_id"))) {
            throw CommandFailure.badRequest("--param cannot be [" + name + "]: every query defines it itself");
        }
    }

    /**
     * The object that receives the vector called {@code name}: the document itself, or the query's {@code params}
     * (created when missing); refuses a name the line already has.
     */
    static ObjectNode target(ObjectNode node, boolean documents, String name, String where) {
        if (documents) {
            if (node.has(name)) {
                throw CommandFailure.badRequest(where + ": the document already has a field [" + name
                        + "]; choose another --field");
            }
            return node;
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject()) {
            throw CommandFailure.badRequest(where + ": \"params\" must be an object");
        }
        ObjectNode target = params == null ? node.putObject("params") : (ObjectNode) params;
        if (target.has(name)) {
            throw CommandFailure.badRequest(where + ": the query already has a param [" + name
                    + "]; choose another --param");
        }
        return target;
    }

    /** Puts {@code vector} under {@code name}, or, without a vector, removes a {@code params} that stayed empty. */
    static void put(ObjectNode node, ObjectNode target, String name, float[] vector) {
        if (vector != null) {
            var array = target.putArray(name);
            for (float value : vector) {
                array.add(value);
            }
        } else if (target != node && target.isEmpty()) {
            node.remove("params");
        }
    }

    /** The output file, its folder created; refuses a directory and the input file itself. */
    static Path outFile(String out, String in) {
        var file = Path.of(out).toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw CommandFailure.badRequest("--out " + out + " is a directory");
        }
        if (in != null && file.equals(Path.of(in).toAbsolutePath().normalize())) {
            throw CommandFailure.badRequest("--out must not be the input file " + in);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw CommandFailure.failed("cannot create the folder of " + out + ": " + e.getMessage(), e);
        }
        return file;
    }
}
