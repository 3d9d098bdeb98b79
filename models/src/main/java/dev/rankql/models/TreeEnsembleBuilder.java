package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the trees of a model as its file writes them, validates them and flattens them into a {@link TreeEnsemble}.
 *
 * <p>A format reader declares the model's features, then fills one {@link NodeTable} per tree, with nodes addressed
 * by their position in the file. {@link #build(LoadOptions)} checks every tree (undefined or dangling children,
 * cycles, shared nodes, feature indexes out of range, NaN thresholds, non-finite leaves), binds the features to the
 * caller's columns and lays the nodes out depth-first, so that a node's left child usually follows it in memory.
 */
public final class TreeEnsembleBuilder {

    private final String format;
    private final List<String> declaredFeatures;
    private final boolean positional;
    private final Precision precision;
    private final List<NodeTable> trees = new ArrayList<>();
    private long nodes;
    private double baseScore;
    private OutputTransform transform = OutputTransform.IDENTITY;
    private boolean transformInDouble;
    private double marginDivisor = 1.0;
    private double transformScale = 1.0;
    private boolean infiniteIsMissing;
    private boolean zeroClamp;
    private float[] normalizeShift;
    private float[] normalizeScale;
    private boolean roundInputsToFloat;
    private boolean roundProductsToFloat;

    /**
     * Starts a model.
     *
     * @param format the format's registry name
     * @param featureNames the features the trees' feature indexes refer to
     * @param positional whether the names are only placeholders for positions ({@code f0, f1, …}), so that a caller's
     *     feature list is read by position rather than by name
     * @param precision the arithmetic of the source library
     */
    public TreeEnsembleBuilder(String format, List<String> featureNames, boolean positional, Precision precision) {
        this.format = requireNonNull(format, "format");
        this.declaredFeatures = List.copyOf(featureNames);
        this.positional = positional;
        this.precision = requireNonNull(precision, "precision");
        this.roundInputsToFloat = precision == Precision.FLOAT32;
        this.roundProductsToFloat = precision == Precision.FLOAT32;
    }

    /**
     * Rounds inputs to float before any test (the default for {@link Precision#FLOAT32}); RankLib reads float
     * features but its arithmetic differs from XGBoost's.
     */
    public TreeEnsembleBuilder roundInputsToFloat(boolean value) {
        this.roundInputsToFloat = value;
        return this;
    }

    /**
     * With {@link Precision#FLOAT32}, whether {@code weight * leaf} is rounded to float before it is added (Solr, the
     * default) or added as the exact double product and the sum then rounded to float (RankLib).
     */
    public TreeEnsembleBuilder roundProductsToFloat(boolean value) {
        this.roundProductsToFloat = value;
        return this;
    }

    /** Sets the constant the margin starts from, in margin space. */
    public TreeEnsembleBuilder baseScore(double value) {
        if (!Double.isFinite(value)) {
            throw new ModelException("", "base score must be a finite number, got " + value);
        }
        this.baseScore = value;
        return this;
    }

    /** Sets the transform applied to the margin. */
    public TreeEnsembleBuilder transform(OutputTransform value) {
        this.transform = requireNonNull(value, "transform");
        return this;
    }

    /**
     * For a {@link Precision#FLOAT32} model, applies the transform to the float margin in double arithmetic and rounds
     * the result to float ({@code (float) (1 / (1 + Math.exp(-margin)))}, the o19s/OpenSearch plugin's normalizers)
     * rather than in float arithmetic as XGBoost does; the two can differ in the last bit.
     */
    public TreeEnsembleBuilder transformInDouble(boolean value) {
        this.transformInDouble = value;
        return this;
    }

    /**
     * Divides the summed trees by {@code divisor} before the transform, in double (LightGBM's {@code average_output}
     * for random forests); only for {@link Precision#FLOAT64} models.
     */
    public TreeEnsembleBuilder marginDivisor(double divisor) {
        if (!(divisor > 0) || Double.isInfinite(divisor) || precision != Precision.FLOAT64 && divisor != 1.0) {
            throw new ModelException("", "margin divisor must be a positive number for a double model, got "
                    + divisor);
        }
        this.marginDivisor = divisor;
        return this;
    }

