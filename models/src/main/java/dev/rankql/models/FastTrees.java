package dev.rankql.models;

import java.util.Arrays;

/**
 * The trees of an ensemble laid out again for walking a block of rows with no data-dependent branch.
 *
 * <p>A tree qualifies when each of its splits is a plain threshold test with NaN as the only missing value (the
 * input steps of the model — rounding to float, missing as zero, LightGBM's zero band, normalizers — are applied to
 * the whole block beforehand). Every split is turned into one test, {@code value > threshold}, whose false side (the
 * <em>first</em> child) is the one a missing value takes: NaN compares false. A split whose missing values go right
 * tests the negated value against a negated threshold ({@code x <= t} is {@code -x > nextDown(-t)}); negated values
 * are columns ("slots") of their own in the prepared block, which is stored slot by slot ({@code slot * ROWS + row})
 * so that rows walked together read neighbouring entries.
 *
 * <p>A tree of modest depth is laid out <em>complete</em>: as the implicit binary tree of its depth {@code d}, node
 * {@code i}'s children at {@code 2i + 1} (first) and {@code 2i + 2}, its {@code 2^d} leaves after its
 * {@code 2^d - 1} splits; a leaf above the last level becomes a chain of splits that always take their first child
 * ({@code x > +infinity}) down to its copy on the last level. Walking is then pure index arithmetic, one load of a
 * packed node and one of the row's value per level. Other trees keep an explicit layout: children adjacent, the
 * first child's position stored, leaves being nodes that test {@code x > +infinity} and name themselves as first
 * child. Either way every row takes exactly the tree's depth in steps: no loop exit depends on the data.
 *
 * <p>Float blocks are compared as integers: a float {@code x} is stored as the key {@link #key(float)}, which orders
 * like the float for every non-NaN value (zeros made positive first) and is below every key for NaN; thresholds are
 * rounded down to the largest float not above them, which is exact for float inputs. Double blocks compare doubles.
 * Rows are walked eight at a time in lockstep so that their independent chains of loads overlap; when asked for and
 * the Vector API is available, complete trees are walked over groups of rows in SIMD lanes instead
 * ({@link VectorWalk}).
 */
final class FastTrees {

    /** Rows per prepared block: small enough for a block of the usual 10–50 slots to stay in the first-level cache. */
    static final int ROWS = 128;
    /** Deepest tree laid out complete; deeper trees keep the explicit layout. */
    private static final int COMPLETE_DEPTH = 10;
    /** The integer key of NaN: below the key of every other float, so that a missing value never passes a test. */
    static final int NAN_KEY = Integer.MIN_VALUE;
    private static final int INFINITY_KEY = key(Float.POSITIVE_INFINITY);
    /** Entries after the last position, so that a vector load of a level's nodes never reads past the array. */
    private static final int PADDING = 128;
    /**
     * Whether {@link VectorWalk} can run here: the {@code jdk.incubator.vector} module is present (the JVM was started
     * with {@code --add-modules jdk.incubator.vector}) and its vectors hold at least 8 ints.
     */
    static final boolean VECTOR_AVAILABLE = vectorUsable();
    /**
     * The system property {@code rankql.vector}: {@code true} takes the vector walk from a model's first call,
     * {@code false} never takes it, and anything else (the default) takes it once {@link VectorWarmup} has had it
     * compiled, because until then it is many times slower than the scalar walk (see docs/performance.md).
     */
    static final String VECTOR_PROPERTY = System.getProperty("rankql.vector", "auto");
    /** Rows per vector group of the vector walk (0 without it). */
    private static final int LANES = VECTOR_AVAILABLE ? VectorWalk.LANES : 0;
    /** Entries of each scratch array the vector walk needs. */
    static final int SCRATCH = 4 * Math.max(LANES, 1);

