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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads XGBoost's JSON dump ({@code Booster.dump_model(f, dump_format="json")}): a plain array of trees, or the
 * o19s/OpenSearch {@code {"objective": …, "splits": […]}} object.
 *
 * <p>A split sends {@code (float) value < split_condition} to {@code yes}, a missing value to {@code missing} (the
 * {@code no} child when absent), and arithmetic is float32 as in XGBoost. A dump does not contain the base score,
 * so the margin starts at 0: train with {@code base_score=0} or read the native JSON model instead. Only the object
 * form carries an objective; logistic objectives then apply the sigmoid. Features named {@code f0, f1, …} are
 * positions; any other names are matched by name.
 */
final class XgboostDumpFormat {

    static final String NAME = "xgboost-dump";

    private static final Pattern POSITIONAL = Pattern.compile("f(0|[1-9][0-9]{0,8})");

    private XgboostDumpFormat() {}

    static TreeEnsemble read(Json document, LoadOptions options) {
        var stored = document.isObject()
                ? StoredModel.of(document, "model/xgboost+json")
                : Optional.<StoredModel>empty();
        Json root = stored.map(StoredModel::definition).orElse(document);
        Json splits = root;
        OutputTransform transform = OutputTransform.IDENTITY;
        boolean missingAsZero = false;
        if (root.isObject()) {
            splits = root.field("splits");
            var objective = root.optional("objective");
            if (objective.isPresent()) {
                String name = objective.get().string();
                transform = switch (name) {
                    case "binary:logistic", "reg:logistic" -> OutputTransform.SIGMOID;
                    case "binary:logitraw", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear",
                            "reg:squarederror" -> OutputTransform.IDENTITY;
                    default -> throw objective.get().error("unknown or unsupported objective [" + name + "]");
                };
            }
            missingAsZero = root.optional("missing_as_zero").map(Json::bool).orElse(false);
        }
        List<Json> trees = new ArrayList<>();
        for (Json tree : splits.elements()) {
            trees.add(tree.isString() ? Json.parse(tree.string()) : tree.object());
        }
        var featureIndex = new LinkedHashMap<String, Integer>();
        boolean positional = true;
        for (Json tree : trees) {
            for (Json node : nodes(tree)) {
                if (node.has("split")) {
                    String name = splitName(node.field("split"));
                    positional &= POSITIONAL.matcher(name).matches();
                    featureIndex.putIfAbsent(name, featureIndex.size());
                }
            }
        }
        List<String> names;
        if (positional) {
            int count = 0;
            for (String name : featureIndex.keySet()) {
                count = Math.max(count, Integer.parseInt(name.substring(1)) + 1);
            }
            Limits.features(count, root.path());
            names = new ArrayList<>(count);
            featureIndex.clear();
            for (int i = 0; i < count; i++) {
                names.add("f" + i);
                featureIndex.put("f" + i, i);
            }
        } else {
            names = List.copyOf(featureIndex.keySet());
        }
        var builder = new TreeEnsembleBuilder(NAME, names, positional, Precision.FLOAT32).transform(transform);
        for (Json tree : trees) {
            addTree(builder, tree, featureIndex);
        }
        stored.ifPresent(envelope -> XgboostFormat.applyNormalizers(builder, envelope, names));
        return builder.build(missingAsZero ? options.missingAsZero(true) : options);
    }

    private static String splitName(Json split) {
        return split.isNumber() ? "f" + split.integer() : split.string();
    }

    /** Every node of a tree, depth first; the nesting depth is bounded by the explicit stack, not the Java stack. */
    private static List<Json> nodes(Json root) {
        var out = new ArrayList<Json>();
        var stack = new ArrayDeque<Json>();
        stack.push(root.object());
        while (!stack.isEmpty()) {
            Json node = stack.pop();
            out.add(node);
            var children = node.optional("children");
            if (children.isPresent()) {
                var list = children.get().elements();
                for (int i = list.size() - 1; i >= 0; i--) {
                    stack.push(list.get(i).object());
                }
            }
        }
        return out;
    }

    private static void addTree(TreeEnsembleBuilder builder, Json tree, Map<String, Integer> features) {
        List<Json> nodes = nodes(tree);
        Map<Integer, Integer> position = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Json id = nodes.get(i).field("nodeid");
            if (position.put(id.integer(), i) != null) {
                throw id.error("duplicate nodeid " + id.integer());
            }
        }
        var table = builder.addTree(tree.path(), nodes.size(), 1.0);
        for (int i = 0; i < nodes.size(); i++) {
            Json node = nodes.get(i);
            table.nodeId(i, node.field("nodeid").integer());
            if (node.has("leaf")) {
                if (node.has("children")) {
                    throw node.error("a node cannot have both [leaf] and [children]");
                }
                table.leaf(i, node.field("leaf").float32());
                continue;
            }
            Json yes = node.field("yes");
            Json no = node.field("no");
            int yesAt = child(position, yes);
            int noAt = child(position, no);
            var children = node.field("children").elements();
            if (children.size() != 2) {
                throw node.field("children").error("a split has 2 children, got " + children.size());
            }
            var childIds = List.of(
                    children.get(0).field("nodeid").integer(), children.get(1).field("nodeid").integer());
            int yesId = yes.integer();
            int noId = no.integer();
            if (!childIds.contains(yesId) || !childIds.contains(noId) || yesId == noId) {
                throw node.error("yes " + yesId + " and no " + noId + " must be the node's two children " + childIds);
            }
            boolean defaultLeft = false;
            var missing = node.optional("missing");
            if (missing.isPresent()) {
                int m = missing.get().integer();
                if (m != yes.integer() && m != no.integer()) {
                    throw missing.get().error("missing " + m + " is neither yes " + yes.integer() + " nor no "
                            + no.integer());
                }
                defaultLeft = m == yes.integer();
            }
            Json split = node.field("split");
            Json condition = node.field("split_condition");
            if (!condition.isNumber()) {
                throw condition.expected("a number (categorical splits are not supported yet)");
            }
            int feature = features.get(splitName(split));
            table.split(i, feature, Decision.LT, condition.float32(), Missing.NAN, defaultLeft, yesAt, noAt);
        }
    }

    private static int child(Map<Integer, Integer> position, Json ref) {
        Integer at = position.get(ref.integer());
        if (at == null) {
            throw ref.error("node " + ref.integer() + " does not exist in this tree");
        }
        return at;
    }
}