    /** Multiplies the margin inside the transform, in double (LightGBM's {@code sigmoid:k}). */
    public TreeEnsembleBuilder transformScale(double scale) {
        if (!Double.isFinite(scale) || scale == 0 || precision != Precision.FLOAT64 && scale != 1.0) {
            throw new ModelException("", "transform scale must be a finite non-zero number for a double model, got "
                    + scale);
        }
        this.transformScale = scale;
        return this;
    }

    /** Treats infinite inputs as missing, as Elasticsearch does. */
    public TreeEnsembleBuilder infiniteIsMissing(boolean value) {
        this.infiniteIsMissing = value;
        return this;
    }

    /** Reads inputs within {@code ±1e-35f} of zero as zero, as LightGBM's dense-row predictor does. */
    public TreeEnsembleBuilder zeroClamp(boolean value) {
        this.zeroClamp = value;
        return this;
    }

    /**
     * Normalizes a feature before any test as {@code (value - shift) / scale} in float arithmetic (Solr's MinMax and
     * Standard normalizers); a missing value stays missing.
     */
    public TreeEnsembleBuilder normalizer(int feature, float shift, float scale) {
        if (normalizeShift == null) {
            normalizeShift = new float[declaredFeatures.size()];
            normalizeScale = new float[declaredFeatures.size()];
            java.util.Arrays.fill(normalizeScale, 1f);
        }
        normalizeShift[feature] = shift;
        normalizeScale[feature] = scale;
        return this;
    }

    /** The number of features declared. */
    public int featureCount() {
        return declaredFeatures.size();
    }

    /**
     * Adds a tree of {@code nodeCount} nodes whose root is node 0.
     *
     * @param where where the tree is in the model file, for error messages ({@code $.trees[3]}, {@code Tree=3})
     * @param weight the factor applied to the tree's leaves
     */
    public NodeTable addTree(String where, int nodeCount, double weight) {
        if (nodeCount < 1) {
            throw new ModelException(where, "a tree needs at least one node");
        }
        if (!Double.isFinite(weight)) {
            throw new ModelException(where, "tree weight must be a finite number, got " + weight);
        }
        // Checked before the tables are allocated, so that a count written in the file cannot exhaust memory.
        ModelLimits.trees(trees.size() + 1L, where);
        ModelLimits.nodes(nodes + nodeCount, where);
        nodes += nodeCount;
        var table = new NodeTable(where, nodeCount, weight);
        trees.add(table);
        return table;
    }

    /** The nodes of one tree, filled by position. */
    public static final class NodeTable {
        private static final byte UNSET = 0;
        private static final byte LEAF = 1;
        private static final byte SPLIT = 2;
        private static final byte CATEGORIES = 3;

        private final String where;
        private final double weight;
        private final byte[] kind;
        private final int[] id;
        private final int[] feature;
        private final Decision[] decision;
        private final double[] threshold;
        private final Missing[] missing;
        private final boolean[] defaultLeft;
        private final int[] left;
        private final int[] right;
        private final double[] value;
        private final int[][] categories;
        private final boolean[] negativeNotCategory;

        private NodeTable(String where, int n, double weight) {
            this.where = where;
            this.weight = weight;
            kind = new byte[n];
            id = new int[n];
            for (int i = 0; i < n; i++) {
                id[i] = i;
            }
            feature = new int[n];
            decision = new Decision[n];
            threshold = new double[n];
            missing = new Missing[n];
            defaultLeft = new boolean[n];
            left = new int[n];
            right = new int[n];
            value = new double[n];
            categories = new int[n][];
            negativeNotCategory = new boolean[n];
        }

        /** The number of node positions. */
        public int size() {
            return kind.length;
        }

        /** Sets the number the model file gives node {@code i}, for messages and explanations. */
        public void nodeId(int i, int nodeId) {
            id[check(i)] = nodeId;
        }

        /** Makes node {@code i} a leaf. */
        public void leaf(int i, double leafValue) {
            kind[check(i)] = LEAF;
            value[i] = leafValue;
        }

        /** Makes node {@code i} a threshold split. */
        public void split(
                int i,
                int featureIndex,
                Decision test,
                double splitThreshold,
                Missing missingRule,
                boolean missingGoesLeft,
                int leftChild,
                int rightChild) {
            if (test == Decision.IN || test == Decision.NOT_IN) {
                throw new IllegalArgumentException("use categorical() for category tests");
            }
            kind[check(i)] = SPLIT;
            feature[i] = featureIndex;
            decision[i] = requireNonNull(test, "test");
            threshold[i] = splitThreshold;
            missing[i] = requireNonNull(missingRule, "missingRule");
            defaultLeft[i] = missingGoesLeft;
            left[i] = leftChild;
            right[i] = rightChild;
        }

