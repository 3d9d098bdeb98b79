package dev.rankql.train;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes training sets as JSON Lines: one {@code {"qid": …, "doc": …, "grade": …, "features": {name:
 * value, …}}} object per line.
 *
 * <p>{@code qid} and {@code doc} are strings (an integral number is read as its decimal text), {@code grade} is an
 * integer, and each feature value is a finite number or {@code null}; a feature that is {@code null} or absent is
 * missing ({@code NaN}). Without a given list of names, the columns are the feature names in the order they are first
 * met; with one, an unknown name is an error. Numbers are converted to {@code float} from their decimal text with one
 * rounding. Blank lines are skipped; other members of a line's object are errors, so typos do not pass silently.
 * Every problem is a {@link TrainingDataException} with the file, line and (for invalid JSON) column.
 */
public final class JsonLinesFormat {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final List<String> MEMBERS = List.of("qid", "doc", "grade", "features");

    private JsonLinesFormat() {}

    /** Reads a UTF-8 file, inferring the feature names. */
    public static TrainingSet read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            return parse(reader, file.toString(), null);
        }
    }

    /**
     * Reads a training set; {@code source} names the input in error messages. {@code featureNames} fixes the columns,
     * or is {@code null} to take every name met, in first-seen order.
     */
    public static TrainingSet parse(Reader reader, String source, List<String> featureNames) throws IOException {
        requireNonNull(source, "source");
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(requireNonNull(reader));
        boolean fixed = featureNames != null;
        Map<String, Integer> columns = new LinkedHashMap<>();
        if (fixed) {
            for (String name : TrainingSet.checkNames(featureNames)) {
                columns.put(name, columns.size());
            }
        }
        List<ParsedRow> rows = new ArrayList<>();
        String line;
        int lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            rows.add(parseLine(line, source, lineNumber, columns, fixed));
        }
        TrainingSet.Builder builder = TrainingSet.builder(List.copyOf(columns.keySet()));
        float[] dense = new float[columns.size()];
        for (ParsedRow row : rows) {
            Arrays.fill(dense, Float.NaN);
            for (int i = 0; i < row.columns.length; i++) {
                dense[row.columns[i]] = row.values[i];
            }
            try {
                builder.add(row.queryId, row.docId, row.grade, dense);
            } catch (IllegalArgumentException e) {
                throw new TrainingDataException(source, row.line, 0, e.getMessage());
            }
        }
        return builder.build();
    }

    private static ParsedRow parseLine(String line, String source, int lineNumber, Map<String, Integer> columns,
            boolean fixed) throws TrainingDataException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            TokenStreamLocation location = e.getLocation();
            int column = location == null ? 0 : Math.max(0, location.getColumnNr());
            throw new TrainingDataException(source, lineNumber, column, "invalid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // Jackson reads a decimal whose exponent no BigDecimal holds (1e-2147483648) with a bare exception.
            throw new TrainingDataException(source, lineNumber, 0, "invalid JSON: a number has an exponent out of range");
        }
        if (node == null || !node.isObject()) {
            throw new TrainingDataException(source, lineNumber, 0,
                    "expected a JSON object with \"qid\", \"doc\", \"grade\" and \"features\"");
        }
        for (String member : node.propertyNames()) {
            if (!MEMBERS.contains(member)) {
                throw new TrainingDataException(source, lineNumber, 0,
                        "unknown member \"" + member + "\"; expected " + MEMBERS);
            }
        }
        String queryId = id(node.get("qid"), "qid", source, lineNumber);
        String docId = id(node.get("doc"), "doc", source, lineNumber);
        JsonNode grade = node.get("grade");
        if (grade == null || !grade.isIntegralNumber() || !grade.canConvertToInt()) {
            throw new TrainingDataException(source, lineNumber, 0,
                    "\"grade\" must be an integer, found " + describe(grade));
        }
        JsonNode features = node.get("features");
        if (features == null || !features.isObject()) {
            throw new TrainingDataException(source, lineNumber, 0,
                    "\"features\" must be an object of name: number, found " + describe(features));
        }
        int[] indices = new int[features.size()];
        float[] values = new float[features.size()];
        int n = 0;
        for (Map.Entry<String, JsonNode> feature : features.properties()) {
            String name = feature.getKey();
            JsonNode value = feature.getValue();
            Integer column = columns.get(name);
            if (column == null) {
                if (fixed) {
                    throw new TrainingDataException(source, lineNumber, 0, "unknown feature \"" + name
                            + "\"; the features are " + columns.keySet());
                }
                try {
                    TrainingSet.checkName(name);
                } catch (IllegalArgumentException e) {
                    throw new TrainingDataException(source, lineNumber, 0, e.getMessage());
                }
                column = columns.size();
                columns.put(name, column);
            }
            float parsed;
            if (value.isNull()) {
                parsed = Float.NaN;
            } else if (value.isNumber()) {
                parsed = value.isIntegralNumber()
                        ? value.bigIntegerValue().floatValue() : value.decimalValue().floatValue();
                if (Float.isInfinite(parsed)) {
                    throw new TrainingDataException(source, lineNumber, 0,
                            "feature \"" + name + "\" is too large for a float: " + value);
                }
            } else {
                throw new TrainingDataException(source, lineNumber, 0,
                        "feature \"" + name + "\" must be a number or null, found " + describe(value));
            }
            indices[n] = column;
            values[n] = parsed;
            n++;
        }
        return new ParsedRow(lineNumber, queryId, docId, grade.intValue(), indices, values);
    }

    private static String id(JsonNode id, String member, String source, int line) throws TrainingDataException {
        String text;
        if (id != null && id.isString()) {
            text = id.stringValue();
        } else if (id != null && id.isIntegralNumber()) {
            text = id.bigIntegerValue().toString();
        } else {
            throw new TrainingDataException(source, line, 0,
                    "\"" + member + "\" must be a string, found " + describe(id));
        }
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new TrainingDataException(source, line, 0,
                    "\"" + member + "\" must be non-empty and without whitespace, found [" + text + "]");
        }
        return text;
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "the number " + node;
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }

    /** Writes a UTF-8 file. */
    public static void write(Path file, TrainingSet set) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            write(writer, set);
        }
    }

    /**
     * Writes one line per row in group order, every feature by name in column order, a missing value as {@code null}
     * (so the columns read back in the same order) and every value in the shortest form that reads back to the same
     * float.
     */
    public static void write(Writer writer, TrainingSet set) throws IOException {
        requireNonNull(writer, "writer");
        List<String> names = set.featureNames();
        for (int q = 0; q < set.queryCount(); q++) {
            for (int row = set.groupStart(q), end = row + set.groupSize(q); row < end; row++) {
                ObjectNode line = JSON.createObjectNode();
                line.put("qid", set.queryId(q));
                line.put("doc", set.docId(row));
                line.put("grade", set.grade(row));
                ObjectNode features = line.putObject("features");
                for (int f = 0; f < names.size(); f++) {
                    float value = set.feature(row, f);
                    if (Float.isNaN(value)) {
                        features.putNull(names.get(f));
                    } else {
                        features.put(names.get(f), value);
                    }
                }
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
            }
        }
        writer.flush();
    }

    private record ParsedRow(int line, String queryId, String docId, int grade, int[] columns, float[] values) {}
}