    private static boolean vectorUsable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorWalk.LANES >= 8 && VectorWalk.LANES <= PADDING / 2;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Per tree: whether it is laid out here; trees that are not keep the general walk. */
    final boolean[] laidOut;
    /** Per tree: whether it is laid out complete (implicit children) rather than explicit. */
    final boolean[] complete;
    /** Per tree: the root's position. */
    final int[] root;
    /** Per tree: the number of steps every row takes. */
    final int[] depth;
    /**
     * Per position: the float threshold's key in the high 32 bits, the prepared block's offset of the tested slot
     * ({@code slot * ROWS}) in the low 32.
     */
    final long[] packed;
    /** Per position: the threshold key and the slot offset of {@link #packed} apart, padded for vector loads. */
    final int[] thresholdKey;
    final int[] slotOffset;
    /** Per position of an explicit tree: the first child's position. */
    final int[] first;
    final double[] thresholdDouble;
    /** Per position: the leaf's contribution to the margin (0 for splits). */
    final double[] value;
    /** Per slot: the row column it reads. */
    final int[] slotColumn;
    /** Per slot: whether it holds the negated value. */
    final boolean[] slotNegated;
    /** Whether any tree is laid out here. */
    final boolean any;

    private FastTrees(boolean[] laidOut, boolean[] complete, int[] root, int[] depth, long[] packed, int[] first,
            double[] thresholdDouble, double[] value, int[] slotColumn, boolean[] slotNegated) {
        this.laidOut = laidOut;
        this.complete = complete;
        this.root = root;
        this.depth = depth;
        this.packed = packed;
        this.first = first;
        this.thresholdKey = new int[packed.length + PADDING];
        this.slotOffset = new int[packed.length + PADDING];
        for (int i = 0; i < packed.length; i++) {
            thresholdKey[i] = (int) (packed[i] >> 32);
            slotOffset[i] = (int) packed[i];
        }
        this.thresholdDouble = thresholdDouble;
        this.value = value;
        this.slotColumn = slotColumn;
        this.slotNegated = slotNegated;
        boolean some = false;
        for (boolean b : laidOut) {
            some |= b;
        }
        this.any = some;
    }

    int slots() {
        return slotColumn.length;
    }