        /**
         * Makes node {@code i} a category split.
         *
         * @param test {@link Decision#IN} (the listed categories go left, LightGBM) or {@link Decision#NOT_IN} (they go
         *     right, XGBoost); a value that is not a category (negative, or beyond the largest listed) counts as not
         *     listed
         * @param missingGoesLeft where NaN goes, in the written sense
         * @param negativeBeforeTruncation whether any value below 0 is not a category (XGBoost), rather than only
         *     values whose integer part is below 0 (LightGBM reads -0.5 as category 0)
         */
        public void categorical(
                int i,
                int featureIndex,
                Decision test,
                int[] listed,
                boolean missingGoesLeft,
                boolean negativeBeforeTruncation,
                int leftChild,
                int rightChild) {
            if (test != Decision.IN && test != Decision.NOT_IN) {
                throw new IllegalArgumentException("a category split tests IN or NOT_IN");
            }
            kind[check(i)] = CATEGORIES;
            feature[i] = featureIndex;
            decision[i] = test;
            threshold[i] = Double.NaN;
            missing[i] = Missing.NAN;
            defaultLeft[i] = missingGoesLeft;
            negativeNotCategory[i] = negativeBeforeTruncation;
            categories[i] = listed.clone();
            left[i] = leftChild;
            right[i] = rightChild;
        }

        private int check(int i) {
            if (i < 0 || i >= kind.length) {
                throw new ModelException(where, "node position " + i + " is outside the tree's " + kind.length
                        + " nodes");
            }
            return i;
        }

        private String at(int i) {
            return where + (where.isEmpty() ? "" : " ") + "node " + id[i];
        }
    }

    /** Validates every tree, binds features to the caller's columns and flattens the model. */
    public TreeEnsemble build(LoadOptions options) {
        requireNonNull(options, "options");
        if (trees.isEmpty()) {
            throw new ModelException("", "the model has no trees");
        }
        boolean[] used = new boolean[declaredFeatures.size()];
        int splits = 0;
        int leaves = 0;
        int[][] orders = new int[trees.size()][];
        for (int t = 0; t < trees.size(); t++) {
            NodeTable table = trees.get(t);
            orders[t] = validate(table, used);
            for (int i : orders[t]) {
                if (table.kind[i] == NodeTable.LEAF) {
                    leaves++;
                } else {
                    splits++;
                }
            }
        }
        var names = new ArrayList<String>();
        int[] column = bind(used, options, names);
        return new TreeEnsemble(flatten(orders, column, names, splits, leaves, options));
    }

    /** Checks one tree and returns its reachable nodes in depth-first pre-order (left before right). */
    private int[] validate(NodeTable table, boolean[] used) {
        int n = table.size();
        boolean[] seen = new boolean[n];
        int[] order = new int[n];
        int count = 0;
        int[] stack = new int[n + 1];
        int[] parent = new int[n + 1];
        int top = 0;
        stack[top] = 0;
        parent[top++] = -1;
        while (top > 0) {
            top--;
            int i = stack[top];
            int from = parent[top];
            if (seen[i]) {
                throw new ModelException(table.at(from), "child node " + table.id[i]
                        + " is reached a second time: the tree has a cycle or a node with two parents");
            }
            seen[i] = true;
            order[count++] = i;
            switch (table.kind[i]) {
                case NodeTable.UNSET -> throw new ModelException(table.at(i), "node is referenced but not defined");
                case NodeTable.LEAF -> {
                    if (!Double.isFinite(table.value[i])) {
                        throw new ModelException(table.at(i), "leaf value must be a finite number, got "
                                + table.value[i]);
                    }
                }
                default -> {
                    int f = table.feature[i];
                    if (f < 0 || f >= declaredFeatures.size()) {
                        throw new ModelException(table.at(i), "feature index " + f + " is out of range: the model has "
                                + declaredFeatures.size() + " features");
                    }
                    used[f] = true;
                    if (table.kind[i] == NodeTable.SPLIT && Double.isNaN(table.threshold[i])) {
                        throw new ModelException(table.at(i), "threshold is NaN");
                    }
                    if (table.kind[i] == NodeTable.CATEGORIES) {
                        for (int c : table.categories[i]) {
                            if (c < 0) {
                                throw new ModelException(table.at(i), "category " + c + " is negative");
                            }
                        }
                    }
                    for (int child : new int[] {table.right[i], table.left[i]}) {
                        if (child < 0 || child >= n) {
                            throw new ModelException(table.at(i), "child " + child + " does not exist: the tree has "
                                    + n + " nodes");
                        }
                        if (child == i) {
                            throw new ModelException(table.at(i), "node is its own child");
                        }
                        if (top >= stack.length) {
                            throw new ModelException(table.at(i), "child node " + table.id[child]
                                    + " is reached a second time: the tree has a cycle or a node with two parents");
                        }
                        stack[top] = child;
                        parent[top++] = i;
                    }
                }
            }
        }
        return Arrays.copyOf(order, count);
    }

