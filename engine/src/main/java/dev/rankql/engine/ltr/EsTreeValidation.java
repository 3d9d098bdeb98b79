package dev.rankql.engine.ltr;

import dev.rankql.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Elasticsearch's structural checks of a trained model's trees, with its messages, before the model is read. */
final class EsTreeValidation {

    private EsTreeValidation() {}

    static void validate(JsonNode definition) {
        var trained = definition.get("trained_model");
        if (trained == null || !trained.isObject()) {
            return;
        }
        if (trained.has("tree")) {
            tree(trained.get("tree"));
        }
        var ensemble = trained.get("ensemble");
        if (ensemble != null && ensemble.has("trained_models") && ensemble.get("trained_models").isArray()) {
            for (var member : ensemble.get("trained_models")) {
                if (member.has("tree")) {
                    tree(member.get("tree"));
                }
            }
            labels(ensemble);
        }
    }

    /**
     * Classification labels need a classification target. (The reverse, a classification target without labels, is
     * left to the target-type check of the put, whose message Elasticsearch gives for a learning_to_rank model.)
     */
    private static void labels(JsonNode model) {
        boolean hasLabels = model.has("classification_labels") && !model.get("classification_labels").isNull();
        boolean classification = model.has("target_type") && model.get("target_type").asString("").equals("classification");
        if (hasLabels && !classification) {
            throw bad("[target_type] should be [classification] if [classification_labels] is provided, and vice versa");
        }
    }

    /** The definition's {@code target_type} (of its tree or ensemble), {@code regression} when unset, as Elasticsearch. */
    static String targetType(JsonNode definition) {
        var trained = definition.get("trained_model");
        if (trained == null || !trained.isObject()) {
            return "regression";
        }
        for (var kind : java.util.List.of("ensemble", "tree")) {
            var model = trained.get(kind);
            if (model != null && model.has("target_type") && model.get("target_type").isString()) {
                return model.get("target_type").asString();
            }
        }
        return "regression";
    }

    private static void tree(JsonNode tree) {
        var structure = tree.get("tree_structure");
        if (structure == null || !structure.isArray()) {
            return;
        }
        if (structure.isEmpty()) {
            throw bad("[tree_structure] must not be empty");
        }
        int size = structure.size();
        for (var node : structure) {
            if (!node.has("node_index") || !node.get("node_index").isIntegralNumber() || node.get("node_index").asInt() < 0) {
                throw bad("[node_index] must be a non-negative integer.");
            }
            if (!node.has("left_child")) {
                if (!node.has("leaf_value")) {
                    throw bad("[leaf_value] is required for a leaf node.");
                }
                continue;
            }
            if (node.get("left_child").asInt(-1) < 0) {
                throw bad("[left_child] must be a non-negative integer.");
            }
            if (!node.has("right_child") || node.get("right_child").asInt(-1) < 0) {
                throw bad("[right_child] must be a non-negative integer.");
            }
            if (!node.has("threshold")) {
                throw bad("[threshold] must exist for non-leaf node.");
            }
        }
        labels(tree);
        List<Integer> missing = new ArrayList<>();
        for (var node : structure) {
            if (node.has("left_child")) {
                for (var child : List.of(node.get("left_child").asInt(), node.get("right_child").asInt())) {
                    if (child >= size && !missing.contains(child)) {
                        missing.add(child);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw bad("[tree] contains missing nodes " + missing);
        }
        var visited = new boolean[size];
        var stack = new ArrayList<Integer>();
        stack.add(0);
        while (!stack.isEmpty()) {
            int index = stack.removeLast();
            if (visited[index]) {
                throw bad("[tree] contains cycle at node " + index);
            }
            visited[index] = true;
            var node = structure.get(index);
            if (node.has("left_child")) {
                stack.add(node.get("left_child").asInt());
                stack.add(node.get("right_child").asInt());
            }
        }
    }

    private static EngineException bad(String message) {
        return new EngineException("status_exception", message, 400);
    }
}
