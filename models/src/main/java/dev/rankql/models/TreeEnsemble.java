package dev.rankql.models;

import java.util.ArrayList;
import java.util.List;

/**
 * A tree ensemble flattened into parallel primitive arrays and scored tree by tree over blocks of rows.
 *
 * <p>Every split is stored in one normal form: the row goes <em>left</em> when {@code value <= threshold[n]} and
 * <em>right</em> otherwise, a missing value takes the node's default side. Strict and reversed tests are rewritten
 * into that form when the model is built ({@code x < t} becomes {@code x <= nextDown(t)}, {@code x > t} swaps the
 * children), which is exact for every double and every float, so the hot loop has a single comparison. Children
 * {@code >= 0} are split nodes, children {@code < 0} are leaves {@code ~child}. Rows are scored in blocks: each tree
 * is walked for every row of the block before the next tree, so that a tree's nodes stay in cache, and each row adds
 * its trees in model order so that its score is independent of the block size.
 */
public final class TreeEnsemble implements Model {

    /** Rows scored together per tree; small enough for the block's rows to stay in the first-level cache. */
    static final int BLOCK = 64;

    /** LightGBM's {@code kZeroThreshold} ({@code 1e-35f}): values this close to zero are zero. */
    public static final double ZERO_THRESHOLD = 1e-35f;

    static final byte DEFAULT_RIGHT = 1;
    static final byte ZERO_MISSING = 2;
    static final byte CATEGORICAL = 4;
    /** On a category split: any negative value is not a category, even one whose integer part is 0 (XGBoost). */
    static final byte NEGATIVE_NOT_CATEGORY = 8;

    static final int MISSING_AS_ZERO = 1;
    static final int ROUND_TO_FLOAT = 2;
    static final int INFINITE_IS_MISSING = 4;
    static final int ZERO_CLAMP = 8;
    static final int NORMALIZE = 16;

    private final String format;
    private final List<String> featureNames;
    private final int featureCount;
    private final Precision precision;
    private final OutputTransform transform;
    private final boolean transformInDouble;
    private final double marginDivisor;
    private final double transformScale;
    private final double baseScore;
    private final int inputMode;
    private final float[] normalizeShift;
    private final float[] normalizeScale;

    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    /** Left child at {@code 2n}, right child at {@code 2n + 1}, so that the taken side is an index, not a branch. */
    private final int[] children;
    /** 1 where a missing value goes right, for the branch-free path. */
    private final byte[] defaultRight;
    /**
     * Whether every split is a plain threshold test with NaN as the only missing value, no threshold is NaN and the
     * only input step is rounding to float: such models take the branch-free path.
     */
    private final boolean plain;
    private final boolean roundToFloat;
    private final byte[] flags;
    private final int[] categoryStart;
    private final int[] categoryWords;
    private final long[] categoryBits;
    private final double[] leafContribution;

    private final int[] nodeId;
    private final byte[] decision;
    private final double[] writtenThreshold;
    private final int[] leafId;
    private final double[] leafValue;
    private final double[] treeWeight;

    /** The flattened model, kept to derive {@link #scalarOnly()}. */
    private final TreeEnsembleBuilder.Flat source;
    /** When the block walk takes the vector walk for complete trees. */
    private final VectorMode vectorMode;

    /** When complete trees are walked in SIMD lanes. */
    private enum VectorMode {
        /** Never. */
        OFF,
        /** From the first call. */
        ON,
        /** Once {@link VectorWarmup} has had the vector walk compiled. */
        AUTO;

        static VectorMode fromProperty() {
            return switch (FastTrees.VECTOR_PROPERTY) {
                case "true" -> ON;
                case "false" -> OFF;
                default -> AUTO;
            };
        }
    }
    /** The trees laid out for the block walk, or null when every block takes the general walk. */
    private final FastTrees fast;
    /**
     * Each thread's block of prepared inputs for the block walk, kept from call to call so that a thread that has
     * scored once allocates nothing more, whatever the number of rows ({@link FastTrees#ROWS} rows of the laid-out
     * columns).
     */
    private final ThreadLocal<Prepared> prepared = ThreadLocal.withInitial(Prepared::new);

