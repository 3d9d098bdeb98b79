package dev.rankql.models.formats;

import dev.rankql.models.ModelException;
import dev.rankql.models.ModelLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A JSON value together with its path from the document root, so that every error can say where it is. */
record Json(JsonNode node, String path) {

    /**
     * Nested trees (dumps, Solr, LightGBM JSON) nest two JSON levels per tree level; Jackson's default of 500 would
     * refuse a legitimate tree deeper than about 250, which LightGBM's leaf-wise growth can produce. Reading the tree
     * and flattening it are both iterative, so a deep document costs memory, not stack.
     */
    static final int MAX_DEPTH = 20_000;

    /**
     * Floats are read as exact decimals so that a float written by a library is read back as exactly that float,
     * not as the float nearest to the nearest double; duplicate keys are rejected rather than silently overwritten.
     */
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(constraints())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** rankql's JSON limits (see {@link ModelLimits}), with the deep nesting that trees need. */
    static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(ModelLimits.MAX_JSON_STRING_LENGTH)
                .maxNumberLength(ModelLimits.MAX_JSON_NUMBER_LENGTH)
                .maxNameLength(ModelLimits.MAX_JSON_NAME_LENGTH)
                .build();
    }

    static Json parse(String text) {
        try {
            return root(MAPPER.readTree(text));
        } catch (JacksonException e) {
            throw invalid(e);
        } catch (NumberFormatException e) {
            throw outOfRange(text, e);
        }
    }

    /**
     * Parses an XGBoost JSON model: the same tree as {@link #parse(String)}, with the node arrays of each {@code trees}
     * entry read straight into primitive arrays (see {@link TreeArrays}); every accessor reads them as the arrays they
     * were.
     */
    static Json parseTrees(String text) {
        return parseTrees(text, false);
    }

    /** The same, keeping each tree's {@code base_weights} when {@code nodeWeights}. */
    static Json parseTrees(String text, boolean nodeWeights) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new ModelException("$", "the model file is empty");
            }
            JsonNode node = TreeArrays.read(MAPPER, parser, nodeWeights);
            if (parser.nextToken() != null) {
                // What Jackson's own readTree reports for content after the document.
                MAPPER.readTree(text);
            }
            return root(node);
        } catch (JacksonException e) {
            throw invalid(e);
        } catch (NumberFormatException e) {
            throw outOfRange(text, e);
        }
    }

    private static Json root(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new ModelException("$", "the model file is empty");
        }
        return new Json(node, "$");
    }

    /**
     * Jackson reports a decimal whose exponent no {@link BigDecimal} can hold ({@code 1e-2147483648}) with a bare
     * {@link NumberFormatException} that says neither where nor that it is a JSON error; reading the tokens again,
     * each decimal on its own, finds the number and its position.
     */
    private static ModelException outOfRange(String text, NumberFormatException e) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    try {
                        parser.getDecimalValue();
                    } catch (NumberFormatException bad) {
                        var location = parser.currentTokenLocation();
                        return new ModelException("line " + location.getLineNr() + ", column " + location.getColumnNr(),
                                "not valid JSON: the number " + abbreviated(parser.getString())
                                        + " has an exponent out of range", e);
                    }
                }
            }
        } catch (JacksonException later) {
            // readTree met the number before any syntax error, so this loop does too; the answer below is a fallback.
        }
        return new ModelException("$", "not valid JSON: a number has an exponent out of range", e);
    }

    private static String abbreviated(String number) {
        return number.length() <= 40 ? number : number.substring(0, 20) + "..." + number.substring(number.length() - 15);
    }

    private static ModelException invalid(JacksonException e) {
        var location = e.getLocation();
        String where = location == null
                ? "$"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new ModelException(where, "not valid JSON: " + e.getOriginalMessage(), e);
    }

    /** The primitive array this value was read into, or null. */
    private TreeArrays.Compact compact() {
        return node.isPojo() && ((tools.jackson.databind.node.POJONode) node).getPojo()
                instanceof TreeArrays.Compact c ? c : null;
    }

    boolean isObject() {
        return node.isObject();
    }

    boolean isArray() {
        return node.isArray() || compact() != null;
    }

    boolean isString() {
        return node.isString();
    }

    boolean isNumber() {
        return node.isNumber();
    }

    boolean has(String name) {
        return node.isObject() && node.hasNonNull(name);
    }

    ModelException error(String problem) {
        return new ModelException(path, problem);
    }

    String typeName() {
        if (compact() != null) {
            return "an array";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    ModelException expected(String what) {
        return error("expected " + what + ", got " + typeName());
    }

    Json object() {
        if (!node.isObject()) {
            throw expected("an object");
        }
        return this;
    }

    Json field(String name) {
        object();
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new ModelException(path, "required field [" + name + "] is missing");
        }
        return new Json(child, path + "." + name);
    }

    Optional<Json> optional(String name) {
        object();
        JsonNode child = node.get(name);
        return child == null || child.isNull() ? Optional.empty() : Optional.of(new Json(child, path + "." + name));
    }

    List<Json> elements() {
        var compact = compact();
        if (compact != null) {
            return new Json(expand(compact), path).elements();
        }
        if (!node.isArray()) {
            throw expected("an array");
        }
        var list = new ArrayList<Json>(node.size());
        for (int i = 0; i < node.size(); i++) {
            list.add(new Json(node.get(i), path + "[" + i + "]"));
        }
        return list;
    }

    List<String> propertyNames() {
        return List.copyOf(object().node.propertyNames());
    }

    String string() {
        if (!node.isString()) {
            throw expected("a string");
        }
        return node.stringValue();
    }

    boolean bool() {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && (node.intValue() == 0 || node.intValue() == 1)) {
            return node.intValue() == 1;
        }
        throw expected("a boolean");
    }

    int integer() {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isString()) {
            try {
                return Integer.parseInt(node.stringValue().trim());
            } catch (NumberFormatException e) {
                throw error("expected an integer, got \"" + node.stringValue() + "\"");
            }
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            try {
                return d.intValueExact();
            } catch (ArithmeticException e) {
                throw error("expected an integer, got " + d.toPlainString());
            }
        }
        throw expected("an integer");
    }

    /** A number written as a JSON number, or as a string when {@code lenient} ("0.5", "0.5f", "NaN"). */
    double number(boolean lenient) {
        if (node.isNumber()) {
            return node.isIntegralNumber() ? node.doubleValue() : Double.parseDouble(node.decimalValue().toString());
        }
        if (lenient && node.isString()) {
            return parseDouble(node.stringValue());
        }
        throw expected("a number");
    }

    double number() {
        return number(false);
    }

    /** A number read straight to the nearest float, as a library that writes floats reads them back. */
    float float32() {
        if (node.isNumber()) {
            // An integer beyond the long range is still a number: its nearest float (or an infinity).
            return node.isIntegralNumber() && node.canConvertToLong()
                    ? (float) node.longValue()
                    : Float.parseFloat(node.decimalValue().toString());
        }
        if (node.isString()) {
            String text = node.stringValue().trim();
            try {
                return Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw error("expected a number, got \"" + text + "\"");
            }
        }
        throw expected("a number");
    }

    private double parseDouble(String raw) {
        String text = raw.trim();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error("expected a number, got \"" + raw + "\"");
        }
    }

    /** The element at {@code i} of an array, with its path; paths of array elements are built only when needed. */
    private Json element(int i) {
        return new Json(node.get(i), path + "[" + i + "]");
    }

    private JsonNode array() {
        if (!node.isArray()) {
            throw expected("an array");
        }
        return node;
    }

    /** A primitive array as the nodes it was read from (an int, float or boolean node per element). */
    private static JsonNode expand(TreeArrays.Compact compact) {
        var array = MAPPER.getNodeFactory().arrayNode(compact.length());
        for (int i = 0; i < compact.length(); i++) {
            array.add(compact.ints() != null ? MAPPER.getNodeFactory().numberNode(compact.ints()[i])
                    : compact.floats() != null ? MAPPER.getNodeFactory().numberNode(compact.floats()[i])
                    : MAPPER.getNodeFactory().booleanNode(compact.flags()[i]));
        }
        return array;
    }

    /** The elements of an array; the result may be the array the value was read into, so it is not modified. */
    int[] integers() {
        var compact = compact();
        if (compact != null && compact.ints() != null) {
            return compact.ints();
        }
        if (compact != null) {
            return new Json(expand(compact), path).integers();
        }
        JsonNode items = array();
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = items.get(i);
            out[i] = item.isInt() ? item.intValue() : element(i).integer();
        }
        return out;
    }

    /** The elements of an array; the result may be the array the value was read into, so it is not modified. */
    float[] floats() {
        var compact = compact();
        if (compact != null && compact.floats() != null) {
            return compact.floats();
        }
        if (compact != null) {
            return new Json(expand(compact), path).floats();
        }
        JsonNode items = array();
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = items.get(i);
            out[i] = item.isFloatingPointNumber()
                    ? Float.parseFloat(item.decimalValue().toString())
                    : element(i).float32();
        }
        return out;
    }

    /** The elements of an array; the result may be the array the value was read into, so it is not modified. */
    boolean[] booleans() {
        var compact = compact();
        if (compact != null && compact.flags() != null) {
            return compact.flags();
        }
        if (compact != null) {
            return new Json(expand(compact), path).booleans();
        }
        JsonNode items = array();
        boolean[] out = new boolean[items.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = items.get(i);
            out[i] = item.isBoolean() ? item.booleanValue() : element(i).bool();
        }
        return out;
    }

    /** The number of elements of an array. */
    int length() {
        var compact = compact();
        return compact != null ? compact.length() : array().size();
    }

    List<String> strings() {
        var items = elements();
        var out = new ArrayList<String>(items.size());
        for (Json item : items) {
            out.add(item.string());
        }
        return out;
    }
}
