package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.OutputTransform;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads LightGBM's JSON dump ({@code Booster.dump_model()}), the input of Vespa and eland.
 *
 * <p>Splits are objects with {@code split_feature}, {@code threshold}, {@code decision_type} ({@code <=}, or {@code ==}
 * for a categorical split whose threshold lists the left categories as {@code "1||3||7"}), {@code default_left},
 * {@code missing_type} ({@code None}, {@code Zero}, {@code NaN}) and nested {@code left_child}/{@code right_child};
 * leaves carry {@code leaf_value}. The semantics are those of the text model file. One difference comes from
 * LightGBM itself: the dump writes an infinite threshold or leaf as {@code ±1e300}, so an infinite input can take
 * another branch than in the text model.
 */
final class LightGbmJsonFormat {

    static final String NAME = "lightgbm-json";

    private LightGbmJsonFormat() {}

    static TreeEnsemble read(Json root, LoadOptions options) {
        root.object();
        var numClass = root.optional("num_class");
        if (numClass.isPresent() && numClass.get().integer() != 1) {
            throw numClass.get().error("multi-class models are not supported (num_class " + numClass.get().integer()
                    + ")");
        }
        var perIteration = root.optional("num_tree_per_iteration");
        if (perIteration.isPresent() && perIteration.get().integer() != 1) {
            throw perIteration.get().error("models with several trees per iteration are not supported");
        }
        boolean average = root.optional("average_output").map(Json::bool).orElse(false);
        int featureCount = root.field("max_feature_idx").integer() + 1;
        Limits.features(featureCount, root.field("max_feature_idx").path());
        List<String> names = new ArrayList<>();
        boolean positional = true;
        var given = root.optional("feature_names");
        if (given.isPresent()) {
            names.addAll(given.get().strings());
            if (names.size() != featureCount) {
                throw given.get().error(names.size() + " feature names for max_feature_idx " + (featureCount - 1));
            }
            for (int i = 0; i < names.size(); i++) {
                positional &= names.get(i).equals("Column_" + i);
            }
        } else {
            for (int i = 0; i < featureCount; i++) {
                names.add("Column_" + i);
            }
        }
        var objective = root.optional("objective")
                .map(o -> LightGbmFormat.objective(o.string(), o.path()))
                .orElse(new LightGbmFormat.Objective(OutputTransform.IDENTITY, 1.0));
        var builder = new TreeEnsembleBuilder(NAME, names, positional, Precision.FLOAT64)
                .transform(objective.transform())
                .transformScale(objective.scale())
                .zeroClamp(true);
        var trees = root.field("tree_info").elements();
        if (trees.isEmpty()) {
            throw root.field("tree_info").error("the model has no trees");
        }
        if (average) {
            builder.marginDivisor(trees.size());
        }
        for (Json tree : trees) {
            addTree(builder, tree.field("tree_structure").object());
        }
        return builder.build(options);
    }

    private static void addTree(TreeEnsembleBuilder builder, Json root) {
        var nodes = new ArrayList<Json>();
        var stack = new ArrayDeque<Json>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Json node = stack.pop().object();
            nodes.add(node);
            if (node.has("left_child") || node.has("right_child")) {
                stack.push(node.field("right_child"));
                stack.push(node.field("left_child"));
            }
        }
        var table = builder.addTree(root.path(), nodes.size(), 1.0);
        var position = new java.util.IdentityHashMap<tools.jackson.databind.JsonNode, Integer>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i).node(), i);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Json node = nodes.get(i);
            int at = i;
            if (!node.has("left_child")) {
                node.optional("leaf_index").ifPresent(id -> table.nodeId(at, id.integer()));
                table.leaf(i, node.field("leaf_value").number());
                continue;
            }
            node.optional("split_index").ifPresent(id -> table.nodeId(at, id.integer()));
            int left = position.get(node.field("left_child").node());
            int right = position.get(node.field("right_child").node());
            int feature = node.field("split_feature").integer();
            Json type = node.field("decision_type");
            switch (type.string()) {
                case "==" -> {
                    Json threshold = node.field("threshold");
                    String[] parts = threshold.isString() ? threshold.string().split("\\|\\|") : new String[] {
                        String.valueOf(threshold.integer())
                    };
                    int[] categories = new int[parts.length];
                    for (int c = 0; c < parts.length; c++) {
                        try {
                            categories[c] = Integer.parseInt(parts[c].trim());
                        } catch (NumberFormatException e) {
                            throw threshold.error("category list must be integers joined by ||, got \""
                                    + threshold.string() + "\"");
                        }
                    }
                    table.categorical(i, feature, Decision.IN, categories, false, false, left, right);
                }
                case "<=" -> {
                    Json missingType = node.field("missing_type");
                    Missing missing = switch (missingType.string()) {
                        case "None" -> Missing.NAN_AS_ZERO;
                        case "Zero" -> Missing.ZERO_OR_NAN;
                        case "NaN" -> Missing.NAN;
                        default -> throw missingType.error("unknown missing_type [" + missingType.string()
                                + "]: expected None, Zero or NaN");
                    };
                    boolean defaultLeft = node.field("default_left").bool();
                    table.split(i, feature, Decision.LTE, node.field("threshold").number(), missing, defaultLeft,
                            left, right);
                }
                default -> throw type.error("unknown decision_type [" + type.string() + "]: expected <= or ==");
            }
        }
    }
}
