package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.OutputTransform;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads XGBoost's native JSON model ({@code Booster.save_model("m.json")}), bare or inside the o19s/OpenSearch
 * {@code model/xgboost+json+raw} wrapper, as XGBoost scores it or as the o19s/OpenSearch LTR plugin does.
 *
 * <p>A split sends {@code (float) value < split_condition} left and a missing value to {@code default_left}; a leaf's
 * value is its {@code split_conditions} entry. The margin starts at {@code learner_model_param.base_score} turned into
 * margin space by the objective's link ({@code logit} for logistic objectives, {@code log} for count and gamma ones)
 * and adds the trees in float32, in order; logistic objectives then apply the sigmoid.
 *
 * <p>The plugin's reading ({@code xgboost-opensearch}) differs in what it scores: the margin starts at 0 whatever the
 * base score, a leaf's value is its {@code base_weights} entry, and the sigmoid is computed in double and rounded to
 * float. It accepts only the objectives, boosters and feature types the plugin accepts, and no categorical split
 * (which the plugin would read as a threshold).
 */
final class XgboostFormat {

    static final String NAME = "xgboost";

    /** The o19s/OpenSearch LTR plugin's reading of the same file. */
    static final String OPENSEARCH_NAME = "xgboost-opensearch";

    /** The o19s/OpenSearch stored-model type of a raw XGBoost JSON model. */
    static final String RAW_TYPE = "model/xgboost+json+raw";

    private XgboostFormat() {}

    /** What an objective does to the base score and to the margin. */
    private enum Link {
        IDENTITY,
        LOGIT,
        LOG
    }

    private record Objective(Link link, OutputTransform transform) {}

    static Objective objective(Json where, String name) {
        return switch (name) {
            case "reg:squarederror", "reg:linear", "reg:pseudohubererror", "reg:absoluteerror", "reg:squaredlogerror",
                    "reg:quantileerror", "rank:pairwise", "rank:ndcg", "rank:map" ->
                new Objective(Link.IDENTITY, OutputTransform.IDENTITY);
            case "binary:logistic", "reg:logistic" -> new Objective(Link.LOGIT, OutputTransform.SIGMOID);
            case "binary:logitraw" -> new Objective(Link.LOGIT, OutputTransform.IDENTITY);
            case "count:poisson", "reg:gamma", "reg:tweedie" -> new Objective(Link.LOG, OutputTransform.EXPONENT);
            default -> throw where.error("unknown or unsupported objective [" + name + "]");
        };
    }

    /**
     * The objectives the o19s/OpenSearch plugin accepts and what it applies to the summed leaves; it rejects the
     * others, the modern {@code reg:squarederror} among them.
     */
    private static OutputTransform openSearchObjective(Json where, String name) {
        return switch (name) {
            case "binary:logitraw", "rank:ndcg", "rank:map", "rank:pairwise", "reg:linear" -> OutputTransform.IDENTITY;
            case "binary:logistic", "reg:logistic" -> OutputTransform.SIGMOID;
            default -> throw where.error("objective [" + name + "] is not one the OpenSearch LTR plugin accepts"
                    + " (binary:logistic, reg:logistic, binary:logitraw, rank:pairwise, rank:ndcg, rank:map,"
                    + " reg:linear); read the model with --format xgboost to score it as XGBoost does");
        };
    }

    static TreeEnsemble read(Json root, LoadOptions options) {
        return read(root, options, false);
    }

    /** Reads the model as the o19s/OpenSearch LTR plugin scores it. */
    static TreeEnsemble readOpenSearch(Json root, LoadOptions options) {
        return read(root, options, true);
    }

