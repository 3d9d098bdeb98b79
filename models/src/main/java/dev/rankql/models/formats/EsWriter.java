package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LinearModel;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.NeuralNetworkModel;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import java.util.ArrayDeque;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a tree ensemble as an Elasticsearch trained-model PUT body.
 *
 * <p>Every tree lists all model features, so {@code split_feature} is the model's column; nodes are written
 * depth-first with {@code node_index} equal to their position; tests, thresholds and {@code default_left} are
 * written as the source model has them; leaf values include the tree weights. A non-zero base score becomes a final
 * single-leaf tree, and a sigmoid output becomes {@code logistic_regression}. Categorical splits and LightGBM's
 * zero-as-missing splits have no Elasticsearch equivalent and are refused.
 */
final class EsWriter {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EsWriter() {}

    static String write(Model model, String description) {
        TreeEnsemble trees = switch (model) {
            case TreeEnsemble t -> t;
            case LinearModel l -> throw EsFormat.cannotConvert("Elasticsearch models are tree ensembles, and this is"
                    + " a linear model");
            case NeuralNetworkModel n -> throw EsFormat.cannotConvert("Elasticsearch models are tree ensembles, and"
                    + " this is a neural network");
        };
        var features = MAPPER.createArrayNode();
        trees.featureNames().forEach(features::add);
        var members = MAPPER.createArrayNode();
        for (var tree : trees.trees()) {
            members.addObject().set("tree", tree(tree, features, trees.readsNearZeroAsZero()));
        }
        double base = trees.precision() == Precision.FLOAT32 ? (float) trees.baseScore() : trees.baseScore();
        if (base != 0.0) {
            var stump = MAPPER.createObjectNode();
            stump.set("feature_names", features.deepCopy());
            stump.put("target_type", "regression");
            stump.putArray("tree_structure").addObject().put("node_index", 0).put("leaf_value", base);
            members.addObject().set("tree", stump);
        }
        var ensemble = MAPPER.createObjectNode();
        ensemble.set("feature_names", features);
        ensemble.put("target_type", "regression");
        String aggregate = switch (trees.transform()) {
            case IDENTITY -> "weighted_sum";
            case SIGMOID -> "logistic_regression";
            case EXPONENT -> "exponent";
        };
        var weights = ensemble.putObject("aggregate_output").putObject(aggregate).putArray("weights");
        // Averaging and a sigmoid factor become tree weights: ES computes transform(Σ w·leaf).
        double weight = trees.transformScale() / trees.marginDivisor();
        for (int i = 0; i < members.size(); i++) {
            weights.add(weight);
        }
        ensemble.set("trained_models", members);
        var body = MAPPER.createObjectNode();
        body.put("description", description);
        body.putObject("inference_config").putObject("learning_to_rank").putArray("feature_extractors");
        body.putObject("definition").putObject("trained_model").set("ensemble", ensemble);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    }

    /** A test as Elasticsearch will read it. */
    private record Test(Decision decision, double threshold) {}

    /**
     * Rewrites a test so that Elasticsearch, which compares raw doubles and cannot read an infinite threshold from
     * JSON, decides every finite input as the source model does.
     *
     * <p>An infinite threshold becomes {@code ±Double.MAX_VALUE} with the test that keeps the outcome for finite
     * values (Elasticsearch treats infinite inputs as missing anyway). For a model that reads values within
     * {@code ±1e-35f} of zero as zero (LightGBM), a {@code <=} threshold in {@code [-1e-35f, 1e-35f)} is moved just
     * outside the band on its side, which sends the whole band where zero goes.
     */
    private static Test test(Decision decision, double threshold, boolean clampsZero) {
        if (threshold == Double.POSITIVE_INFINITY) {
            boolean leftWhenLow = decision == Decision.LT || decision == Decision.LTE;
            return new Test(leftWhenLow ? Decision.LTE : Decision.GT, Double.MAX_VALUE);
        }
        if (threshold == Double.NEGATIVE_INFINITY) {
            boolean leftWhenLow = decision == Decision.LT || decision == Decision.LTE;
            return new Test(leftWhenLow ? Decision.LT : Decision.GTE, -Double.MAX_VALUE);
        }
        double band = TreeEnsemble.ZERO_THRESHOLD;
        if (clampsZero && decision == Decision.LTE && threshold >= -band && threshold < band) {
            return new Test(Decision.LTE, threshold < 0 ? Math.nextDown(-band) : band);
        }
        return new Test(decision, threshold);
    }

    private static ObjectNode tree(TreeEnsemble.TreeView tree, ArrayNode features, boolean clampsZero) {
        var out = MAPPER.createObjectNode();
        out.set("feature_names", features.deepCopy());
        out.put("target_type", "regression");
        ArrayNode nodes = out.putArray("tree_structure");
        var pending = new ArrayDeque<int[]>();
        pending.push(new int[] {tree.root(), 0});
        int next = 1;
        var written = new java.util.TreeMap<Integer, ObjectNode>();
        while (!pending.isEmpty()) {
            int[] item = pending.pop();
            int node = item[0];
            int position = item[1];
            var json = MAPPER.createObjectNode().put("node_index", position);
            written.put(position, json);
            if (node < 0) {
                json.put("leaf_value", tree.leafContribution(~node));
                continue;
            }
            if (tree.categorical(node)) {
                throw EsFormat.cannotConvert("node " + tree.nodeId(node) + " is a categorical split");
            }
            if (tree.zeroIsMissing(node)) {
                throw EsFormat.cannotConvert("node " + tree.nodeId(node) + " treats zero as missing");
            }
            int leftPosition = next++;
            int rightPosition = next++;
            Test test = test(tree.decision(node), tree.threshold(node), clampsZero);
            json.put("split_feature", tree.feature(node))
                    .put("threshold", test.threshold())
                    .put("decision_type", switch (test.decision()) {
                        case LT -> "lt";
                        case LTE -> "lte";
                        case GT -> "gt";
                        case GTE -> "gte";
                        case IN, NOT_IN -> throw new ModelException("", "unreachable: category test without the flag");
                    })
                    .put("default_left", tree.defaultLeft(node))
                    .put("left_child", leftPosition)
                    .put("right_child", rightPosition);
            pending.push(new int[] {tree.writtenRight(node), rightPosition});
            pending.push(new int[] {tree.writtenLeft(node), leftPosition});
        }
        written.values().forEach(nodes::add);
        return out;
    }
}
