package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A gbtree model in XGBoost's JSON format, read into flat node arrays and scored in plain Java, independently of the
 * native library.
 *
 * <p>Scoring follows XGBoost: at a split, a present value strictly below the split condition goes left, a missing
 * ({@code NaN}) value follows the node's default direction; the margin is the base score (turned into margin space
 * for logistic objectives) plus the leaf values of every tree, summed in {@code float} in tree order.
 * Categorical splits and multi-output models are rejected.
 */
public final class XgboostJsonModel {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Reads numbers as doubles, which print back with a decimal point: XGBoost wants "0.0", not "0", for a float. */
    private static final JsonMapper EDIT = JsonMapper.builder().build();

    private final List<String> featureNames;
    private final String objective;
    private final int featureCount;
    private final float baseMargin;
    private final int[] treeRoots;
    private final int[] left;
    private final int[] right;
    private final int[] splitFeature;
    private final float[] value;
    private final boolean[] defaultLeft;
    private final int rounds;
    private final double[] totalGain;
    private final int[] splitCount;

    private XgboostJsonModel(List<String> featureNames, String objective, int featureCount, float baseMargin,
            int[] treeRoots, int[] left, int[] right, int[] splitFeature, float[] value, boolean[] defaultLeft,
            int rounds, double[] totalGain, int[] splitCount) {
        this.featureNames = featureNames;
        this.objective = objective;
        this.featureCount = featureCount;
        this.baseMargin = baseMargin;
        this.treeRoots = treeRoots;
        this.left = left;
        this.right = right;
        this.splitFeature = splitFeature;
        this.value = value;
        this.defaultLeft = defaultLeft;
        this.rounds = rounds;
        this.totalGain = totalGain;
        this.splitCount = splitCount;
    }

    /**
     * Reads a model saved by XGBoost as JSON.
     *
     * @throws IllegalArgumentException with the JSON path of the problem when the text is not such a model
     */
    public static XgboostJsonModel parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(requireNonNull(json, "json"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getOriginalMessage(), e);
        }
        JsonNode learner = member(root, "learner", "$");
        JsonNode booster = member(learner, "gradient_booster", "$.learner");
        String boosterName = member(booster, "name", "$.learner.gradient_booster").asString();
        if (!boosterName.equals("gbtree")) {
            throw new IllegalArgumentException("$.learner.gradient_booster.name: only gbtree models are supported, "
                    + "found [" + boosterName + "]");
        }
        JsonNode param = member(learner, "learner_model_param", "$.learner");
        int features = Integer.parseInt(member(param, "num_feature", "$.learner.learner_model_param").asString());
        String targets = param.path("num_target").asString("1");
        String classes = param.path("num_class").asString("0");
        if (!targets.equals("1") || !(classes.equals("0") || classes.equals("1"))) {
            throw new IllegalArgumentException("$.learner.learner_model_param: multi-output models are not "
                    + "supported (num_target " + targets + ", num_class " + classes + ")");
        }
        String objective = member(member(learner, "objective", "$.learner"), "name", "$.learner.objective")
                .asString();
        float baseScore = baseScore(member(param, "base_score", "$.learner.learner_model_param").asString());
        float baseMargin = switch (objective) {
            case "binary:logistic", "reg:logistic" -> (float) Math.log(baseScore / (1 - baseScore));
            default -> baseScore;
        };
        List<String> names = new ArrayList<>();
        for (JsonNode name : learner.path("feature_names")) {
            names.add(name.asString());
        }
        JsonNode model = member(booster, "model", "$.learner.gradient_booster");
        JsonNode trees = member(model, "trees", "$.learner.gradient_booster.model");
        int nodes = 0;
        for (JsonNode tree : trees) {
            nodes += tree.path("left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        int[] split = new int[nodes];
        float[] value = new float[nodes];
        boolean[] defaultLeft = new boolean[nodes];
        double[] totalGain = new double[features];
        int[] splitCount = new int[features];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            String path = "$.learner.gradient_booster.model.trees[" + t + "]";
            JsonNode tree = trees.get(t);
            JsonNode lefts = member(tree, "left_children", path);
            JsonNode rights = member(tree, "right_children", path);
            JsonNode indices = member(tree, "split_indices", path);
            JsonNode conditions = member(tree, "split_conditions", path);
            JsonNode defaults = member(tree, "default_left", path);
            JsonNode types = tree.path("split_type");
            JsonNode gains = tree.path("loss_changes");
            int n = lefts.size();
            if (rights.size() != n || indices.size() != n || conditions.size() != n || defaults.size() != n
                    || n == 0) {
                throw new IllegalArgumentException(path + ": node arrays of different lengths");
            }
            roots[t] = offset;
            for (int i = 0; i < n; i++) {
                int l = lefts.get(i).asInt();
                int r = rights.get(i).asInt();
                boolean leaf = l == -1;
                if (!leaf) {
                    if (l <= i || r <= i || l >= n || r >= n) {
                        throw new IllegalArgumentException(path + ": node " + i + " has children " + l + " and " + r
                                + " outside the tree of " + n + " nodes");
                    }
                    if (types.size() > i && types.get(i).asInt() != 0) {
                        throw new IllegalArgumentException(path + ": node " + i + " is a categorical split, which "
                                + "rankql does not score");
                    }
                    int feature = indices.get(i).asInt();
                    if (feature < 0 || feature >= features) {
                        throw new IllegalArgumentException(path + ": node " + i + " splits on feature " + feature
                                + " of " + features);
                    }
                    split[offset + i] = feature;
                    splitCount[feature]++;
                    if (gains.size() > i) {
                        totalGain[feature] += gains.get(i).asDouble();
                    }
                }
                left[offset + i] = leaf ? -1 : offset + l;
                right[offset + i] = leaf ? -1 : offset + r;
                value[offset + i] = conditions.get(i).decimalValue().floatValue();
                JsonNode dl = defaults.get(i);
                defaultLeft[offset + i] = dl.isBoolean() ? dl.booleanValue() : dl.asInt() != 0;
            }
            offset += n;
        }
        int rounds = Math.max(0, member(model, "iteration_indptr", "$.learner.gradient_booster.model").size() - 1);
        return new XgboostJsonModel(List.copyOf(names), objective, features, baseMargin, roots, left, right, split,
                value, defaultLeft, rounds, totalGain, splitCount);
    }