    /** Maps each declared feature to a column of the caller's rows; fills {@code names} with the columns. */
    private int[] bind(boolean[] used, LoadOptions options, List<String> names) {
        int[] column = new int[declaredFeatures.size()];
        if (options.features().isEmpty()) {
            names.addAll(declaredFeatures);
            for (int f = 0; f < column.length; f++) {
                column[f] = f;
            }
            return column;
        }
        List<String> given = options.features().get();
        names.addAll(given);
        Map<String, Integer> byName = new HashMap<>();
        for (int c = 0; c < given.size(); c++) {
            byName.put(given.get(c), c);
        }
        for (int f = 0; f < column.length; f++) {
            if (positional) {
                column[f] = f < given.size() ? f : -1;
                if (used[f] && f >= given.size()) {
                    throw new ModelException("", "the model uses feature " + f + " (" + declaredFeatures.get(f)
                            + ") but only " + given.size() + " feature names were given");
                }
            } else {
                Integer c = byName.get(declaredFeatures.get(f));
                column[f] = c == null ? -1 : c;
                if (used[f] && c == null) {
                    throw new ModelException("", "the model uses feature [" + declaredFeatures.get(f)
                            + "], which is not in the given feature list " + given);
                }
            }
        }
        return column;
    }

    /** The flattened arrays handed to {@link TreeEnsemble}. */
    static final class Flat {
        String format;
        List<String> featureNames;
        Precision precision;
        OutputTransform transform;
        boolean transformInDouble;
        double marginDivisor;
        double transformScale;
        double baseScore;
        int inputMode;
        float[] normalizeShift;
        float[] normalizeScale;
        int[] roots;
        int[] feature;
        double[] threshold;
        int[] children;
        byte[] defaultRight;
        byte[] flags;
        int[] categoryStart;
        int[] categoryWords;
        long[] categoryBits;
        double[] leafContribution;
        int[] nodeId;
        byte[] decision;
        double[] writtenThreshold;
        int[] leafId;
        double[] leafValue;
        double[] treeWeight;
    }