    private static TreeEnsemble read(Json root, LoadOptions options, boolean openSearch) {
        var stored = StoredModel.of(root.object(), RAW_TYPE);
        Json learner = stored.map(StoredModel::definition).orElse(root).object().field("learner");
        Json params = learner.field("learner_model_param");
        int numFeature = params.field("num_feature").integer();
        Limits.features(numFeature, params.field("num_feature").path());
        var numClass = params.optional("num_class");
        if (numClass.isPresent() && numClass.get().integer() > 1) {
            throw numClass.get().error("multi-class models are not supported (num_class " + numClass.get().integer()
                    + ")");
        }
        var numTarget = params.optional("num_target");
        if (numTarget.isPresent() && numTarget.get().integer() > 1) {
            throw numTarget.get().error("multi-target models are not supported");
        }
        Json objectiveName = learner.field("objective").field("name");
        Objective objective = openSearch
                ? new Objective(Link.IDENTITY, openSearchObjective(objectiveName, objectiveName.string()))
                : objective(objectiveName, objectiveName.string());
        Json baseNode = params.field("base_score");
        float base = baseScore(baseNode);
        // The plugin never reads the base score: its margin starts at 0.
        double margin = openSearch ? 0.0 : switch (objective.link()) {
            case IDENTITY -> base;
            case LOGIT -> {
                if (!(base > 0 && base < 1)) {
                    throw baseNode.error("base_score " + base + " must lie in (0, 1) for a logistic objective");
                }
                yield (float) -Math.log(1.0f / base - 1.0f);
            }
            case LOG -> {
                if (!(base > 0)) {
                    throw baseNode.error("base_score " + base + " must be positive for a log-link objective");
                }
                yield (float) Math.log(base);
            }
        };

        List<String> names = learner.optional("feature_names").map(Json::strings).orElse(List.of());
        boolean positional = names.isEmpty();
        if (positional) {
            var generated = new ArrayList<String>(numFeature);
            for (int i = 0; i < numFeature; i++) {
                generated.add("f" + i);
            }
            names = generated;
        } else if (names.size() != numFeature) {
            throw learner.field("feature_names").error(names.size() + " feature names for num_feature " + numFeature);
        }
        if (openSearch) {
            checkFeatureTypes(learner, names, positional);
        }

        Json booster = learner.field("gradient_booster");
        String boosterName = booster.field("name").string();
        Json model;
        double[] weights = null;
        switch (boosterName) {
            case "gbtree" -> model = booster.field("model");
            case "dart" -> {
                if (openSearch) {
                    throw booster.field("name").error("the OpenSearch LTR plugin reads only gbtree models (it looks"
                            + " for gradient_booster.model, which a dart model does not have)");
                }
                model = booster.field("gbtree").field("model");
                var drops = booster.field("weight_drop").elements();
                weights = new double[drops.size()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = drops.get(i).float32();
                }
            }
            default -> throw booster.field("name").error("unsupported booster [" + boosterName
                    + "]: expected gbtree or dart");
        }
        var trees = model.field("trees").elements();
        if (weights != null && weights.length != trees.size()) {
            throw booster.field("weight_drop").error(weights.length + " weights for " + trees.size() + " trees");
        }
        model.optional("tree_info").ifPresent(info -> {
            for (Json group : info.elements()) {
                if (group.integer() != 0) {
                    throw group.error("trees of output group " + group.integer() + ": multi-output models are not"
                            + " supported");
                }
            }
        });
        var builder = new TreeEnsembleBuilder(openSearch ? OPENSEARCH_NAME : NAME, names, positional,
                        Precision.FLOAT32)
                .baseScore(margin)
                .transform(objective.transform())
                .transformInDouble(openSearch);
        for (int t = 0; t < trees.size(); t++) {
            addTree(builder, trees.get(t), weights == null ? 1.0 : weights[t], openSearch);
        }
        List<String> featureNames = names;
        stored.ifPresent(envelope -> applyNormalizers(builder, envelope, featureNames));
        return builder.build(options);
    }

