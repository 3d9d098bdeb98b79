package dev.rankql.models.lsa;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.json.JsonMapper;

/** The JSON form of an {@link LsaModel}: a writer, and a streaming reader that validates every field by its path. */
final class LsaJson {

    static final int FORMAT_VERSION = 1;

    static final String LSA = "lsa";
    static final String VERSION = "version";
    static final String DIMENSIONS = "dimensions";
    static final String DOCUMENTS = "documents";
    static final String MIN_DOC_FREQ = "min_doc_freq";
    static final String SEED = "seed";
    static final String METADATA = "metadata";
    static final String SINGULAR_VALUES = "singular_values";
    static final String TERMS = "terms";
    static final String DOC_FREQS = "doc_freqs";
    static final String VECTORS = "vectors";

    /** The fields of the model object in the order they are written and in which a missing one is reported. */
    private static final List<String> FIELDS = List.of(VERSION, DIMENSIONS, DOCUMENTS, MIN_DOC_FREQ, SEED, METADATA,
            SINGULAR_VALUES, TERMS, DOC_FREQS, VECTORS);

    /** The caller owns the stream: it is neither closed after writing nor after reading. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** The longest array the reader keeps: a little below Java's own limit, which the VM does not state exactly. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 16;

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final JsonParser parser;
    /** The path of the value being read and, inside an array, the index of the element ({@code -1} outside). */
    private String at = "$";
    private int element = -1;

    private LsaJson(JsonParser parser) {
        this.parser = parser;
    }

