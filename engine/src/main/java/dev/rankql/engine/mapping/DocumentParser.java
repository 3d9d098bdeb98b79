package dev.rankql.engine.mapping;

import dev.rankql.engine.EngineException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a JSON source into a Lucene document under the index's mappings, inferring mappings for new fields as
 * Elasticsearch's dynamic mapping does; nothing is changed unless the whole document parses.
 */
public final class DocumentParser {

    /** The ignore_above Elasticsearch gives the {@code .keyword} sub-field of dynamically mapped strings. */
    public static final int DYNAMIC_KEYWORD_IGNORE_ABOVE = 256;

    /** A parsed document and the mappings it needs (the input mappings when no field was new). */
    public record Parsed(Document document, Mappings mappings, boolean mappingsChanged) {}

    private final String id;
    private Mappings mappings;
    private Map<String, FieldMapping> flat;
    private boolean changed;
    private final Document document = new Document();
    private final Set<String> fieldNames = new LinkedHashSet<>();

    private DocumentParser(Mappings mappings, Map<String, FieldMapping> flat, String id) {
        this.mappings = mappings;
        this.flat = flat;
        this.id = id;
    }

    /** Parses {@code source} (JSON bytes) for document {@code id}; throws {@link EngineException} on bad input. */
    public static Parsed parse(Mappings mappings, String id, byte[] source) {
        return parse(mappings, mappings.flatten(), id, source);
    }

