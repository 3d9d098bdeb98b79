package dev.rankql.engine.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Value;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@code queries.jsonl}: one JSON object per line with a string {@code id} and a string
 * {@code text}, as in BEIR and {@code ../shared/data}.
 *
 * <p>An optional {@code params} object holds the query's own template parameters ({@link Query#params}): each value
 * a string, a number, a boolean or an array of numbers (such as a query vector); {@code query_text} and
 * {@code query_id} cannot be
 * redefined. Other members of a line's object (BEIR's {@code metadata}) are ignored; an integral number is accepted
 * as an id and read as its decimal text. Blank lines are skipped. Invalid JSON, a missing or mistyped member, an id with
 * whitespace, or an id seen before is an {@link EvalFormatException} naming the file and line.
 */
public final class QueriesFile {

    private static final JsonMapper JSON = JsonMapper.builder(dev.rankql.engine.mapping.Json.factory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private QueriesFile() {}

    /** Reads a UTF-8 queries file, queries in file order. */
    public static List<Query> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /** Reads queries from a reader; {@code source} names the input in error messages. */
    public static List<Query> parse(Reader reader, String source) throws IOException {
        requireNonNull(source, "source");
        List<String> lines = Lines.readAll(requireNonNull(reader, "reader"));
        List<Query> queries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JacksonException e) {
                TokenStreamLocation location = e.getLocation();
                int column = location == null ? 0 : Math.max(0, location.getColumnNr());
                throw new EvalFormatException(source, lineNumber, column, "invalid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new EvalFormatException(source, lineNumber, "expected a JSON object with \"id\" and \"text\"");
            }
            String id = id(node.get("id"), source, lineNumber);
            JsonNode text = node.get("text");
            if (text == null || !text.isString()) {
                throw new EvalFormatException(source, lineNumber,
                        "\"text\" must be a string, found " + describe(text));
            }
            Integer previous = seen.putIfAbsent(id, lineNumber);
            if (previous != null) {
                throw new EvalFormatException(source, lineNumber,
                        "query id [" + id + "] appears twice; first on line " + previous);
            }
            queries.add(new Query(id, text.stringValue(), params(node.get("params"), source, lineNumber)));
        }
        return Collections.unmodifiableList(queries);
    }

    private static String id(JsonNode id, String source, int line) throws EvalFormatException {
        String text;
        if (id != null && id.isString()) {
            text = id.stringValue();
        } else if (id != null && id.isIntegralNumber()) {
            text = id.bigIntegerValue().toString();
        } else {
            throw new EvalFormatException(source, line, "\"id\" must be a string, found " + describe(id));
        }
        if (!Lines.isToken(text)) {
            throw new EvalFormatException(source, line,
                    "\"id\" must be non-empty and without whitespace, found [" + text + "]");
        }
        return text;
    }

    private static Map<String, Value> params(JsonNode params, String source, int line) throws EvalFormatException {
        if (params == null) {
            return Map.of();
        }
        if (!params.isObject()) {
            throw new EvalFormatException(source, line, "\"params\" must be an object, found " + describe(params));
        }
        Map<String, Value> values = new TreeMap<>();
        for (var entry : params.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (name.isEmpty() || Query.RESERVED_PARAMS.contains(name)) {
                throw new EvalFormatException(source, line, "\"params\" cannot define [" + name + "]: "
                        + (name.isEmpty() ? "a parameter needs a name" : "every query defines it itself"));
            }
            if (value.isString()) {
                values.put(name, Value.of(value.stringValue()));
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                values.put(name, Value.of(value.longValue()));
            } else if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                values.put(name, Value.of(value.doubleValue()));
            } else if (value.isBoolean()) {
                values.put(name, Value.of(value.booleanValue()));
            } else if (value.isArray()) {
                values.put(name, numbers(name, value, source, line));
            } else {
                throw new EvalFormatException(source, line, "parameter [" + name
                        + "] must be a string, a number, a boolean or an array of numbers, found " + describe(value));
            }
        }
        return values;
    }

    private static Value numbers(String name, JsonNode array, String source, int line) throws EvalFormatException {
        List<Value> elements = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isNumber() || !Double.isFinite(element.doubleValue())) {
                throw new EvalFormatException(source, line, "parameter [" + name + "] must hold only finite numbers, "
                        + "found " + describe(element) + " at [" + i + "]");
            }
            elements.add(element.isIntegralNumber() && element.canConvertToLong() ? Value.of(element.longValue())
                    : Value.of(element.doubleValue()));
        }
        return new Value.Arr(elements);
    }

    private static IllegalStateException notScalar(String name) {
        return new IllegalStateException("query parameter [" + name + "] is neither a scalar nor an array of numbers, "
                + "which Query refuses");
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }

    /** Writes the queries as UTF-8 JSON lines. */
    public static void write(Path file, List<Query> queries) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            write(writer, queries);
        }
    }

    /** Writes one {@code {"id": …, "text": …}} line per query, in order, with its {@code params} when it has any. */
    public static void write(Writer writer, List<Query> queries) throws IOException {
        requireNonNull(writer, "writer");
        for (Query query : queries) {
            var node = JSON.createObjectNode().put("id", query.id()).put("text", query.text());
            if (!query.params().isEmpty()) {
                var params = node.putObject("params");
                new TreeMap<>(query.params()).forEach((name, value) -> {
                    switch (value) {
                        case Value.Str v -> params.put(name, v.value());
                        case Value.Int v -> params.put(name, v.value());
                        case Value.Dbl v -> params.put(name, v.value());
                        case Value.Bool v -> params.put(name, v.value());
                        case Value.Null v -> throw notScalar(name);
                        case Value.Arr v -> {
                            var array = params.putArray(name);
                            for (Value element : v.values()) {
                                switch (element) {
                                    case Value.Int n -> array.add(n.value());
                                    case Value.Dbl n -> array.add(n.value());
                                    case Value.Str e -> throw notScalar(name);
                                    case Value.Bool e -> throw notScalar(name);
                                    case Value.Null e -> throw notScalar(name);
                                    case Value.Arr e -> throw notScalar(name);
                                    case Value.Obj e -> throw notScalar(name);
                                }
                            }
                        }
                        case Value.Obj v -> throw notScalar(name);
                    }
                });
            }
            writer.write(JSON.writeValueAsString(node));
            writer.write('\n');
        }
        writer.flush();
    }
}
