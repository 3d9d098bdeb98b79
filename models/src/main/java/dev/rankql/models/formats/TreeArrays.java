package dev.rankql.models.formats;

import java.util.Arrays;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON document into the same tree as {@link Json#parse(String)}, except that the node arrays of the objects in
 * a {@code trees} array (XGBoost's {@code left_children}, {@code split_conditions}, …) go straight into primitive
 * arrays and the per-node statistics XGBoost writes but no reader uses are skipped.
 *
 * <p>An XGBoost model is mostly those arrays: one tree node object and one exact decimal per number made reading a
 * 1000-tree model slower than XGBoost's own loader. The per-node statistics other than {@code base_weights} are never
 * kept, and {@code base_weights} only when asked for. A number goes into a primitive array only when
 * reading it there gives exactly what {@link Json} would give from the tree (an {@code int} token for an integer
 * field, any number for a float field — parsed to the nearest float from its text, as {@link Json#floats()} does —
 * true, false, 0 or 1 for a flag); at the first other element the array is read as an ordinary array node instead, so
 * that the same code reports the same error at the same path as before.
 */
final class TreeArrays {

    /**
     * A primitive node array read from a {@code trees} entry; {@link Json} reads it like the array it was and hands
     * out these arrays themselves, which nothing modifies.
     */
    record Compact(int[] ints, float[] floats, boolean[] flags) {

        int length() {
            return ints != null ? ints.length : floats != null ? floats.length : flags.length;
        }
    }

    private enum Kind {
        INT,
        FLOAT,
        FLAG
    }

    private static final Set<String> INT_FIELDS = Set.of("left_children", "right_children", "split_indices",
            "split_type", "categories", "categories_nodes", "categories_segments", "categories_sizes");
    private static final Set<String> FLOAT_FIELDS = Set.of("split_conditions", "base_weights");
    private static final Set<String> FLAG_FIELDS = Set.of("default_left");
    /** Training statistics per node: no reader looks at them, so they are checked as JSON and dropped. */
    private static final Set<String> UNUSED_FIELDS = Set.of("loss_changes", "parents", "sum_hessian");
    /** The node weights, which only the o19s/OpenSearch reading uses (as leaf values). */
    private static final String NODE_WEIGHTS = "base_weights";

    /**
     * Containers nested deeper than this are handed to Jackson's own (iterative) tree reader: XGBoost's trees lie at
     * most ten levels down, inside the o19s envelope, and this reader recurses.
     */
    private static final int MANUAL_DEPTH = 16;

    /** Jackson's tree reader for the values this one does not take apart; it stops at the end of the value. */
    private final ObjectReader values;
    private final JsonNodeFactory nodes;
    private final JsonParser parser;
    private final boolean nodeWeights;
    private int[] intBuffer = new int[256];
    private float[] floatBuffer = new float[256];
    private boolean[] flagBuffer = new boolean[256];

    private TreeArrays(JsonMapper mapper, JsonParser parser, boolean nodeWeights) {
        this.values = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.nodes = mapper.getNodeFactory();
        this.parser = parser;
        this.nodeWeights = nodeWeights;
    }

    /**
     * Reads the value at the parser's current token (a start token or a scalar).
     *
     * @param nodeWeights whether to keep each tree's {@code base_weights}, which are otherwise dropped unread
     */
    static JsonNode read(JsonMapper mapper, JsonParser parser, boolean nodeWeights) {
        return new TreeArrays(mapper, parser, nodeWeights).value(0, false);
    }

    private JsonNode value(int depth, boolean treeList) {
        JsonToken token = parser.currentToken();
        if (depth >= MANUAL_DEPTH || token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return values.readValue(parser);
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = nodes.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                boolean tree = treeList && parser.currentToken() == JsonToken.START_OBJECT;
                array.add(tree ? tree(depth + 1) : value(depth + 1, false));
            }
            return array;
        }
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.set(name, value(depth + 1, name.equals("trees")));
        }
        return object;
    }

    /** One element of a {@code trees} array. */
    private JsonNode tree(int depth) {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY
                    && (UNUSED_FIELDS.contains(name) || !nodeWeights && name.equals(NODE_WEIGHTS))) {
                parser.skipChildren();
                continue;
            }
            Kind kind = INT_FIELDS.contains(name) ? Kind.INT
                    : FLOAT_FIELDS.contains(name) ? Kind.FLOAT
                    : FLAG_FIELDS.contains(name) ? Kind.FLAG
                    : null;
            object.set(name, kind != null && token == JsonToken.START_ARRAY ? array(kind, depth + 1)
                    : value(depth + 1, false));
        }
        return object;
    }

    /** A node array from its start token, as a {@link Compact} when every element fits. */
    private JsonNode array(Kind kind, int depth) {
        // The buffers are shared by all arrays of the document; each array keeps an exact-size copy.
        int[] ints = kind == Kind.INT ? intBuffer : null;
        float[] floats = kind == Kind.FLOAT ? floatBuffer : null;
        boolean[] flags = kind == Kind.FLAG ? flagBuffer : null;
        int size = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (size == capacity(ints, floats, flags)) {
                int grown = size * 2;
                switch (kind) {
                    case INT -> ints = intBuffer = Arrays.copyOf(ints, grown);
                    case FLOAT -> floats = floatBuffer = Arrays.copyOf(floats, grown);
                    case FLAG -> flags = flagBuffer = Arrays.copyOf(flags, grown);
                }
            }
            boolean fits = switch (kind) {
                case INT -> {
                    boolean ok = token == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() == JsonParser.NumberType.INT;
                    if (ok) {
                        ints[size] = parser.getIntValue();
                    }
                    yield ok;
                }
                case FLOAT -> {
                    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                        // + 0f turns -0.0 into 0.0, which is what the exact decimal of the tree reads: the two
                        // compare the same in every test and sum the same onto any non-negative-zero score.
                        floats[size] = parser.getFloatValue() + 0f;
                        yield true;
                    }
                    boolean ok = token == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                    if (ok) {
                        floats[size] = (float) parser.getLongValue();
                    }
                    yield ok;
                }
                case FLAG -> {
                    boolean ok = token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
                            || token == JsonToken.VALUE_NUMBER_INT
                                    && parser.getNumberType() == JsonParser.NumberType.INT
                                    && (parser.getIntValue() == 0 || parser.getIntValue() == 1);
                    if (ok) {
                        flags[size] = token == JsonToken.VALUE_TRUE
                                || token == JsonToken.VALUE_NUMBER_INT && parser.getIntValue() == 1;
                    }
                    yield ok;
                }
            };
            if (!fits) {
                return irregular(kind, ints, floats, flags, size, depth);
            }
            size++;
        }
        return nodes.pojoNode(new Compact(
                ints == null ? null : Arrays.copyOf(ints, size),
                floats == null ? null : Arrays.copyOf(floats, size),
                flags == null ? null : Arrays.copyOf(flags, size)));
    }

    private static int capacity(int[] ints, float[] floats, boolean[] flags) {
        return ints != null ? ints.length : floats != null ? floats.length : flags.length;
    }

    /**
     * The array as ordinary nodes, from its first {@code size} elements already read and the element at the current
     * token onwards: an int, a float or a boolean node for the elements read, which {@link Json} reads back as the same
     * values.
     */
    private JsonNode irregular(Kind kind, int[] ints, float[] floats, boolean[] flags, int size, int depth) {
        ArrayNode array = nodes.arrayNode();
        for (int i = 0; i < size; i++) {
            array.add(switch (kind) {
                case INT -> nodes.numberNode(ints[i]);
                case FLOAT -> nodes.numberNode(floats[i]);
                case FLAG -> nodes.booleanNode(flags[i]);
            });
        }
        do {
            array.add(value(depth + 1, false));
        } while (parser.nextToken() != JsonToken.END_ARRAY);
        return array;
    }
}