    /** Like {@link #parse(Mappings, String, byte[])} with {@code flat}, the already flattened {@code mappings}. */
    public static Parsed parse(Mappings mappings, Map<String, FieldMapping> flat, String id, byte[] source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(source);
        } catch (JacksonException e) {
            throw EngineException.documentParsing("failed to parse", new EngineException(
                    "x_content_parse_exception", e.getOriginalMessage(), 400));
        }
        if (root == null || !root.isObject()) {
            throw EngineException.documentParsing("failed to parse, document is empty");
        }
        return parse(mappings, flat, id, (ObjectNode) root, source);
    }

    /**
     * Like {@link #parse(Mappings, Map, String, byte[])} with {@code root}, {@code source} already parsed by {@link
     * Json#MAPPER}, so that a caller that had to read the source anyway does not parse it twice.
     */
    public static Parsed parse(Mappings mappings, Map<String, FieldMapping> flat, String id, ObjectNode root, byte[] source) {
        var parser = new DocumentParser(mappings, flat, id);
        parser.parseObject(root, "");
        for (var name : parser.fieldNames) {
            parser.document.add(new StringField(FieldNames.FIELD_NAMES, name, Field.Store.NO));
        }
        parser.document.add(new StringField(FieldNames.ID, id, Field.Store.YES));
        parser.document.add(new StoredField(FieldNames.SOURCE, source));
        return new Parsed(parser.document, parser.mappings, parser.changed);
    }

    private void parseObject(ObjectNode node, String prefix) {
        for (var entry : node.properties()) {
            var name = entry.getKey();
            var path = prefix + name;
            if (prefix.isEmpty() && FieldNames.isMetadata(name)) {
                throw EngineException.documentParsing(
                        "Field [" + name + "] is a metadata field and cannot be added inside a document. Use the index API request parameters.");
            }
            if (name.isBlank()) {
                throw EngineException.documentParsing("Field name cannot contain only whitespace: ['" + path + "']");
            }
            parseValue(path, entry.getValue());
        }
    }

    private void parseValue(String path, JsonNode value) {
        if (value.isNull()) {
            return;
        }
        if (mappings.aliases().containsKey(path)) {
            // An alias has no values of its own; Elasticsearch wraps this error as it wraps the vector checks below.
            var reason = "Cannot write to a field alias [" + path + "].";
            throw EngineException.documentParsing("failed to parse: " + reason,
                    new EngineException("illegal_argument_exception", reason, 400));
        }
        if (flat.get(path) instanceof FieldMapping.DenseVector vector) {
            // A vector is one value written as an array, so the array is not a list of values here.
            indexVector(path, vector, value);
            return;
        }
        if (value.isArray()) {
            for (var element : value) {
                parseValue(path, element);
            }
            return;
        }
        var mapping = flat.get(path);
        if (mapping == null) {
            mapping = dynamicMapping(path, value);
            if (mapping == null) {
                return;
            }
        }
        if (mapping instanceof FieldMapping.ObjectMapping) {
            if (!value.isObject()) {
                throw EngineException.documentParsing("object mapping for [" + path + "] tried to parse field [" + lastName(path)
                        + "] as object, but found a concrete value");
            }
            fieldNames.add(path);
            parseObject((ObjectNode) value, path + ".");
            return;
        }
        index(path, mapping, value);
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private FieldMapping dynamicMapping(String path, JsonNode value) {
        switch (mappings.dynamic()) {
            case FALSE -> {
                return null;
            }
            case STRICT -> {
                int dot = path.lastIndexOf('.');
                var parent = dot < 0 ? "_doc" : path.substring(0, dot);
                throw new EngineException(
                        "strict_dynamic_mapping_exception",
                        "[" + parent + "] mapping set to strict, dynamic introduction of [" + lastName(path) + "] within ["
                                + parent + "] is not allowed",
                        400);
            }
            case TRUE -> {
                // Inferred below.
            }
        }
        FieldMapping inferred;
        if (value.isObject()) {
            inferred = new FieldMapping.ObjectMapping(Map.of());
        } else if (value.isBoolean()) {
            inferred = new FieldMapping.Bool(Map.of());
        } else if (value.isIntegralNumber()) {
            inferred = new FieldMapping.Numeric(NumberType.LONG, Map.of());
        } else if (value.isNumber()) {
            inferred = new FieldMapping.Numeric(NumberType.FLOAT, Map.of());
        } else if (mappings.dateDetection() && DateFormats.looksLikeDate(value.asString())) {
            inferred = new FieldMapping.Date(DateFormats.DEFAULT, Map.of());
        } else {
            inferred = new FieldMapping.Text(
                    "standard",
                    Optional.empty(),
                    Map.of("keyword", new FieldMapping.Keyword(Optional.of(DYNAMIC_KEYWORD_IGNORE_ABOVE), Map.of())));
        }
        int dot = path.lastIndexOf('.');
        if (dot > 0 && flat.containsKey(path.substring(0, dot))
                && !(flat.get(path.substring(0, dot)) instanceof FieldMapping.ObjectMapping)) {
            throw EngineException.documentParsing("Could not dynamically add mapping for field [" + path
                    + "]. Existing mapping for [" + path.substring(0, dot) + "] must be of type object but found ["
                    + Optional.ofNullable(flat.get(path.substring(0, dot))).map(FieldMapping::typeName).orElse("none") + "].");
        }
        mappings = mappings.with(path, inferred);
        flat = mappings.flatten();
        changed = true;
        return inferred;
    }

    private void index(String path, FieldMapping mapping, JsonNode value) {
        try {
            indexValue(path, mapping, value);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            var preview = value.isString() ? value.asString() : value.isObject() ? objectPreview(value) : value.toString();
            var cause = new EngineException(
                    e instanceof IllegalStateException ? "illegal_state_exception" : "illegal_argument_exception",
                    String.valueOf(e.getMessage()),
                    400);
            throw EngineException.documentParsing(
                    "failed to parse field [" + path + "] of type [" + mapping.typeName() + "] in document with id '" + id
                            + "'. Preview of field's value: '" + preview + "'",
                    cause);
        }
    }

    private static String objectPreview(JsonNode value) {
        var parts = new ArrayList<String>();
        value.properties().forEach(e -> parts.add(e.getKey() + "=" + (e.getValue().isString() ? e.getValue().asString() : e.getValue().toString())));
        return "{" + String.join(", ", parts) + "}";
    }

    private void indexValue(String path, FieldMapping mapping, JsonNode value) {
        switch (mapping) {
            case FieldMapping.Text t -> {
                var text = scalarText(value, "text");
                document.add(new TextField(path, text, t.store() ? Field.Store.YES : Field.Store.NO));
                fieldNames.add(path);
            }
            case FieldMapping.Keyword k -> {
                var text = scalarText(value, "keyword");
                if (k.ignoreAbove().isPresent() && text.codePointCount(0, text.length()) > k.ignoreAbove().get()) {
                    return;
                }
                document.add(new StringField(path, text, k.store() ? Field.Store.YES : Field.Store.NO));
                document.add(new SortedSetDocValuesField(path, new BytesRef(text)));
                fieldNames.add(path);
            }
            case FieldMapping.Numeric n -> {
                if (n.type().isDecimal()) {
                    double v = n.type().round(parseDouble(value));
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("[" + n.typeName() + "] supports only finite values, but got [" + value.asString() + "]");
                    }
                    document.add(new DoublePoint(path, v));
                    document.add(new SortedNumericDocValuesField(path, NumericUtils.doubleToSortableLong(v)));
                    if (n.store()) {
                        // Stored as the type holds it, so that a float reads back as the float it is.
                        document.add(n.type() == NumberType.DOUBLE ? new StoredField(path, v) : new StoredField(path, (float) v));
                    }
                } else {
                    long v = parseLong(value, n.type());
                    document.add(new LongPoint(path, v));
                    document.add(new SortedNumericDocValuesField(path, v));
                    if (n.store()) {
                        document.add(new StoredField(path, v));
                    }
                }
                fieldNames.add(path);
            }
            case FieldMapping.Bool b -> {
                boolean v = parseBoolean(value);
                document.add(new StringField(path, v ? "T" : "F", Field.Store.NO));
                document.add(new SortedNumericDocValuesField(path, v ? 1 : 0));
                if (b.store()) {
                    document.add(new StoredField(path, v ? 1 : 0));
                }
                fieldNames.add(path);
            }
            case FieldMapping.Date d -> {
                long millis = value.isNumber() ? value.asLong() : DateFormats.parse(d.format(), scalarText(value, "date"));
                document.add(new LongPoint(path, millis));
                document.add(new SortedNumericDocValuesField(path, millis));
                if (d.store()) {
                    document.add(new StoredField(path, millis));
                }
                fieldNames.add(path);
            }
            case FieldMapping.RankFeature r -> {
                float v = (float) parseDouble(value);
                if (!(v > 0) || !Float.isFinite(v)) {
                    throw new IllegalArgumentException("[rank_feature] fields only support positive finite values, got [" + value.asString() + "]");
                }
                document.add(new FeatureField(FieldNames.FEATURE, path, r.positiveScoreImpact() ? v : 1 / v));
                fieldNames.add(path);
            }
            case FieldMapping.RankFeatures r -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException("[rank_features] fields must be json objects, expected a START_OBJECT but got: " + Json.tokenName(value));
                }
                for (var entry : value.properties()) {
                    float v = (float) parseDouble(entry.getValue());
                    if (!(v > 0) || !Float.isFinite(v)) {
                        throw new IllegalArgumentException("[rank_features] fields only support positive finite values, got [" + entry.getValue() + "] for feature [" + entry.getKey() + "]");
                    }
                    document.add(new FeatureField(path, entry.getKey(), r.positiveScoreImpact() ? v : 1 / v));
                }
                fieldNames.add(path);
            }
            case FieldMapping.DenseVector v -> throw new IllegalStateException("vectors are parsed by parseValue");
            case FieldMapping.ObjectMapping o -> throw new IllegalStateException("objects are parsed by parseValue");
        }
        for (var sub : mapping.fields().entrySet()) {
            var subPath = path + "." + sub.getKey();
            index(subPath, sub.getValue(), value);
        }
    }

    /**
     * Checks a vector as Elasticsearch's {@code dense_vector} mapper does and indexes it; its errors are reported as
     * {@code failed to parse: <reason>}, Elasticsearch's wrapping of errors raised outside a field's value parser.
     */
    private void indexVector(String path, FieldMapping.DenseVector mapping, JsonNode value) {
        float[] vector;
        try {
            vector = VectorValues.parse(value, mapping, "The [dense_vector] field [" + path + "] in doc [document with id '" + id + "']");
        } catch (IllegalArgumentException e) {
            throw EngineException.documentParsing("failed to parse: " + e.getMessage(), new EngineException(
                    e instanceof VectorValues.TokenException ? "parsing_exception" : "illegal_argument_exception", e.getMessage(), 400));
        }
        if (mapping.indexed()) {
            document.add(new KnnFloatVectorField(path, vector, mapping.similarity().lucene()));
        }
        fieldNames.add(path);
    }

    private static String scalarText(JsonNode value, String type) {
        if (value.isObject() || value.isArray()) {
            throw new IllegalStateException("Can't get text on a " + Json.tokenName(value));
        }
        return value.asString();
    }

    private static double parseDouble(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isString()) {
            return Double.parseDouble(value.asString().trim());
        }
        if (value.isBoolean()) {
            throw new IllegalArgumentException("Current token (" + Json.tokenName(value) + ") not numeric, can not use numeric value accessors");
        }
        throw new IllegalStateException("Can't get text on a " + Json.tokenName(value));
    }

    private static long parseLong(JsonNode value, NumberType type) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long v = value.longValue();
            if (v >= type.min() && v <= type.max()) {
                return v;
            }
        }
        BigDecimal decimal;
        if (value.isNumber()) {
            decimal = value.decimalValue();
        } else if (value.isString()) {
            try {
                decimal = new BigDecimal(value.asString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("For input string: \"" + value.asString() + "\"");
            }
        } else {
            throw new IllegalArgumentException("Current token (" + Json.tokenName(value) + ") not numeric, can not use numeric value accessors");
        }
        // Elasticsearch coerces decimals into whole types by truncating.
        var whole = decimal.toBigInteger();
        if (whole.compareTo(BigDecimal.valueOf(type.min()).toBigInteger()) < 0
                || whole.compareTo(BigDecimal.valueOf(type.max()).toBigInteger()) > 0) {
            var article = type == NumberType.INTEGER ? "an " : "a ";
            throw new IllegalArgumentException("Value [" + (value.isString() ? value.asString() : value.toString())
                    + "] is out of range for " + article + type.typeName());
        }
        return whole.longValue();
    }

    private static boolean parseBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString()) {
            switch (value.asString()) {
                case "true" -> {
                    return true;
                }
                case "false", "" -> {
                    return false;
                }
                default -> {
                    // Falls through to the error below.
                }
            }
        }
        throw new IllegalArgumentException("Failed to parse value [" + (value.isString() ? value.asString() : value.toString())
                + "] as only [true] or [false] are allowed.");
    }
}
