package dev.rankql.models;

import java.util.Arrays;

/**
 * The trees of an ensemble laid out again for walking a block of rows with no data-dependent branch.
 *
 * <p>A tree qualifies when each of its splits is a plain threshold test with NaN as the only missing value (the
 * input steps of the model — rounding to float, missing as zero, LightGBM's zero band, normalizers — are applied to
 * the whole block beforehand). Its nodes are renumbered breadth-first so that the two children of a split are
 * adjacent, the <em>default</em> child (the one a missing value takes) first: the next node is {@code first + side}
 * where {@code side} is the 0/1 result of a single {@code value > threshold} comparison, false for NaN. A split whose
 * missing values go right tests the negated value against a negated threshold ({@code x <= t} is {@code -x >
 * nextDown(-t)}), so that it too sends NaN to its first child; negated values are columns of their own in the
 * prepared block. Leaves are nodes that test {@code value > +infinity} and name themselves as first child, so every
 * row takes exactly the tree's depth in steps and simply stays on its leaf once there. Rows are walked four at a time
 * in lockstep so that their independent chains of loads overlap. The comparison is done in float when the prepared
 * values are floats (thresholds rounded down to the largest float not above them, which is exact for float inputs)
 * and in double otherwise.
 */
final class FastTrees {

    /** Per tree: whether it is laid out here; trees that are not keep the general walk. */
    final boolean[] laidOut;
    /** Per tree: the root's position in {@link #node}. */
    final int[] root;
    /** Per tree: the number of splits on its longest path. */
    final int[] depth;
    /** Per node: the first child's position in the high 32 bits, the prepared column ("slot") in the low 32. */
    final long[] node;
    final float[] thresholdFloat;
    final double[] thresholdDouble;
    /** Per node: the leaf's contribution to the margin (0 for splits). */
    final double[] value;
    /** Per slot: the row column it reads. */
    final int[] slotColumn;
    /** Per slot: whether it holds the negated value. */
    final boolean[] slotNegated;
    /** Whether any tree is laid out here. */
    final boolean any;

    private FastTrees(boolean[] laidOut, int[] root, int[] depth, long[] node, float[] thresholdFloat,
            double[] thresholdDouble, double[] value, int[] slotColumn, boolean[] slotNegated) {
        this.laidOut = laidOut;
        this.root = root;
        this.depth = depth;
        this.node = node;
        this.thresholdFloat = thresholdFloat;
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
     * Lays out the trees of a flattened ensemble (splits {@code >= 0}, leaves {@code ~leaf}, children at {@code 2n}
     * and {@code 2n + 1}, normal form "left iff {@code x <= threshold}").
     */
    static FastTrees of(int featureCount, int[] roots, int[] feature, double[] threshold, int[] children,
            byte[] flags, double[] leafContribution) {
        int trees = roots.length;
        boolean[] laidOut = new boolean[trees];
        int[] rootAt = new int[trees];
        int[] depthOf = new int[trees];
        int[] slotOf = new int[2 * featureCount];
        Arrays.fill(slotOf, -1);
        int[] slotColumn = new int[Math.max(4, 2 * featureCount)];
        boolean[] slotNegated = new boolean[slotColumn.length];
        int slots = 0;
        int total = 0;
        int[][] orders = new int[trees][];
        for (int t = 0; t < trees; t++) {
            int[] order = breadthFirst(roots[t], children, flags);
            if (qualifies(order, threshold, flags) && worthIt(order)) {
                laidOut[t] = true;
                orders[t] = order;
                total += order.length;
            }
        }
        long[] node = new long[total];
        float[] thresholdFloat = new float[total];
        double[] thresholdDouble = new double[total];
        double[] value = new double[total];
        int at = 0;
        for (int t = 0; t < trees; t++) {
            if (!laidOut[t]) {
                continue;
            }
            int[] order = orders[t];
            rootAt[t] = at;
            // position[i] = where order[i] lands; children of a split are placed next to each other in BFS order.
            int[] position = new int[order.length];
            int[] level = new int[order.length];
            position[0] = at;
            int next = at + 1;
            int cursor = 1;
            int deepest = 0;
            for (int i = 0; i < order.length; i++) {
                int n = order[i];
                int here = position[i];
                if (n < 0) {
                    node[here] = (long) here << 32;
                    thresholdFloat[here] = Float.POSITIVE_INFINITY;
                    thresholdDouble[here] = Double.POSITIVE_INFINITY;
                    value[here] = leafContribution[~n];
                    deepest = Math.max(deepest, level[i]);
                    continue;
                }
                boolean negate = (flags[n] & TreeEnsemble.DEFAULT_RIGHT) != 0;
                int column = feature[n] + (negate ? featureCount : 0);
                if (slotOf[column] < 0) {
                    slotOf[column] = slots;
                    if (slots == slotColumn.length) {
                        slotColumn = Arrays.copyOf(slotColumn, slots * 2);
                        slotNegated = Arrays.copyOf(slotNegated, slots * 2);
                    }
                    slotColumn[slots] = feature[n];
                    slotNegated[slots] = negate;
                    slots++;
                }
                // The default (missing-value) child goes first: left for a plain test, right for a negated one.
                int defaultChild = children[2 * n + (negate ? 1 : 0)];
                int otherChild = children[2 * n + (negate ? 0 : 1)];
                int first = next;
                next += 2;
                node[here] = ((long) first << 32) | slotOf[column];
                double t0 = threshold[n];
                double test = negate ? Math.nextDown(-t0) : t0;
                thresholdDouble[here] = test;
                thresholdFloat[here] = floorToFloat(test);
                // order[cursor], order[cursor + 1] are this split's children, in the order breadthFirst queued them.
                position[cursor] = first;
                position[cursor + 1] = first + 1;
                level[cursor] = level[i] + 1;
                level[cursor + 1] = level[i] + 1;
                if (order[cursor] != defaultChild || order[cursor + 1] != otherChild) {
                    throw new IllegalStateException("breadth-first order out of step at node " + n);
                }
                cursor += 2;
            }
            depthOf[t] = deepest;
            at = next;
        }
        return new FastTrees(laidOut, rootAt, depthOf, node, thresholdFloat, thresholdDouble, value,
                Arrays.copyOf(slotColumn, slots), Arrays.copyOf(slotNegated, slots));
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

    /**
     * Whether walking every row to the tree's full depth costs little more than walking to its leaves: true unless
     * the deepest leaf lies far below the average one (a long chain in an otherwise shallow tree).
     */
    private static boolean worthIt(int[] order) {
        int[] level = new int[order.length];
        int cursor = 1;
        long leafDepths = 0;
        int leaves = 0;
        int deepest = 0;
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0) {
                leafDepths += level[i];
                leaves++;
                deepest = Math.max(deepest, level[i]);
                continue;
            }
            level[cursor++] = level[i] + 1;
            level[cursor++] = level[i] + 1;
        }
        return deepest <= 2.0 * leafDepths / leaves + 4;
    }