    /** A thread's prepared-input block, created at the size of one {@link FastTrees#ROWS} block on first use. */
    private static final class Prepared {
        private int[] keys;
        private double[] doubles;
        /** The vector walk's leaf indexes and gather indexes. */
        final int[] leaf = new int[FastTrees.SCRATCH];
        final int[] index = new int[FastTrees.SCRATCH];

        int[] keys(int size) {
            if (keys == null) {
                keys = new int[size];
            }
            return keys;
        }

        double[] doubles(int size) {
            if (doubles == null) {
                doubles = new double[size];
            }
            return doubles;
        }
    }

    TreeEnsemble(TreeEnsembleBuilder.Flat flat) {
        this(flat, true, VectorMode.fromProperty());
    }

    private TreeEnsemble(TreeEnsembleBuilder.Flat flat, boolean blockWalk, VectorMode vectorMode) {
        this.source = flat;
        this.vectorMode = vectorMode;
        this.format = flat.format;
        this.featureNames = List.copyOf(flat.featureNames);
        this.featureCount = featureNames.size();
        this.precision = flat.precision;
        this.transform = flat.transform;
        this.transformInDouble = flat.transformInDouble;
        this.marginDivisor = flat.marginDivisor;
        this.transformScale = flat.transformScale;
        this.baseScore = flat.baseScore;
        this.inputMode = flat.inputMode;
        this.normalizeShift = flat.normalizeShift;
        this.normalizeScale = flat.normalizeScale;
        this.roots = flat.roots;
        this.feature = flat.feature;
        this.threshold = flat.threshold;
        this.children = flat.children;
        this.defaultRight = flat.defaultRight;
        this.roundToFloat = (flat.inputMode & ROUND_TO_FLOAT) != 0;
        boolean simple = (flat.inputMode & ~ROUND_TO_FLOAT) == 0;
        for (int n = 0; n < flat.flags.length && simple; n++) {
            simple = (flat.flags[n] & ~DEFAULT_RIGHT) == 0 && !Double.isNaN(flat.threshold[n]);
        }
        this.plain = simple;
        this.flags = flat.flags;
        this.categoryStart = flat.categoryStart;
        this.categoryWords = flat.categoryWords;
        this.categoryBits = flat.categoryBits;
        this.leafContribution = flat.leafContribution;
        this.nodeId = flat.nodeId;
        this.decision = flat.decision;
        this.writtenThreshold = flat.writtenThreshold;
        this.leafId = flat.leafId;
        this.leafValue = flat.leafValue;
        this.treeWeight = flat.treeWeight;
        FastTrees laidOut = blockWalk ? FastTrees.of(featureCount, roots, feature, threshold, children, flags,
                leafContribution) : null;
        this.fast = laidOut != null && laidOut.any ? laidOut : null;
        if (fast != null && vectorMode == VectorMode.AUTO && FastTrees.VECTOR_AVAILABLE) {
            VectorWarmup.start();
        }
    }

    /**
     * The same model scored without the block walk: every tree is walked row by row with the general (or, for plain
     * models, the scalar branch-free) walk. Scores are identical; this exists so that tests and benchmarks can compare
     * the two.
     */
    public TreeEnsemble scalarOnly() {
        return new TreeEnsemble(source, false, VectorMode.OFF);
    }

    /**
     * The same model with the block walk's SIMD path ({@link VectorWalk}) on from the first call, or off. By default
     * (system property {@code rankql.vector} unset) a model takes it once a background warm-up has had it compiled;
     * it can only run when the JVM has the {@code jdk.incubator.vector} module. Scores are identical either way.
     */
    public TreeEnsemble vectorWalk(boolean on) {
        return new TreeEnsemble(source, true, on ? VectorMode.ON : VectorMode.OFF);
    }

    /** Whether complete trees are walked in SIMD lanes now ({@link #vectorWalk(boolean)}). */
    public boolean usesVectorWalk() {
        return fast != null && FastTrees.VECTOR_AVAILABLE && vectorNow();
    }

    private boolean vectorNow() {
        return switch (vectorMode) {
            case OFF -> false;
            case ON -> true;
            case AUTO -> VectorWarmup.ready();
        };
    }