    /**
     * The model text cut to its first {@code rounds} boosting rounds, the way XGBoost itself would have saved it
     * after that many rounds: trees, tree info, the iteration index and the tree count are shortened.
     *
     * @throws IllegalArgumentException when the model has fewer rounds or is not a gbtree JSON model
     */
    public static byte[] truncate(byte[] json, int rounds) {
        ObjectNode root;
        try {
            root = (ObjectNode) EDIT.readTree(requireNonNull(json, "json"));
        } catch (JacksonException | ClassCastException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model", e);
        }
        JsonNode booster = root.path("learner").path("gradient_booster");
        if (!booster.path("name").asString("").equals("gbtree")) {
            throw new IllegalArgumentException("only gbtree models can be truncated");
        }
        ObjectNode model = (ObjectNode) booster.path("model");
        ArrayNode indptr = (ArrayNode) model.path("iteration_indptr");
        int have = indptr.size() - 1;
        if (rounds < 1 || rounds > have) {
            throw new IllegalArgumentException("cannot keep " + rounds + " rounds of a model with " + have);
        }
        int trees = indptr.get(rounds).asInt();
        ArrayNode keptIndptr = model.putArray("iteration_indptr");
        for (int i = 0; i <= rounds; i++) {
            keptIndptr.add(indptr.get(i).asInt());
        }
        ArrayNode info = (ArrayNode) model.path("tree_info");
        ArrayNode allTrees = (ArrayNode) model.path("trees");
        ArrayNode keptInfo = model.putArray("tree_info");
        ArrayNode keptTrees = model.putArray("trees");
        for (int i = 0; i < trees; i++) {
            keptInfo.add(info.get(i));
            keptTrees.add(allTrees.get(i));
        }
        ((ObjectNode) model.path("gbtree_model_param")).put("num_trees", Integer.toString(trees));
        return EDIT.writeValueAsBytes(root);
    }

    /** The feature names stored in the model (empty when it was trained without names). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** XGBoost's name of the objective the model was trained with. */
    public String objective() {
        return objective;
    }

    /** The number of input features. */
    public int featureCount() {
        return featureCount;
    }

    /** The number of trees. */
    public int treeCount() {
        return treeRoots.length;
    }

    /** The number of boosting rounds. */
    public int rounds() {
        return rounds;
    }

    /**
     * The summed loss reduction of every split on each feature, by column: XGBoost's {@code total_gain} importance,
     * the usual answer to "which features does the model rely on".
     */
    public double[] totalGain() {
        return totalGain.clone();
    }

    /** How many splits use each feature, by column: XGBoost's {@code weight} importance. */
    public int[] splitCount() {
        return splitCount.clone();
    }

    /** The raw score (margin) of one row of features; {@code NaN} marks a missing value. */
    public float margin(float[] features) {
        if (features.length != featureCount) {
            throw new IllegalArgumentException("expected " + featureCount + " features, found " + features.length);
        }
        return margin(features, 0);
    }

    private float margin(float[] block, int offset) {
        float sum = baseMargin;
        for (int root : treeRoots) {
            int node = root;
            while (left[node] >= 0) {
                float x = block[offset + splitFeature[node]];
                if (Float.isNaN(x)) {
                    node = defaultLeft[node] ? left[node] : right[node];
                } else {
                    node = x < value[node] ? left[node] : right[node];
                }
            }
            sum += value[node];
        }
        return sum;
    }

    /** The margins of every row of a row-major block of {@link #featureCount()} columns. */
    public float[] margins(float[] block) {
        if (block.length % Math.max(1, featureCount) != 0) {
            throw new IllegalArgumentException("a block of " + block.length + " values is not a whole number of rows"
                    + " of " + featureCount + " features");
        }
        int rows = featureCount == 0 ? 0 : block.length / featureCount;
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = margin(block, r * featureCount);
        }
        return out;
    }

    /** The prediction as XGBoost reports it: the margin, passed through the sigmoid for logistic objectives. */
    public float predict(float[] features) {
        float margin = margin(features);
        return switch (objective) {
            case "binary:logistic", "reg:logistic" -> (float) (1 / (1 + Math.exp(-margin)));
            default -> margin;
        };
    }

    private static float baseScore(String text) {
        String inner = text.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1).strip();
        }
        if (inner.contains(",")) {
            throw new IllegalArgumentException("$.learner.learner_model_param.base_score: one value expected, found "
                    + text);
        }
        try {
            return Float.parseFloat(inner);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$.learner.learner_model_param.base_score: not a number: " + text, e);
        }
    }

    private static JsonNode member(JsonNode node, String name, String path) {
        JsonNode child = node == null ? null : node.get(name);
        if (child == null || child.isNull()) {
            throw new IllegalArgumentException(path + ": missing \"" + name + "\"");
        }
        return child;
    }
}