    /**
     * The integer that orders like {@code x}: for floats {@code a, b} that are not NaN, {@code a > b} iff
     * {@code key(a) > key(b)} ({@code -0.0} is read as {@code +0.0}, equal to it as a float); NaN maps to
     * {@link #NAN_KEY}, which is below every other key.
     */
    static int key(float x) {
        if (x != x) {
            return NAN_KEY;
        }
        int bits = Float.floatToRawIntBits(x + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** The slots of the columns tested, in order of first use. */
    private static final class Slots {
        final int[] slotOf;
        int[] column = new int[8];
        boolean[] negated = new boolean[8];
        int count;

        Slots(int featureCount) {
            slotOf = new int[2 * featureCount];
            Arrays.fill(slotOf, -1);
        }

        int of(int feature, boolean negate, int featureCount) {
            int c = feature + (negate ? featureCount : 0);
            if (slotOf[c] < 0) {
                if (count == column.length) {
                    column = Arrays.copyOf(column, count * 2);
                    negated = Arrays.copyOf(negated, count * 2);
                }
                column[count] = feature;
                negated[count] = negate;
                slotOf[c] = count++;
            }
            return slotOf[c];
        }
    }

    /**
     * Lays out the trees of a flattened ensemble (splits {@code >= 0}, leaves {@code ~leaf}, children at {@code 2n}
     * and {@code 2n + 1}, normal form "left iff {@code x <= threshold}").
     */
    static FastTrees of(int featureCount, int[] roots, int[] feature, double[] threshold, int[] children,
            byte[] flags, double[] leafContribution) {
        int trees = roots.length;
        boolean[] laidOut = new boolean[trees];
        boolean[] complete = new boolean[trees];
        int[] rootAt = new int[trees];
        int[] depthOf = new int[trees];
        long total = 0;
        int[][] orders = new int[trees][];
        for (int t = 0; t < trees; t++) {
            int[] order = breadthFirst(roots[t], children, flags);
            if (!qualifies(order, threshold, flags)) {
                continue;
            }
            int d = depth(order);
            long padded = (2L << d) - 1;
            if (d <= COMPLETE_DEPTH && padded <= 4L * order.length + 64) {
                complete[t] = true;
                laidOut[t] = true;
                depthOf[t] = d;
                total += padded;
            } else if (worthIt(order)) {
                laidOut[t] = true;
                depthOf[t] = d;
                total += order.length;
            }
            orders[t] = order;
        }
        if (total >= Integer.MAX_VALUE / 4) {
            // Positions are ints and the complete walk doubles them: a model this large keeps the general walk.
            Arrays.fill(laidOut, false);
            total = 0;
        }
        int size = (int) total;
        long[] packed = new long[size];
        int[] first = new int[size];
        double[] thresholdDouble = new double[size];
        double[] value = new double[size];
        long passKey = (long) INFINITY_KEY << 32;
        Arrays.fill(packed, passKey);
        Arrays.fill(thresholdDouble, Double.POSITIVE_INFINITY);
        var slots = new Slots(featureCount);
        int at = 0;
        for (int t = 0; t < trees; t++) {
            if (!laidOut[t]) {
                continue;
            }
            rootAt[t] = at;
            int[] order = orders[t];
            var tree = new Layout(featureCount, feature, threshold, children, flags, leafContribution, slots, packed,
                    first, thresholdDouble, value);
            if (complete[t]) {
                tree.complete(roots[t], at, 0, 0, depthOf[t]);
                at += (2 << depthOf[t]) - 1;
            } else {
                at = tree.explicit(order, at);
            }
        }
        return new FastTrees(laidOut, complete, rootAt, depthOf, packed, first, thresholdDouble, value,
                Arrays.copyOf(slots.column, slots.count), Arrays.copyOf(slots.negated, slots.count));
    }

    /** Writes one tree's nodes into the position arrays. */
    private record Layout(int featureCount, int[] feature, double[] threshold, int[] children, byte[] flags,
            double[] leafContribution, Slots slots, long[] packed, int[] first, double[] thresholdDouble,
            double[] value) {

        /** Places split or leaf {@code n} at local index {@code i} (level {@code level}) of a complete tree. */
        void complete(int n, int base, int i, int level, int d) {
            int here = base + i;
            if (level == d) {
                value[here] = leafContribution[~n];
                return;
            }
            if (n < 0) {
                // A leaf above the last level: a split that always takes its first child, down to the leaf's copy.
                complete(n, base, 2 * i + 1, level + 1, d);
                return;
            }
            boolean negate = (flags[n] & TreeEnsemble.DEFAULT_RIGHT) != 0;
            split(n, here, negate);
            complete(children[2 * n + (negate ? 1 : 0)], base, 2 * i + 1, level + 1, d);
            complete(children[2 * n + (negate ? 0 : 1)], base, 2 * i + 2, level + 1, d);
        }

        /** Lays out an explicit tree from its breadth-first order and returns the next free position. */
        int explicit(int[] order, int at) {
            int[] position = new int[order.length];
            position[0] = at;
            int next = at + 1;
            int cursor = 1;
            for (int i = 0; i < order.length; i++) {
                int n = order[i];
                int here = position[i];
                if (n < 0) {
                    first[here] = here;
                    value[here] = leafContribution[~n];
                    continue;
                }
                boolean negate = (flags[n] & TreeEnsemble.DEFAULT_RIGHT) != 0;
                split(n, here, negate);
                first[here] = next;
                // order[cursor], order[cursor + 1] are this split's children, default child first (breadthFirst).
                position[cursor++] = next++;
                position[cursor++] = next++;
            }
            return next;
        }

        /** The test of split {@code n} at position {@code here}: {@code x > t} sends a row to its second child. */
        private void split(int n, int here, boolean negate) {
            int slot = slots.of(feature[n], negate, featureCount);
            double t0 = threshold[n];
            double test = negate ? Math.nextDown(-t0) : t0;
            thresholdDouble[here] = test;
            packed[here] = ((long) key(floorToFloat(test)) << 32) | (long) slot * ROWS;
        }
    }

    /** The tree's nodes in breadth-first order, each split's default (missing-value) child queued first. */
    private static int[] breadthFirst(int rootNode, int[] children, byte[] flags) {
        int[] queue = new int[16];
        int size = 0;
        queue[size++] = rootNode;
        for (int i = 0; i < size; i++) {
            int n = queue[i];
            if (n < 0) {
                continue;
            }
            if (size + 2 > queue.length) {
                queue = Arrays.copyOf(queue, queue.length * 2);
            }
            int negate = (flags[n] & TreeEnsemble.DEFAULT_RIGHT) != 0 ? 1 : 0;
            queue[size++] = children[2 * n + negate];
            queue[size++] = children[2 * n + 1 - negate];
        }
        return Arrays.copyOf(queue, size);
    }

    private static boolean qualifies(int[] order, double[] threshold, byte[] flags) {
        for (int n : order) {
            if (n < 0) {
                continue;
            }
            if ((flags[n] & ~TreeEnsemble.DEFAULT_RIGHT) != 0 || Double.isNaN(threshold[n])) {
                return false;
            }
            // x <= +inf holds for every non-missing value, which no negated strict test can say.
            if ((flags[n] & TreeEnsemble.DEFAULT_RIGHT) != 0 && threshold[n] == Double.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    /** The levels of leaves in a breadth-first order; entry {@code i} belongs to {@code order[i]}. */
    private static int[] levels(int[] order) {
        int[] level = new int[order.length];
        int cursor = 1;
        for (int i = 0; i < order.length; i++) {
            if (order[i] >= 0) {
                level[cursor++] = level[i] + 1;
                level[cursor++] = level[i] + 1;
            }
        }
        return level;
    }

    /** The number of splits on the tree's longest path. */
    private static int depth(int[] order) {
        int deepest = 0;
        for (int l : levels(order)) {
            deepest = Math.max(deepest, l);
        }
        return deepest;
    }

    /**
     * Whether walking every row to the tree's full depth costs little more than walking to its leaves: true unless
     * the deepest leaf lies far below the average one (a long chain in an otherwise shallow tree).
     */
    private static boolean worthIt(int[] order) {
        int[] level = levels(order);
        long leafDepths = 0;
        int leaves = 0;
        int deepest = 0;
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0) {
                leafDepths += level[i];
                leaves++;
                deepest = Math.max(deepest, level[i]);
            }
        }
        return deepest <= 2.0 * leafDepths / leaves + 4;
    }

    /** The largest float not above {@code d}: for a float {@code x}, {@code x > d} iff {@code x > floorToFloat(d)}. */
    static float floorToFloat(double d) {
        float f = (float) d;
        return f > d ? Math.nextDown(f) : f;
    }

    /**
     * Adds tree {@code t}'s leaf to {@code out[o + i]} for the rows {@code i < count} of a prepared block of float
     * keys ({@link #ROWS} entries per slot), rounding each sum to float when {@code float32}; {@code leaf} and
     * {@code index} are the thread's scratch for the vector walk ({@link #SCRATCH} entries each), taken for complete
     * trees when {@code vector} (and {@link #VECTOR_AVAILABLE}).
     */
    void walk(int t, int[] x, int count, double[] out, int o, boolean float32, boolean vector, int[] leaf,
            int[] index) {
        if (!complete[t]) {
            walkExplicit(t, x, count, out, o, float32);
            return;
        }
        int r = 0;
        if (vector && VECTOR_AVAILABLE && depth[t] > 0) {
            int start = root[t];
            int steps = depth[t];
            int leaves = start + (1 << steps) - 1;
            for (; r + 4 * LANES <= count; r += 4 * LANES) {
                VectorWalk.walk4(x, thresholdKey, slotOffset, start, steps, r, leaf, index);
                for (int l = 0; l < 4 * LANES; l++) {
                    out[o + r + l] = add(out[o + r + l], value[leaves + leaf[l]], float32);
                }
            }
            for (; r + LANES <= count; r += LANES) {
                VectorWalk.walk1(x, thresholdKey, slotOffset, start, steps, r, leaf, index);
                for (int l = 0; l < LANES; l++) {
                    out[o + r + l] = add(out[o + r + l], value[leaves + leaf[l]], float32);
                }
            }
        }
        walkComplete(t, x, r, count, out, o, float32);
    }

    /** The scalar walk of a complete tree over the rows {@code from .. count - 1}. */
    private void walkComplete(int t, int[] x, int from, int count, double[] out, int o, boolean float32) {
        final long[] packed = this.packed;
        final double[] value = this.value;
        final int start = root[t];
        final int steps = depth[t];
        // Position j at local index i = j - start; its first child 2i + 1 is at 2j + k.
        final int k = 1 - start;
        int r = from;
        for (; r + 8 <= count; r += 8) {
            int j0 = start;
            int j1 = start;
            int j2 = start;
            int j3 = start;
            int j4 = start;
            int j5 = start;
            int j6 = start;
            int j7 = start;
            for (int s = 0; s < steps; s++) {
                long p0 = packed[j0];
                long p1 = packed[j1];
                long p2 = packed[j2];
                long p3 = packed[j3];
                long p4 = packed[j4];
                long p5 = packed[j5];
                long p6 = packed[j6];
                long p7 = packed[j7];
                j0 = 2 * j0 + k + (x[(int) p0 + r] > (int) (p0 >> 32) ? 1 : 0);
                j1 = 2 * j1 + k + (x[(int) p1 + r + 1] > (int) (p1 >> 32) ? 1 : 0);
                j2 = 2 * j2 + k + (x[(int) p2 + r + 2] > (int) (p2 >> 32) ? 1 : 0);
                j3 = 2 * j3 + k + (x[(int) p3 + r + 3] > (int) (p3 >> 32) ? 1 : 0);
                j4 = 2 * j4 + k + (x[(int) p4 + r + 4] > (int) (p4 >> 32) ? 1 : 0);
                j5 = 2 * j5 + k + (x[(int) p5 + r + 5] > (int) (p5 >> 32) ? 1 : 0);
                j6 = 2 * j6 + k + (x[(int) p6 + r + 6] > (int) (p6 >> 32) ? 1 : 0);
                j7 = 2 * j7 + k + (x[(int) p7 + r + 7] > (int) (p7 >> 32) ? 1 : 0);
            }
            out[o + r] = add(out[o + r], value[j0], float32);
            out[o + r + 1] = add(out[o + r + 1], value[j1], float32);
            out[o + r + 2] = add(out[o + r + 2], value[j2], float32);
            out[o + r + 3] = add(out[o + r + 3], value[j3], float32);
            out[o + r + 4] = add(out[o + r + 4], value[j4], float32);
            out[o + r + 5] = add(out[o + r + 5], value[j5], float32);
            out[o + r + 6] = add(out[o + r + 6], value[j6], float32);
            out[o + r + 7] = add(out[o + r + 7], value[j7], float32);
        }
        for (; r < count; r++) {
            int j = start;
            for (int s = 0; s < steps; s++) {
                long p = packed[j];
                j = 2 * j + k + (x[(int) p + r] > (int) (p >> 32) ? 1 : 0);
            }
            out[o + r] = add(out[o + r], value[j], float32);
        }
    }

    private void walkExplicit(int t, int[] x, int count, double[] out, int o, boolean float32) {
        final long[] packed = this.packed;
        final int[] first = this.first;
        final double[] value = this.value;
        final int start = root[t];
        final int steps = depth[t];
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            int n0 = start;
            int n1 = start;
            int n2 = start;
            int n3 = start;
            for (int s = 0; s < steps; s++) {
                long p0 = packed[n0];
                long p1 = packed[n1];
                long p2 = packed[n2];
                long p3 = packed[n3];
                n0 = first[n0] + (x[(int) p0 + r] > (int) (p0 >> 32) ? 1 : 0);
                n1 = first[n1] + (x[(int) p1 + r + 1] > (int) (p1 >> 32) ? 1 : 0);
                n2 = first[n2] + (x[(int) p2 + r + 2] > (int) (p2 >> 32) ? 1 : 0);
                n3 = first[n3] + (x[(int) p3 + r + 3] > (int) (p3 >> 32) ? 1 : 0);
            }
            out[o + r] = add(out[o + r], value[n0], float32);
            out[o + r + 1] = add(out[o + r + 1], value[n1], float32);
            out[o + r + 2] = add(out[o + r + 2], value[n2], float32);
            out[o + r + 3] = add(out[o + r + 3], value[n3], float32);
        }
        for (; r < count; r++) {
            int n = start;
            for (int s = 0; s < steps; s++) {
                long p = packed[n];
                n = first[n] + (x[(int) p + r] > (int) (p >> 32) ? 1 : 0);
            }
            out[o + r] = add(out[o + r], value[n], float32);
        }
    }

    /** The same as {@link #walk(int, int[], int, double[], int, boolean)} for a prepared block of doubles. */
    void walk(int t, double[] x, int count, double[] out, int o, boolean float32) {
        final long[] packed = this.packed;
        final int[] first = this.first;
        final double[] threshold = this.thresholdDouble;
        final double[] value = this.value;
        final int start = root[t];
        final int steps = depth[t];
        final boolean implicit = complete[t];
        final int k = 1 - start;
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            int n0 = start;
            int n1 = start;
            int n2 = start;
            int n3 = start;
            for (int s = 0; s < steps; s++) {
                int c0 = x[(int) packed[n0] + r] > threshold[n0] ? 1 : 0;
                int c1 = x[(int) packed[n1] + r + 1] > threshold[n1] ? 1 : 0;
                int c2 = x[(int) packed[n2] + r + 2] > threshold[n2] ? 1 : 0;
                int c3 = x[(int) packed[n3] + r + 3] > threshold[n3] ? 1 : 0;
                if (implicit) {
                    n0 = 2 * n0 + k + c0;
                    n1 = 2 * n1 + k + c1;
                    n2 = 2 * n2 + k + c2;
                    n3 = 2 * n3 + k + c3;
                } else {
                    n0 = first[n0] + c0;
                    n1 = first[n1] + c1;
                    n2 = first[n2] + c2;
                    n3 = first[n3] + c3;
                }
            }
            out[o + r] = add(out[o + r], value[n0], float32);
            out[o + r + 1] = add(out[o + r + 1], value[n1], float32);
            out[o + r + 2] = add(out[o + r + 2], value[n2], float32);
            out[o + r + 3] = add(out[o + r + 3], value[n3], float32);
        }
        for (; r < count; r++) {
            int n = start;
            for (int s = 0; s < steps; s++) {
                int c = x[(int) packed[n] + r] > threshold[n] ? 1 : 0;
                n = implicit ? 2 * n + k + c : first[n] + c;
            }
            out[o + r] = add(out[o + r], value[n], float32);
        }
    }

    /** The running sum in the model's precision (see {@code TreeEnsemble.add}). */
    private static double add(double sum, double value, boolean float32) {
        return float32 ? (double) (float) (sum + value) : sum + value;
    }
}