    /** The number of trees the block walk evaluates (the others take the general walk). */
    public int blockWalkTrees() {
        int count = 0;
        if (fast != null) {
            for (boolean b : fast.laidOut) {
                count += b ? 1 : 0;
            }
        }
        return count;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The number of trees. */
    public int treeCount() {
        return roots.length;
    }

    /** The number of split nodes over all trees. */
    public int splitCount() {
        return feature.length;
    }

    /** The number of leaves over all trees. */
    public int leafCount() {
        return leafContribution.length;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** What the summed trees are divided by before the transform (LightGBM random forests average their trees). */
    public double marginDivisor() {
        return marginDivisor;
    }

    /** The factor applied to the margin inside the transform ({@code sigmoid(scale * margin)}, LightGBM's sigmoid). */
    public double transformScale() {
        return transformScale;
    }

    /** The transform applied to the margin. */
    public OutputTransform transform() {
        return transform;
    }

    /** The constant the margin starts from. */
    public double baseScore() {
        return baseScore;
    }

    /** Whether inputs within {@code ±1e-35f} of zero are read as zero before any test (LightGBM). */
    public boolean readsNearZeroAsZero() {
        return (inputMode & ZERO_CLAMP) != 0;
    }

    /** Whether infinite inputs count as missing (Elasticsearch). */
    public boolean infiniteIsMissing() {
        return (inputMode & INFINITE_IS_MISSING) != 0;
    }

    /** Whether some split tests categories rather than a threshold. */
    public boolean hasCategoricalSplits() {
        for (byte f : flags) {
            if ((f & CATEGORICAL) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void score(double[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        Model.checkBlock(featureCount, rows.length, firstRow, rowCount, out.length, outOffset);
        if (fast != null) {
            scoreLaidOut(rows, firstRow, rowCount, out, outOffset);
            return;
        }
        for (int start = 0; start < rowCount; start += BLOCK) {
            int count = Math.min(BLOCK, rowCount - start);
            int o = outOffset + start;
            startBlock(out, o, count);
            int rowBase = (firstRow + start) * featureCount;
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                for (int i = 0; i < count; i++) {
                    int leaf = root < 0 ? ~root : leafOf(root, rows, rowBase + i * featureCount);
                    out[o + i] = add(out[o + i], leafContribution[leaf]);
                }
            }
            finishBlock(out, o, count);
        }
    }

    @Override
    public void score(float[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        Model.checkBlock(featureCount, rows.length, firstRow, rowCount, out.length, outOffset);
        if (fast != null) {
            scoreLaidOut(rows, firstRow, rowCount, out, outOffset);
            return;
        }
        for (int start = 0; start < rowCount; start += BLOCK) {
            int count = Math.min(BLOCK, rowCount - start);
            int o = outOffset + start;
            startBlock(out, o, count);
            int rowBase = (firstRow + start) * featureCount;
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                for (int i = 0; i < count; i++) {
                    int leaf = root < 0 ? ~root : leafOf(root, rows, rowBase + i * featureCount);
                    out[o + i] = add(out[o + i], leafContribution[leaf]);
                }
            }
            finishBlock(out, o, count);
        }
    }

    /**
     * The block walk: each block's inputs are prepared once (input steps applied, values copied slot by slot into the
     * laid-out columns, negated where a test needs it, as float keys when the model rounds to float), then each tree
     * is walked over the whole block, laid-out trees by {@link FastTrees} and the others by the general walk, each
     * row adding its trees in model order.
     */
    private void scoreLaidOut(double[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int slots = fast.slots();
        boolean float32 = precision == Precision.FLOAT32;
        boolean vector = vectorNow();
        Prepared scratch = prepared.get();
        int size = FastTrees.ROWS * Math.max(1, slots);
        int[] keys = roundToFloat ? scratch.keys(size) : null;
        double[] doubles = roundToFloat ? null : scratch.doubles(size);
        for (int start = 0; start < rowCount; start += FastTrees.ROWS) {
            int count = Math.min(FastTrees.ROWS, rowCount - start);
            int o = outOffset + start;
            startBlock(out, o, count);
            int rowBase = (firstRow + start) * featureCount;
            for (int s = 0; s < slots; s++) {
                int column = fast.slotColumn[s];
                boolean negated = fast.slotNegated[s];
                int at = s * FastTrees.ROWS;
                for (int i = 0; i < count; i++) {
                    double v = prepare(rows[rowBase + i * featureCount + column], column);
                    v = negated ? -v : v;
                    if (keys != null) {
                        keys[at + i] = FastTrees.key((float) v);
                    } else {
                        doubles[at + i] = v;
                    }
                }
            }
            for (int t = 0; t < roots.length; t++) {
                if (fast.laidOut[t]) {
                    if (keys != null) {
                        fast.walk(t, keys, count, out, o, float32, vector, scratch.leaf, scratch.index);
                    } else {
                        fast.walk(t, doubles, count, out, o, float32);
                    }
                    continue;
                }
                int root = roots[t];
                for (int i = 0; i < count; i++) {
                    int leaf = root < 0 ? ~root : leafOf(root, rows, rowBase + i * featureCount);
                    out[o + i] = add(out[o + i], leafContribution[leaf]);
                }
            }
            finishBlock(out, o, count);
        }
    }

    /** The block walk for single-precision rows, whose prepared values are all floats. */
    private void scoreLaidOut(float[] rows, int firstRow, int rowCount, double[] out, int outOffset) {
        int slots = fast.slots();
        boolean float32 = precision == Precision.FLOAT32;
        boolean vector = vectorNow();
        Prepared scratch = prepared.get();
        int[] keys = scratch.keys(FastTrees.ROWS * Math.max(1, slots));
        for (int start = 0; start < rowCount; start += FastTrees.ROWS) {
            int count = Math.min(FastTrees.ROWS, rowCount - start);
            int o = outOffset + start;
            startBlock(out, o, count);
            int rowBase = (firstRow + start) * featureCount;
            for (int s = 0; s < slots; s++) {
                int column = fast.slotColumn[s];
                boolean negated = fast.slotNegated[s];
                int at = s * FastTrees.ROWS;
                for (int i = 0; i < count; i++) {
                    float v = (float) prepare(rows[rowBase + i * featureCount + column], column);
                    keys[at + i] = FastTrees.key(negated ? -v : v);
                }
            }
            for (int t = 0; t < roots.length; t++) {
                if (fast.laidOut[t]) {
                    fast.walk(t, keys, count, out, o, float32, vector, scratch.leaf, scratch.index);
                    continue;
                }
                int root = roots[t];
                for (int i = 0; i < count; i++) {
                    int leaf = root < 0 ? ~root : leafOf(root, rows, rowBase + i * featureCount);
                    out[o + i] = add(out[o + i], leafContribution[leaf]);
                }
            }
            finishBlock(out, o, count);
        }
    }

    @Override
    public double score(double[] row) {
        checkRow(row);
        double sum = start();
        for (int root : roots) {
            sum = add(sum, leafContribution[root < 0 ? ~root : leafOf(root, row, 0)]);
        }
        return finish(sum);
    }

    private void checkRow(double[] row) {
        if (row.length != featureCount) {
            throw new IllegalArgumentException(
                    "a row of this model has " + featureCount + " values, got " + row.length);
        }
    }

    private double start() {
        return precision == Precision.FLOAT32 ? (float) baseScore : baseScore;
    }

    private void startBlock(double[] out, int o, int count) {
        double s = start();
        for (int i = 0; i < count; i++) {
            out[o + i] = s;
        }
    }

    private void finishBlock(double[] out, int o, int count) {
        if (transform != OutputTransform.IDENTITY || marginDivisor != 1.0) {
            for (int i = 0; i < count; i++) {
                out[o + i] = finish(out[o + i]);
            }
        }
    }

    /**
     * Adds in the model's precision. A float32 sum is kept as an exact float inside the double and rounded after each
     * addition; when the added value is itself a float this is exactly float addition (the exact sum of two floats
     * rounds to the same float whether or not it first passes through double), and when it is a double product it
     * is RankLib's {@code float += double}.
     */
    private double add(double sum, double value) {
        return precision == Precision.FLOAT32 ? (double) (float) (sum + value) : sum + value;
    }

    private double finish(double margin) {
        if (precision == Precision.FLOAT64) {
            return transform.apply(transformScale * (margin / marginDivisor));
        }
        float m = (float) margin;
        if (transformInDouble) {
            return (float) transform.apply(m);
        }
        return switch (transform) {
            case IDENTITY -> m;
            case SIGMOID -> 1.0f / (1.0f + (float) Math.exp(-m));
            case EXPONENT -> (float) Math.exp(m);
        };
    }

    private double prepare(double x, int column) {
        int mode = inputMode;
        if (mode == 0) {
            return x;
        }
        if ((mode & MISSING_AS_ZERO) != 0 && x != x) {
            x = 0.0;
        }
        if ((mode & ROUND_TO_FLOAT) != 0) {
            x = (float) x;
        }
        if ((mode & INFINITE_IS_MISSING) != 0 && Double.isInfinite(x)) {
            x = Double.NaN;
        }
        if ((mode & ZERO_CLAMP) != 0 && Math.abs(x) <= ZERO_THRESHOLD) {
            x = 0.0;
        }
        if ((mode & NORMALIZE) != 0) {
            x = ((float) x - normalizeShift[column]) / normalizeScale[column];
        }
        return x;
    }

    private int leafOf(int node, double[] rows, int base) {
        if (plain) {
            return roundToFloat ? plainLeafRounded(node, rows, base) : plainLeaf(node, rows, base);
        }
        int n = node;
        do {
            int column = feature[n];
            n = next(n, prepare(rows[base + column], column));
        } while (n >= 0);
        return ~n;
    }

    private int leafOf(int node, float[] rows, int base) {
        if (plain) {
            return plainLeaf(node, rows, base);
        }
        int n = node;
        do {
            int column = feature[n];
            n = next(n, prepare(rows[base + column], column));
        } while (n >= 0);
        return ~n;
    }

    /*
     * The branch-free walks: the side is computed as 0/1 from two comparisons (a NaN compares false and takes the
     * node's default side) and used as an index, so that an unpredictable split costs no misprediction.
     */

    private int plainLeaf(int node, double[] rows, int base) {
        int n = node;
        do {
            double x = rows[base + feature[n]];
            int side = (x > threshold[n] ? 1 : 0) | ((x != x ? 1 : 0) & defaultRight[n]);
            n = children[2 * n + side];
        } while (n >= 0);
        return ~n;
    }

    private int plainLeafRounded(int node, double[] rows, int base) {
        int n = node;
        do {
            double x = (float) rows[base + feature[n]];
            int side = (x > threshold[n] ? 1 : 0) | ((x != x ? 1 : 0) & defaultRight[n]);
            n = children[2 * n + side];
        } while (n >= 0);
        return ~n;
    }

    private int plainLeaf(int node, float[] rows, int base) {
        int n = node;
        do {
            double x = rows[base + feature[n]];
            int side = (x > threshold[n] ? 1 : 0) | ((x != x ? 1 : 0) & defaultRight[n]);
            n = children[2 * n + side];
        } while (n >= 0);
        return ~n;
    }

    private int next(int n, double x) {
        return children[2 * n + (goesRight(n, x) ? 1 : 0)];
    }

    private boolean goesRight(int n, double x) {
        int f = flags[n];
        if ((f & ~DEFAULT_RIGHT) == 0) {
            return x != x ? f != 0 : !(x <= threshold[n]);
        }
        if ((f & CATEGORICAL) != 0) {
            return x != x ? (f & DEFAULT_RIGHT) != 0 : !inCategories(n, x, f);
        }
        boolean missing = x != x || ((f & ZERO_MISSING) != 0 && Math.abs(x) <= ZERO_THRESHOLD);
        return missing ? (f & DEFAULT_RIGHT) != 0 : !(x <= threshold[n]);
    }

    private boolean inCategories(int n, double x, int f) {
        if ((f & NEGATIVE_NOT_CATEGORY) != 0 && x < 0) {
            return false;
        }
        int category = (int) x;
        if (category < 0) {
            return false;
        }
        int word = category >>> 6;
        return word < categoryWords[n] && (categoryBits[categoryStart[n] + word] & (1L << category)) != 0;
    }

    @Override
    public Explanation.Trees explain(double[] row) {
        checkRow(row);
        var paths = new ArrayList<Explanation.TreePath>(roots.length);
        double sum = start();
        for (int t = 0; t < roots.length; t++) {
            var steps = new ArrayList<Explanation.Step>();
            int n = roots[t];
            while (n >= 0) {
                double x = prepare(row[feature[n]], feature[n]);
                boolean right = goesRight(n, x);
                boolean categorical = (flags[n] & CATEGORICAL) != 0;
                boolean missing = x != x
                        || (!categorical && (flags[n] & ZERO_MISSING) != 0 && Math.abs(x) <= ZERO_THRESHOLD);
                Decision d = Decision.values()[decision[n]];
                boolean swapped = d == Decision.GT || d == Decision.GTE || d == Decision.NOT_IN;
                steps.add(new Explanation.Step(
                        nodeId[n],
                        feature[n],
                        featureNames.get(feature[n]),
                        x,
                        d,
                        writtenThreshold[n],
                        categoriesOf(n),
                        missing,
                        swapped == right));
                n = children[2 * n + (right ? 1 : 0)];
            }
            int leaf = ~n;
            sum = add(sum, leafContribution[leaf]);
            paths.add(new Explanation.TreePath(
                    t, steps, leafId[leaf], leafValue[leaf], treeWeight[t], leafContribution[leaf]));
        }
        double margin = precision == Precision.FLOAT64 ? sum / marginDivisor : sum;
        return new Explanation.Trees(finish(sum), margin, start(), transform, paths);
    }

    private List<Integer> categoriesOf(int n) {
        if ((flags[n] & CATEGORICAL) == 0) {
            return List.of();
        }
        var categories = new ArrayList<Integer>();
        for (int w = 0; w < categoryWords[n]; w++) {
            long bits = categoryBits[categoryStart[n] + w];
            while (bits != 0) {
                categories.add(w * 64 + Long.numberOfTrailingZeros(bits));
                bits &= bits - 1;
            }
        }
        return categories;
    }

    /**
     * Walks the model's trees as written in the file, for converters that re-emit the model in another format.
     *
     * @return one tree view per tree, in order
     */
    public List<TreeView> trees() {
        var views = new ArrayList<TreeView>(roots.length);
        for (int t = 0; t < roots.length; t++) {
            views.add(new TreeView(t));
        }
        return views;
    }

    /** A read-only view of one tree in its written form (original decisions, thresholds and child sides). */
    public final class TreeView {
        private final int tree;

        private TreeView(int tree) {
            this.tree = tree;
        }

        /** The tree's root: a split node {@code >= 0} or a leaf {@code ~leaf}. */
        public int root() {
            return roots[tree];
        }

        /** The tree's weight. */
        public double weight() {
            return treeWeight[tree];
        }

        /** The feature column tested by a split node. */
        public int feature(int node) {
            return feature[node];
        }

        /** The node's test as written. */
        public Decision decision(int node) {
            return Decision.values()[decision[node]];
        }

        /** The node's threshold as written. */
        public double threshold(int node) {
            return writtenThreshold[node];
        }

        /** The child taken when the written test holds. */
        public int writtenLeft(int node) {
            return children[2 * node + (swapped(node) ? 1 : 0)];
        }

        /** The child taken when the written test fails. */
        public int writtenRight(int node) {
            return children[2 * node + (swapped(node) ? 0 : 1)];
        }

        /** Whether a missing value goes to {@link #writtenLeft(int)}. */
        public boolean defaultLeft(int node) {
            boolean defaultRightNormal = (flags[node] & DEFAULT_RIGHT) != 0;
            return swapped(node) == defaultRightNormal;
        }

        /** Whether the node treats values near zero as missing (LightGBM {@code missing_type=Zero}). */
        public boolean zeroIsMissing(int node) {
            return (flags[node] & ZERO_MISSING) != 0;
        }

        /** Whether the node tests categories. */
        public boolean categorical(int node) {
            return (flags[node] & CATEGORICAL) != 0;
        }

        /** The node's number in the model file. */
        public int nodeId(int node) {
            return nodeId[node];
        }

        /** A leaf's contribution to the margin (weight applied). */
        public double leafContribution(int leaf) {
            return leafContribution[leaf];
        }

        /** A leaf's value as written. */
        public double leafValue(int leaf) {
            return leafValue[leaf];
        }

        private boolean swapped(int node) {
            Decision d = decision(node);
            return d == Decision.GT || d == Decision.GTE || d == Decision.NOT_IN;
        }
    }
}