    static void write(LsaModel model, Writer out) throws IOException {
        requireNonNull(out, "out");
        try (JsonGenerator g = MAPPER.writerWithDefaultPrettyPrinter().createGenerator(out)) {
            g.writeStartObject();
            g.writeName(LSA);
            g.writeStartObject();
            g.writeName(VERSION);
            g.writeNumber(FORMAT_VERSION);
            g.writeName(DIMENSIONS);
            g.writeNumber(model.dimensions());
            g.writeName(DOCUMENTS);
            g.writeNumber(model.documentCount());
            g.writeName(MIN_DOC_FREQ);
            g.writeNumber(model.minDocFreq());
            g.writeName(SEED);
            g.writeNumber(model.seed());
            g.writeName(METADATA);
            g.writeStartObject();
            for (Map.Entry<String, String> entry : model.metadata().entrySet()) {
                g.writeName(entry.getKey());
                g.writeString(entry.getValue());
            }
            g.writeEndObject();
            // The JDK's toString gives the shortest decimal that parses back to the same value, so the round trip
            // through the file is exact for doubles and, parsed as floats, for the vectors too.
            g.writeName(SINGULAR_VALUES);
            g.writeStartArray();
            for (double v : model.singularValuesView()) {
                g.writeNumber(Double.toString(v));
            }
            g.writeEndArray();
            g.writeName(TERMS);
            g.writeStartArray();
            for (String term : model.terms()) {
                g.writeString(term);
            }
            g.writeEndArray();
            g.writeName(DOC_FREQS);
            g.writeStartArray();
            for (int df : model.docFreqs()) {
                g.writeNumber(df);
            }
            g.writeEndArray();
            g.writeName(VECTORS);
            g.writeStartArray();
            for (float v : model.vectors()) {
                g.writeNumber(Float.toString(v));
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (JacksonIOException e) {
            throw e.getCause();
        }
    }

    static LsaModel read(Reader in) throws IOException {
        requireNonNull(in, "in");
        try (JsonParser parser = MAPPER.createParser(in)) {
            LsaJson reader = new LsaJson(parser);
            try {
                return reader.document();
            } catch (JacksonIOException e) {
                throw e.getCause();
            } catch (JacksonException e) {
                // Jackson reads lazily: a syntax error can surface in any parser call, not only in nextToken.
                String where = e.getLocation() == null ? ""
                        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
                throw reader.fail("malformed JSON" + where + ": " + e.getOriginalMessage());
            }
        } catch (JacksonIOException e) {
            throw e.getCause();
        }
    }

    private LsaModel document() throws LsaFormatException {
        JsonToken token = next();
        if (token == null) {
            throw fail("expected an object, found no JSON value");
        }
        if (token != JsonToken.START_OBJECT) {
            throw fail("expected an object, found " + describe(token));
        }
        LsaModel model = null;
        while (next() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            at = "$" + member(name);
            if (!name.equals(LSA)) {
                throw fail("unknown field; the only field is \"" + LSA + "\"");
            }
            if (model != null) {
                throw fail("duplicate field");
            }
            next();
            model = model();
            at = "$";
        }
        if (model == null) {
            throw new LsaFormatException("$." + LSA, "missing field");
        }
        if (next() != null) {
            throw fail("unexpected content after the JSON object");
        }
        return model;
    }

    private LsaModel model() throws LsaFormatException {
        String self = at;
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw fail("expected an object, found " + describe(parser.currentToken()));
        }
        Set<String> seen = new HashSet<>();
        String unknown = null;
        long version = 0;
        long dimensions = 0;
        long documents = 0;
        long minDocFreq = 0;
        long seed = 0;
        Map<String, String> metadata = null;
        double[] singularValues = null;
        String[] terms = null;
        long[] docFreqs = null;
        float[] vectors = null;
        while (next() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            at = self + member(name);
            if (!seen.add(name)) {
                throw fail("duplicate field");
            }
            JsonToken token = next();
            switch (name) {
                case VERSION -> version = integer(token, 1, Integer.MAX_VALUE);
                case DIMENSIONS -> dimensions = integer(token, 1, Integer.MAX_VALUE);
                case DOCUMENTS -> documents = integer(token, 2, Integer.MAX_VALUE);
                case MIN_DOC_FREQ -> minDocFreq = integer(token, 1, Integer.MAX_VALUE);
                case SEED -> seed = integer(token, Long.MIN_VALUE, Long.MAX_VALUE);
                case METADATA -> metadata = metadata(token);
                case SINGULAR_VALUES -> singularValues = doubles(token);
                case TERMS -> terms = strings(token);
                case DOC_FREQS -> docFreqs = integers(token);
                case VECTORS -> vectors = floats(token);
                default -> {
                    if (unknown == null) {
                        unknown = at;
                    }
                    parser.skipChildren();
                }
            }
        }
        element = -1;
        // The version comes first: a newer file's unknown fields are best explained by its version.
        if (!seen.contains(VERSION)) {
            throw new LsaFormatException(self + "." + VERSION, "missing field");
        }
        if (version != FORMAT_VERSION) {
            throw new LsaFormatException(self + "." + VERSION,
                    "unsupported version " + version + "; this reader knows version " + FORMAT_VERSION);
        }
        if (unknown != null) {
            throw new LsaFormatException(unknown, "unknown field");
        }
        for (String field : FIELDS) {
            if (!seen.contains(field)) {
                throw new LsaFormatException(self + "." + field, "missing field");
            }
        }
        int k = (int) dimensions;
        int n = (int) documents;
        if (singularValues.length != k) {
            throw new LsaFormatException(self + "." + SINGULAR_VALUES, "expected " + k
                    + " numbers (one per dimension), found " + singularValues.length);
        }
        for (int i = 0; i < k; i++) {
            String path = self + "." + SINGULAR_VALUES + "[" + i + "]";
            if (singularValues[i] < 0) {
                throw new LsaFormatException(path, "expected a non-negative singular value, found " + singularValues[i]);
            }
            if (i > 0 && singularValues[i] > singularValues[i - 1]) {
                throw new LsaFormatException(path, "singular values must be descending, found " + singularValues[i]
                        + " after " + singularValues[i - 1]);
            }
        }
        if (terms.length == 0) {
            throw new LsaFormatException(self + "." + TERMS, "expected at least one term");
        }
        for (int t = 0; t < terms.length; t++) {
            String path = self + "." + TERMS + "[" + t + "]";
            if (terms[t].isEmpty()) {
                throw new LsaFormatException(path, "expected a non-empty term");
            }
            if (t > 0) {
                int order = terms[t].compareTo(terms[t - 1]);
                if (order == 0) {
                    throw new LsaFormatException(path, "duplicate term " + quote(terms[t]));
                }
                if (order < 0) {
                    throw new LsaFormatException(path, "terms must be sorted, found " + quote(terms[t]) + " after "
                            + quote(terms[t - 1]));
                }
            }
        }
        int limit = Math.min(n, terms.length);
        if (k >= limit) {
            throw new LsaFormatException(self + "." + DIMENSIONS, "expected fewer than min(documents, terms) = min("
                    + n + ", " + terms.length + ") = " + limit + " dimensions, found " + k);
        }
        if (docFreqs.length != terms.length) {
            throw new LsaFormatException(self + "." + DOC_FREQS, "expected " + terms.length
                    + " integers (one per term), found " + docFreqs.length);
        }
        int[] frequencies = new int[docFreqs.length];
        for (int t = 0; t < docFreqs.length; t++) {
            if (docFreqs[t] < minDocFreq || docFreqs[t] >= n) {
                throw new LsaFormatException(self + "." + DOC_FREQS + "[" + t + "]", "expected a document frequency from "
                        + minDocFreq + " (min_doc_freq) to " + (n - 1) + " (documents - 1), found " + docFreqs[t]);
            }
            frequencies[t] = (int) docFreqs[t];
        }
        long expected = (long) terms.length * k;
        if (vectors.length != expected) {
            throw new LsaFormatException(self + "." + VECTORS, "expected " + expected + " numbers (" + terms.length
                    + " terms x " + k + " dimensions), found " + vectors.length);
        }
        return new LsaModel(k, n, (int) minDocFreq, seed, metadata, singularValues, terms, frequencies, vectors);
    }

    private long integer(JsonToken token, long min, long max) throws LsaFormatException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw fail("expected an integer, found " + describe(token));
        }
        String text = parser.getString();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw fail("expected " + range(min, max) + ", found " + text);
        }
        if (value < min || value > max) {
            throw fail("expected " + range(min, max) + ", found " + text);
        }
        return value;
    }

    private static String range(long min, long max) {
        if (min == Long.MIN_VALUE) {
            return "a 64-bit integer";
        }
        return max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
    }

    private Map<String, String> metadata(JsonToken token) throws LsaFormatException {
        if (token != JsonToken.START_OBJECT) {
            throw fail("expected an object of strings, found " + describe(token));
        }
        String self = at;
        Map<String, String> metadata = new LinkedHashMap<>();
        while (next() == JsonToken.PROPERTY_NAME) {
            String key = parser.currentName();
            at = self + member(key);
            if (metadata.containsKey(key)) {
                throw fail("duplicate key");
            }
            JsonToken value = next();
            if (value != JsonToken.VALUE_STRING) {
                throw fail("expected a string, found " + describe(value));
            }
            metadata.put(key, parser.getString());
        }
        at = self;
        return metadata;
    }

    private double[] doubles(JsonToken token) throws LsaFormatException {
        array(token, "numbers");
        double[] values = new double[16];
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            String text = number(t);
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw fail("expected a finite number, found " + text);
            }
            if (element == values.length) {
                values = Arrays.copyOf(values, grow(values.length));
            }
            values[element++] = value;
        }
        return endArray(Arrays.copyOf(values, element));
    }

    private float[] floats(JsonToken token) throws LsaFormatException {
        array(token, "numbers");
        float[] values = new float[1024];
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            String text = number(t);
            float value = Float.parseFloat(text);
            if (!Float.isFinite(value)) {
                throw fail("expected a finite 32-bit float, found " + text);
            }
            if (element == values.length) {
                values = Arrays.copyOf(values, grow(values.length));
            }
            values[element++] = value;
        }
        return endArray(Arrays.copyOf(values, element));
    }

    private long[] integers(JsonToken token) throws LsaFormatException {
        array(token, "integers");
        long[] values = new long[1024];
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            if (element == values.length) {
                values = Arrays.copyOf(values, grow(values.length));
            }
            values[element] = integer(t, Long.MIN_VALUE, Long.MAX_VALUE);
            element++;
        }
        return endArray(Arrays.copyOf(values, element));
    }

    private String[] strings(JsonToken token) throws LsaFormatException {
        array(token, "strings");
        List<String> values = new ArrayList<>();
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            if (t != JsonToken.VALUE_STRING) {
                throw fail("expected a string, found " + describe(t));
            }
            values.add(parser.getString());
            element++;
        }
        return endArray(values.toArray(String[]::new));
    }

    private void array(JsonToken token, String of) throws LsaFormatException {
        if (token != JsonToken.START_ARRAY) {
            throw fail("expected an array of " + of + ", found " + describe(token));
        }
        element = 0;
    }

    private <T> T endArray(T values) {
        element = -1;
        return values;
    }

    private int grow(int length) throws LsaFormatException {
        if (length >= MAX_ARRAY_LENGTH) {
            throw fail("expected at most " + MAX_ARRAY_LENGTH + " elements");
        }
        return (int) Math.min(2L * length, MAX_ARRAY_LENGTH);
    }

    private String number(JsonToken token) throws LsaFormatException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail("expected a number, found " + describe(token));
        }
        return parser.getString();
    }

    private JsonToken next() {
        return parser.nextToken();
    }

    private LsaFormatException fail(String detail) {
        return new LsaFormatException(element < 0 ? at : at + "[" + element + "]", detail);
    }

    private String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(abbreviate(parser.getString()));
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> abbreviate(parser.getString());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static String member(String name) {
        return PLAIN_NAME.matcher(name).matches() ? "." + name : "[" + quote(name) + "]";
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsCharArray(text)) + "\"";
    }
}