    /**
     * The plugin accepts only {@code float} feature types, one per feature name: Elasticsearch and OpenSearch scores
     * are floats.
     */
    private static void checkFeatureTypes(Json learner, List<String> names, boolean positional) {
        var given = learner.optional("feature_types");
        if (given.isEmpty()) {
            return;
        }
        List<String> types = given.get().strings();
        if (!positional && types.size() != names.size()) {
            throw given.get().error(types.size() + " feature types for " + names.size() + " feature names");
        }
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).equals("float")) {
                throw given.get().error("feature type [" + types.get(i) + "] of feature " + i + ": the OpenSearch LTR"
                        + " plugin accepts only float features");
            }
        }
    }

    /** XGBoost 2+ writes the base score as a string, possibly a one-element vector such as {@code "[5E-1]"}. */
    private static float baseScore(Json node) {
        if (node.isNumber()) {
            return node.float32();
        }
        String text = node.string().trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        if (text.contains(",")) {
            throw node.error("a vector base_score belongs to a multi-output model, which is not supported");
        }
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw node.error("base_score is not a number: \"" + node.string() + "\"");
        }
    }

    /** Applies an o19s envelope's {@code feature_normalizers} to the features they name. */
    static void applyNormalizers(TreeEnsembleBuilder builder, StoredModel envelope, List<String> names) {
        for (var normalizer : envelope.normalizers()) {
            int feature = names.indexOf(normalizer.feature());
            if (feature < 0) {
                throw StoredModel.unknownFeature(normalizer);
            }
            builder.normalizer(feature, normalizer.shift(), normalizer.scale());
        }
    }

    private static void addTree(TreeEnsembleBuilder builder, Json tree, double weight, boolean openSearch) {
        int n = tree.field("tree_param").field("num_nodes").integer();
        int[] left = sized(tree, "left_children", n).integers();
        int[] right = sized(tree, "right_children", n).integers();
        int[] feature = sized(tree, "split_indices", n).integers();
        float[] condition = sized(tree, "split_conditions", n).floats();
        float[] leafValue = openSearch ? sized(tree, "base_weights", n).floats() : condition;
        boolean[] defaultLeft = sized(tree, "default_left", n).booleans();
        int[] types = tree.has("split_type") ? sized(tree, "split_type", n).integers() : new int[n];
        var categories = categories(tree, n);
        var table = builder.addTree(tree.path(), n, weight);
        for (int i = 0; i < n; i++) {
            if (left[i] == -1) {
                table.leaf(i, leafValue[i]);
            } else if (types[i] == 1 && openSearch) {
                throw tree.field("split_type").error("node " + i + " is a categorical split, which the OpenSearch LTR"
                        + " plugin would read as a threshold test; read the model with --format xgboost");
            } else if (types[i] == 1) {
                int[] listed = categories.get(i);
                if (listed == null) {
                    throw tree.error("node " + i + " is a categorical split without categories");
                }
                // XGBoost sends the listed categories right and everything else, invalid values included, left.
                table.categorical(i, feature[i], Decision.NOT_IN, listed, defaultLeft[i], true, left[i], right[i]);
            } else if (types[i] == 0) {
                table.split(i, feature[i], Decision.LT, condition[i], Missing.NAN, defaultLeft[i], left[i], right[i]);
            } else {
                throw tree.field("split_type").error("node " + i + ": unknown split_type " + types[i]);
            }
        }
    }

    /** The categories of each categorical split, from the parallel {@code categories_*} arrays. */
    private static java.util.Map<Integer, int[]> categories(Json tree, int n) {
        var out = new java.util.HashMap<Integer, int[]>();
        if (!tree.has("categories_nodes")) {
            return out;
        }
        int[] values = tree.field("categories").integers();
        int[] nodes = tree.field("categories_nodes").integers();
        int[] segments = tree.field("categories_segments").integers();
        int[] sizes = tree.field("categories_sizes").integers();
        if (segments.length != nodes.length || sizes.length != nodes.length) {
            throw tree.field("categories_nodes").error(nodes.length + " categorical nodes but " + segments.length
                    + " segments and " + sizes.length + " sizes");
        }
        for (int c = 0; c < nodes.length; c++) {
            if (nodes[c] < 0 || nodes[c] >= n) {
                throw tree.field("categories_nodes").error("node " + nodes[c] + " does not exist: the tree has " + n
                        + " nodes");
            }
            if (segments[c] < 0 || sizes[c] < 0 || (long) segments[c] + sizes[c] > values.length) {
                throw tree.field("categories_segments").error("categories of node " + nodes[c] + " lie outside the "
                        + values.length + " categories");
            }
            out.put(nodes[c], java.util.Arrays.copyOfRange(values, segments[c], segments[c] + sizes[c]));
        }
        return out;
    }

    private static Json sized(Json tree, String field, int n) {
        Json array = tree.field(field);
        int size = array.length();
        if (size != n) {
            throw array.error("has " + size + " entries but the tree has num_nodes " + n);
        }
        return array;
    }
}
