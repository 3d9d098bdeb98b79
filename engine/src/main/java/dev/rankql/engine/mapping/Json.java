package dev.rankql.engine.mapping;

import dev.rankql.json.JsonLimits;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the engine: strict about duplicate keys, as Elasticsearch is. */
public final class Json {

    /** The shared, immutable mapper; its size limits are rankql's (see {@link JsonLimits}). */
    public static final JsonMapper MAPPER = JsonMapper.builder(factory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Reads documents keeping decimals as written ({@code 1.10} stays {@code 1.10}), for sources returned to users. */
    public static final JsonMapper SOURCE_MAPPER = JsonMapper.builder(factory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {}

    /**
     * Reads a source with {@link #SOURCE_MAPPER}. A decimal whose exponent no {@link java.math.BigDecimal} can hold
     * ({@code 1e-2147483648}) makes Jackson throw a bare {@link NumberFormatException} rather than a
     * {@link tools.jackson.core.JacksonException}; such a source is read as {@link #MAPPER} reads it, with doubles,
     * which is how the document parser indexed it.
     */
    public static JsonNode readSource(byte[] bytes) {
        return readSource(bytes, 0, bytes.length);
    }

    /** The same, for {@code length} bytes from {@code offset}. */
    public static JsonNode readSource(byte[] bytes, int offset, int length) {
        try {
            return SOURCE_MAPPER.readTree(bytes, offset, length);
        } catch (NumberFormatException e) {
            return MAPPER.readTree(bytes, offset, length);
        }
    }

    /** A factory with rankql's limits on string, number and name lengths and nesting; a body's size is the server's. */
    public static JsonFactory factory() {
        return JsonFactory.builder().streamReadConstraints(JsonLimits.constraints(-1)).build();
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The compact JSON text of {@code node}. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The indented JSON text of {@code node}. */
    public static String writePretty(JsonNode node) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** The JSON type name used in Elasticsearch messages, e.g. {@code VALUE_STRING}. */
    public static String tokenName(JsonNode node) {
        if (node.isObject()) {
            return "START_OBJECT";
        }
        if (node.isArray()) {
            return "START_ARRAY";
        }
        if (node.isString()) {
            return "VALUE_STRING";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "VALUE_TRUE" : "VALUE_FALSE";
        }
        if (node.isNull()) {
            return "VALUE_NULL";
        }
        return node.isIntegralNumber() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT";
    }
}
