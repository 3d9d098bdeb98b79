package dev.rankql.models;

/**
 * The size limits every model reader enforces (trees, nodes, features, and the lengths of JSON strings, numbers and
 * names), each settable with a system property, so that a malformed or hostile model file fails with a message that
 * names the limit instead of exhausting memory.
 */
public final class ModelLimits {

    /** The most trees an ensemble may have: {@code -Drankql.model.max_trees}. */
    public static final int MAX_TREES = property("rankql.model.max_trees", 100_000);

    /** The most nodes all the trees of a model may have together: {@code -Drankql.model.max_nodes}. */
    public static final int MAX_NODES = property("rankql.model.max_nodes", 10_000_000);

    /** The most features a model may declare or number: {@code -Drankql.model.max_features}. */
    public static final int MAX_FEATURES = property("rankql.model.max_features", 1 << 20);

    /** The longest JSON string value, in characters: {@code -Drankql.json.max_string_length}, as for requests. */
    public static final int MAX_JSON_STRING_LENGTH = property("rankql.json.max_string_length", 20_000_000);

    /** The longest JSON number, in characters: {@code -Drankql.json.max_number_length}, as for requests. */
    public static final int MAX_JSON_NUMBER_LENGTH = property("rankql.json.max_number_length", 1_000);

    /** The longest JSON property name, in characters: {@code -Drankql.json.max_name_length}, as for requests. */
    public static final int MAX_JSON_NAME_LENGTH = property("rankql.json.max_name_length", 50_000);

    private ModelLimits() {}

    /** Fails unless a model of {@code trees} trees fits. */
    public static void trees(long trees, String where) {
        if (trees > MAX_TREES) {
            throw new ModelException(where, "the model has " + trees + " trees, more than the limit of " + MAX_TREES
                    + " (raise it with -Drankql.model.max_trees)");
        }
    }

    /** Fails unless a model of {@code nodes} nodes in all fits. */
    public static void nodes(long nodes, String where) {
        if (nodes > MAX_NODES) {
            throw new ModelException(where, "the model has " + nodes + " nodes, more than the limit of " + MAX_NODES
                    + " (raise it with -Drankql.model.max_nodes)");
        }
    }

    /** Fails unless a model declaring or numbering {@code count} features fits. */
    public static void features(long count, String where) {
        if (count < 0 || count > MAX_FEATURES) {
            throw new ModelException(where, "the model declares " + count + " features, more than the limit of "
                    + MAX_FEATURES + " (raise it with -Drankql.model.max_features)");
        }
    }

    private static int property(String name, int defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the property's name.
        }
        throw new IllegalArgumentException("system property [" + name + "] must be a positive integer, got [" + value
                + "]");
    }
}