    /** The largest float not above {@code d}: for a float {@code x}, {@code x > d} iff {@code x > floorToFloat(d)}. */
    static float floorToFloat(double d) {
        float f = (float) d;
        return f > d ? Math.nextDown(f) : f;
    }

    /**
     * Adds tree {@code t}'s leaf to {@code out[o + i]} for the rows {@code i < count} of a prepared float block
     * ({@link #slots()} values per row), rounding each sum to float when {@code float32}.
     */
    void walk(int t, float[] x, int count, double[] out, int o, boolean float32) {
        final long[] node = this.node;
        final float[] threshold = this.thresholdFloat;
        final double[] value = this.value;
        final int stride = slotColumn.length;
        final int start = root[t];
        final int steps = depth[t];
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            int b0 = i * stride;
            int b1 = b0 + stride;
            int b2 = b1 + stride;
            int b3 = b2 + stride;
            int n0 = start;
            int n1 = start;
            int n2 = start;
            int n3 = start;
            for (int k = 0; k < steps; k++) {
                long p0 = node[n0];
                long p1 = node[n1];
                long p2 = node[n2];
                long p3 = node[n3];
                n0 = (int) (p0 >>> 32) + (x[b0 + (int) p0] > threshold[n0] ? 1 : 0);
                n1 = (int) (p1 >>> 32) + (x[b1 + (int) p1] > threshold[n1] ? 1 : 0);
                n2 = (int) (p2 >>> 32) + (x[b2 + (int) p2] > threshold[n2] ? 1 : 0);
                n3 = (int) (p3 >>> 32) + (x[b3 + (int) p3] > threshold[n3] ? 1 : 0);
            }
            out[o + i] = add(out[o + i], value[n0], float32);
            out[o + i + 1] = add(out[o + i + 1], value[n1], float32);
            out[o + i + 2] = add(out[o + i + 2], value[n2], float32);
            out[o + i + 3] = add(out[o + i + 3], value[n3], float32);
        }
        for (; i < count; i++) {
            int b = i * stride;
            int n = start;
            for (int k = 0; k < steps; k++) {
                long p = node[n];
                n = (int) (p >>> 32) + (x[b + (int) p] > threshold[n] ? 1 : 0);
            }
            out[o + i] = add(out[o + i], value[n], float32);
        }
    }

    /** The same as {@link #walk(int, float[], int, double[], int, boolean)} for a prepared double block. */
    void walk(int t, double[] x, int count, double[] out, int o, boolean float32) {
        final long[] node = this.node;
        final double[] threshold = this.thresholdDouble;
        final double[] value = this.value;
        final int stride = slotColumn.length;
        final int start = root[t];
        final int steps = depth[t];
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            int b0 = i * stride;
            int b1 = b0 + stride;
            int b2 = b1 + stride;
            int b3 = b2 + stride;
            int n0 = start;
            int n1 = start;
            int n2 = start;
            int n3 = start;
            for (int k = 0; k < steps; k++) {
                long p0 = node[n0];
                long p1 = node[n1];
                long p2 = node[n2];
                long p3 = node[n3];
                n0 = (int) (p0 >>> 32) + (x[b0 + (int) p0] > threshold[n0] ? 1 : 0);
                n1 = (int) (p1 >>> 32) + (x[b1 + (int) p1] > threshold[n1] ? 1 : 0);
                n2 = (int) (p2 >>> 32) + (x[b2 + (int) p2] > threshold[n2] ? 1 : 0);
                n3 = (int) (p3 >>> 32) + (x[b3 + (int) p3] > threshold[n3] ? 1 : 0);
            }
            out[o + i] = add(out[o + i], value[n0], float32);
            out[o + i + 1] = add(out[o + i + 1], value[n1], float32);
            out[o + i + 2] = add(out[o + i + 2], value[n2], float32);
            out[o + i + 3] = add(out[o + i + 3], value[n3], float32);
        }
        for (; i < count; i++) {
            int b = i * stride;
            int n = start;
            for (int k = 0; k < steps; k++) {
                long p = node[n];
                n = (int) (p >>> 32) + (x[b + (int) p] > threshold[n] ? 1 : 0);
            }
            out[o + i] = add(out[o + i], value[n], float32);
        }
    }

    /** The running sum in the model's precision (see {@code TreeEnsemble.add}). */
    private static double add(double sum, double value, boolean float32) {
        return float32 ? (double) (float) (sum + value) : sum + value;
    }
}