    private Flat flatten(
            int[][] orders, int[] column, List<String> names, int splits, int leaves, LoadOptions options) {
        var flat = new Flat();
        flat.format = format;
        flat.featureNames = names;
        flat.precision = precision;
        flat.transform = transform;
        flat.transformInDouble = transformInDouble;
        flat.marginDivisor = marginDivisor;
        flat.transformScale = transformScale;
        flat.baseScore = baseScore;
        flat.inputMode = (options.missingAsZero() ? TreeEnsemble.MISSING_AS_ZERO : 0)
                | (roundInputsToFloat ? TreeEnsemble.ROUND_TO_FLOAT : 0)
                | (infiniteIsMissing ? TreeEnsemble.INFINITE_IS_MISSING : 0)
                | (zeroClamp ? TreeEnsemble.ZERO_CLAMP : 0)
                | (normalizeShift != null ? TreeEnsemble.NORMALIZE : 0);
        flat.normalizeShift = new float[names.size()];
        flat.normalizeScale = new float[names.size()];
        java.util.Arrays.fill(flat.normalizeScale, 1f);
        if (normalizeShift != null) {
            for (int f = 0; f < column.length; f++) {
                if (column[f] >= 0) {
                    flat.normalizeShift[column[f]] = normalizeShift[f];
                    flat.normalizeScale[column[f]] = normalizeScale[f];
                }
            }
        }
        flat.roots = new int[orders.length];
        flat.feature = new int[splits];
        flat.threshold = new double[splits];
        flat.children = new int[2 * splits];
        flat.defaultRight = new byte[splits];
        flat.flags = new byte[splits];
        flat.categoryStart = new int[splits];
        flat.categoryWords = new int[splits];
        flat.nodeId = new int[splits];
        flat.decision = new byte[splits];
        flat.writtenThreshold = new double[splits];
        flat.leafContribution = new double[leaves];
        flat.leafId = new int[leaves];
        flat.leafValue = new double[leaves];
        flat.treeWeight = new double[orders.length];
        var bits = new ArrayList<long[]>();
        int bitCount = 0;
        int s = 0;
        int l = 0;
        for (int t = 0; t < orders.length; t++) {
            NodeTable table = trees.get(t);
            flat.treeWeight[t] = table.weight;
            int[] newIndex = new int[table.size()];
            for (int i : orders[t]) {
                newIndex[i] = table.kind[i] == NodeTable.LEAF ? ~l++ : s++;
            }
            flat.roots[t] = newIndex[0];
            for (int i : orders[t]) {
                int k = newIndex[i];
                if (k < 0) {
                    double written = table.value[i];
                    double contribution = table.weight * written;
                    boolean roundToFloat = precision == Precision.FLOAT32 && roundProductsToFloat;
                    flat.leafContribution[~k] = roundToFloat ? (float) contribution : contribution;
                    flat.leafId[~k] = table.id[i];
                    flat.leafValue[~k] = written;
                    continue;
                }
                flat.feature[k] = column[table.feature[i]];
                flat.nodeId[k] = table.id[i];
                flat.decision[k] = (byte) table.decision[i].ordinal();
                flat.writtenThreshold[k] = table.threshold[i];
                int leftChild = newIndex[table.left[i]];
                int rightChild = newIndex[table.right[i]];
                if (table.kind[i] == NodeTable.CATEGORIES) {
                    long[] words = bitset(table.categories[i]);
                    boolean swapCategories = table.decision[i] == Decision.NOT_IN;
                    boolean nanRight = swapCategories == table.defaultLeft[i];
                    flat.flags[k] = (byte) (TreeEnsemble.CATEGORICAL
                            | (nanRight ? TreeEnsemble.DEFAULT_RIGHT : 0)
                            | (table.negativeNotCategory[i] ? TreeEnsemble.NEGATIVE_NOT_CATEGORY : 0));
                    flat.defaultRight[k] = (byte) (nanRight ? 1 : 0);
                    flat.categoryStart[k] = bitCount;
                    flat.categoryWords[k] = words.length;
                    flat.threshold[k] = Double.NaN;
                    bits.add(words);
                    bitCount += words.length;
                    flat.children[2 * k] = swapCategories ? rightChild : leftChild;
                    flat.children[2 * k + 1] = swapCategories ? leftChild : rightChild;
                    continue;
                }
                double t0 = table.threshold[i];
                Decision d = table.decision[i];
                boolean strict = d == Decision.LT || d == Decision.GTE;
                boolean swap = d == Decision.GT || d == Decision.GTE;
                double normal = !strict ? t0 : t0 == Double.NEGATIVE_INFINITY ? Double.NaN : Math.nextDown(t0);
                flat.threshold[k] = normal;
                flat.children[2 * k] = swap ? rightChild : leftChild;
                flat.children[2 * k + 1] = swap ? leftChild : rightChild;
                boolean defaultRight = switch (table.missing[i]) {
                    case NAN, ZERO_OR_NAN -> swap == table.defaultLeft[i];
                    case NAN_AS_ZERO -> !(0.0 <= normal);
                };
                flat.defaultRight[k] = (byte) (defaultRight ? 1 : 0);
                flat.flags[k] = (byte) ((defaultRight ? TreeEnsemble.DEFAULT_RIGHT : 0)
                        | (table.missing[i] == Missing.ZERO_OR_NAN ? TreeEnsemble.ZERO_MISSING : 0));
            }
        }
        flat.categoryBits = new long[bitCount];
        int at = 0;
        for (long[] words : bits) {
            System.arraycopy(words, 0, flat.categoryBits, at, words.length);
            at += words.length;
        }
        return flat;
    }

    private static long[] bitset(int[] categories) {
        int max = -1;
        for (int c : categories) {
            max = Math.max(max, c);
        }
        long[] words = new long[max / 64 + 1];
        for (int c : categories) {
            words[c >>> 6] |= 1L << c;
        }
        return words;
    }
}
