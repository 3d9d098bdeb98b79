package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.ModelException;
import dev.rankql.models.OutputTransform;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Elasticsearch trained-model definitions ({@code tree} or {@code ensemble}), as a whole PUT body, as its
 * {@code definition} or as the bare {@code trained_model}.
 *
 * <p>Each tree's {@code split_feature} indexes the tree's own {@code feature_names}; the model's features are the
 * ensemble's {@code feature_names} followed by any tree feature not among them, and trees are remapped by name, as
 * Elasticsearch rewrites them at load time. A missing value is NaN or infinite and takes {@code default_left}
 * (default false); {@code decision_type} defaults to {@code lte}. Arithmetic is double.
 */
final class EsFormat {

    static final String NAME = "es";

    private EsFormat() {}

    static TreeEnsemble read(Json root, LoadOptions options) {
        Json trained = trainedModel(root.object());
        boolean isEnsemble = trained.has("ensemble");
        if (isEnsemble == trained.has("tree")) {
            throw trained.error("expected exactly one of [ensemble] or [tree]");
        }
        Json model = isEnsemble ? trained.field("ensemble") : trained.field("tree");
        checkRegression(model);
        List<Json> trees = new ArrayList<>();
        var features = new LinkedHashMap<String, Integer>();
        OutputTransform transform = OutputTransform.IDENTITY;
        double[] weights;
        if (isEnsemble) {
            model.optional("feature_names").ifPresent(names -> names.strings().forEach(n -> index(features, n)));
            for (Json member : model.field("trained_models").elements()) {
                member.object();
                if (member.has("ensemble")) {
                    throw member.error("nested ensembles are not supported");
                }
                Json tree = member.field("tree");
                checkRegression(tree);
                trees.add(tree);
            }
            if (trees.isEmpty()) {
                throw model.field("trained_models").error("an ensemble needs at least one model");
            }
            weights = new double[trees.size()];
            java.util.Arrays.fill(weights, 1.0);
            var aggregate = model.optional("aggregate_output");
            if (aggregate.isPresent()) {
                Json agg = aggregate.get().object();
                var kinds = agg.propertyNames();
                if (kinds.size() != 1) {
                    throw agg.error("expected exactly one aggregator, got " + kinds);
                }
                String kind = kinds.get(0);
                transform = switch (kind) {
                    case "weighted_sum" -> OutputTransform.IDENTITY;
                    case "logistic_regression" -> OutputTransform.SIGMOID;
                    case "exponent" -> OutputTransform.EXPONENT;
                    default -> throw agg.error("unsupported aggregate_output [" + kind
                            + "]: expected weighted_sum, logistic_regression or exponent");
                };
                var given = agg.field(kind).object().optional("weights");
                if (given.isPresent()) {
                    var items = given.get().elements();
                    if (items.size() != trees.size()) {
                        throw given.get().error(items.size() + " weights for " + trees.size() + " models");
                    }
                    for (int i = 0; i < items.size(); i++) {
                        weights[i] = items.get(i).number();
                    }
                }
            }
        } else {
            trees.add(model);
            weights = new double[] {1.0};
        }
        List<int[]> remaps = new ArrayList<>();
        for (Json tree : trees) {
            List<String> names = tree.field("feature_names").strings();
            int[] remap = new int[names.size()];
            for (int i = 0; i < remap.length; i++) {
                remap[i] = index(features, names.get(i));
            }
            remaps.add(remap);
        }
        var builder = new TreeEnsembleBuilder(NAME, List.copyOf(features.keySet()), false, Precision.FLOAT64)
                .transform(transform)
                .infiniteIsMissing(true);
        for (int t = 0; t < trees.size(); t++) {
            addTree(builder, trees.get(t), remaps.get(t), weights[t]);
        }
        return builder.build(options);
    }

    private static int index(Map<String, Integer> features, String name) {
        return features.computeIfAbsent(name, n -> features.size());
    }

    private static Json trainedModel(Json root) {
        if (root.has("definition")) {
            return root.field("definition").field("trained_model").object();
        }
        if (root.has("trained_model")) {
            return root.field("trained_model").object();
        }
        if (root.has("ensemble") || root.has("tree")) {
            return root;
        }
        throw root.error("expected an Elasticsearch trained model: a PUT body with [definition], a definition with"
                + " [trained_model], or a trained_model with [ensemble] or [tree]");
    }

    private static void checkRegression(Json model) {
        var target = model.optional("target_type");
        if (target.isPresent() && !target.get().string().equals("regression")) {
            throw target.get().error("only target_type [regression] is supported, got [" + target.get().string() + "]");
        }
    }

    private static void addTree(TreeEnsembleBuilder builder, Json tree, int[] remap, double weight) {
        Json structure = tree.field("tree_structure");
        List<Json> nodes = structure.elements();
        if (nodes.isEmpty()) {
            throw structure.error("a tree needs at least one node");
        }
        var table = builder.addTree(structure.path(), nodes.size(), weight);
        for (int i = 0; i < nodes.size(); i++) {
            Json node = nodes.get(i).object();
            var index = node.optional("node_index");
            if (index.isPresent() && index.get().integer() != i) {
                throw index.get().error("node_index " + index.get().integer() + " at position " + i
                        + ": Elasticsearch finds children by position, so node_index must equal the position");
            }
            if (!node.has("left_child")) {
                Json value = node.field("leaf_value");
                if (value.isArray()) {
                    var values = value.elements();
                    if (values.size() != 1) {
                        throw value.error("a regression leaf has one value, got " + values.size());
                    }
                    value = values.get(0);
                }
                table.leaf(i, value.number());
                continue;
            }
            Json featureNode = node.field("split_feature");
            int local = featureNode.integer();
            if (local < 0 || local >= remap.length) {
                throw featureNode.error("split_feature " + local + " is out of range: the tree has " + remap.length
                        + " feature_names");
            }
            Decision decision = Decision.LTE;
            var type = node.optional("decision_type");
            if (type.isPresent()) {
                decision = switch (type.get().string()) {
                    case "lt" -> Decision.LT;
                    case "lte" -> Decision.LTE;
                    case "gt" -> Decision.GT;
                    case "gte" -> Decision.GTE;
                    default -> throw type.get().error("unknown decision_type [" + type.get().string()
                            + "]: expected lt, lte, gt or gte");
                };
            }
            boolean defaultLeft = node.optional("default_left").map(Json::bool).orElse(false);
            Json threshold = node.field("threshold");
            table.split(
                    i,
                    remap[local],
                    decision,
                    threshold.number(),
                    Missing.NAN,
                    defaultLeft,
                    node.field("left_child").integer(),
                    node.field("right_child").integer());
        }
    }

    /** Guards against formats that cannot be expressed in Elasticsearch's tree model. */
    static ModelException cannotConvert(String why) {
        return new ModelException("", "cannot convert to an Elasticsearch model: " + why);
    }
}
