package dev.rankql.models;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The walk of a complete tree over groups of rows held in the lanes of SIMD vectors (the JDK's Vector API), each
 * level one comparison of every lane's float key against its node's threshold key.
 *
 * <p>Each lane keeps its level-local node index {@code j}; a level moves it to {@code 2j + (x > t)}. At the root all
 * lanes test the same slot, so their values are one contiguous load. Down to the level whose nodes fit in two vectors,
 * a level's thresholds and slot offsets are loaded as vectors and picked per lane with a permutation; deeper levels
 * gather them. The row values are gathered from the slot-major prepared block. Four vectors of rows are walked
 * together so that the gathers of one overlap the others. Only loaded when the {@code jdk.incubator.vector} module is
 * present (see {@link FastTrees#VECTOR_AVAILABLE}).
 */
final class VectorWalk {

    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    /** Rows per vector. */
    static final int LANES = S.length();

    private VectorWalk() {}

    /** Rows 0 .. LANES-1 of the lane index, plus {@code r}. */
    private static IntVector lanes(int r) {
        return IntVector.zero(S).addIndex(1).add(r);
    }

    /**
     * Walks rows {@code r .. r + 4 * LANES - 1} of a prepared key block through the complete tree rooted at
     * {@code root} with {@code steps >= 1} levels, leaving each row's level-local leaf index in {@code leaf[0 ..
     * 4 * LANES)}. {@code threshold} and {@code offset} are the per-position threshold keys and slot offsets, padded
     * by {@code 2 * LANES} entries; {@code index} is scratch of {@code 4 * LANES} entries. The levels are split over
     * small methods that hand the lanes' node indexes over in {@code leaf}: one large method would be too large for
     * the JIT's first compiler and would then never reach the optimizing one, which is what keeps vectors in registers.
     */
    static void walk4(int[] keys, int[] threshold, int[] offset, int root, int steps, int r, int[] leaf,
            int[] index) {
        rootLevel(keys, threshold[root], offset[root] + r, leaf);
        int level = 1;
        int permuted = Math.min(steps, Integer.numberOfTrailingZeros(LANES) + 1);
        if (level < permuted) {
            permutedLevels(keys, threshold, offset, root, level, permuted, r, leaf, index);
            level = permuted;
        }
        if (level < steps && (1 << level) == 2 * LANES) {
            twoVectorLevel(keys, threshold, offset, root + (1 << level) - 1, r, leaf, index);
            level++;
        }
        if (level < steps) {
            gatheredLevels(keys, threshold, offset, root, level, steps, r, leaf, index);
        }
    }

    /** The root: every lane tests the same slot, whose values for the rows are contiguous. */
    private static void rootLevel(int[] keys, int t, int o, int[] leaf) {
        final int n = LANES;
        IntVector zero = IntVector.zero(S);
        zero.add(1, IntVector.fromArray(S, keys, o).compare(VectorOperators.GT, t)).intoArray(leaf, 0);
        zero.add(1, IntVector.fromArray(S, keys, o + n).compare(VectorOperators.GT, t)).intoArray(leaf, n);
        zero.add(1, IntVector.fromArray(S, keys, o + 2 * n).compare(VectorOperators.GT, t)).intoArray(leaf, 2 * n);
        zero.add(1, IntVector.fromArray(S, keys, o + 3 * n).compare(VectorOperators.GT, t)).intoArray(leaf, 3 * n);
    }

    /** Levels {@code from .. to - 1}, each with at most {@code LANES} nodes: one vector of thresholds, permuted. */
    private static void permutedLevels(int[] keys, int[] threshold, int[] offset, int root, int from, int to, int r,
            int[] leaf, int[] index) {
        final int n = LANES;
        IntVector r0 = lanes(r);
        IntVector r1 = lanes(r + n);
        IntVector r2 = lanes(r + 2 * n);
        IntVector r3 = lanes(r + 3 * n);
        IntVector j0 = IntVector.fromArray(S, leaf, 0);
        IntVector j1 = IntVector.fromArray(S, leaf, n);
        IntVector j2 = IntVector.fromArray(S, leaf, 2 * n);
        IntVector j3 = IntVector.fromArray(S, leaf, 3 * n);
        for (int level = from; level < to; level++) {
            int at = root + (1 << level) - 1;
            IntVector tt = IntVector.fromArray(S, threshold, at);
            IntVector to0 = IntVector.fromArray(S, offset, at);
            j0.selectFrom(to0).add(r0).intoArray(index, 0);
            j1.selectFrom(to0).add(r1).intoArray(index, n);
            j2.selectFrom(to0).add(r2).intoArray(index, 2 * n);
            j3.selectFrom(to0).add(r3).intoArray(index, 3 * n);
            VectorMask<Integer> m0 = IntVector.fromArray(S, keys, 0, index, 0).compare(VectorOperators.GT,
                    j0.selectFrom(tt));
            VectorMask<Integer> m1 = IntVector.fromArray(S, keys, 0, index, n).compare(VectorOperators.GT,
                    j1.selectFrom(tt));
            VectorMask<Integer> m2 = IntVector.fromArray(S, keys, 0, index, 2 * n).compare(VectorOperators.GT,
                    j2.selectFrom(tt));
            VectorMask<Integer> m3 = IntVector.fromArray(S, keys, 0, index, 3 * n).compare(VectorOperators.GT,
                    j3.selectFrom(tt));
            j0 = j0.add(j0).add(1, m0);
            j1 = j1.add(j1).add(1, m1);
            j2 = j2.add(j2).add(1, m2);
            j3 = j3.add(j3).add(1, m3);
        }
        j0.intoArray(leaf, 0);
        j1.intoArray(leaf, n);
        j2.intoArray(leaf, 2 * n);
        j3.intoArray(leaf, 3 * n);
    }

    /** The level of {@code 2 * LANES} nodes starting at position {@code at}: two vectors, permuted and blended. */
    private static void twoVectorLevel(int[] keys, int[] threshold, int[] offset, int at, int r, int[] leaf,
            int[] index) {
        final int n = LANES;
        IntVector tLow = IntVector.fromArray(S, threshold, at);
        IntVector tHigh = IntVector.fromArray(S, threshold, at + n);
        IntVector oLow = IntVector.fromArray(S, offset, at);
        IntVector oHigh = IntVector.fromArray(S, offset, at + n);
        for (int g = 0; g < 4 * n; g += n) {
            IntVector j = IntVector.fromArray(S, leaf, g);
            VectorMask<Integer> high = j.compare(VectorOperators.GE, n);
            IntVector k = j.and(n - 1);
            k.selectFrom(oLow).blend(k.selectFrom(oHigh), high).add(lanes(r + g)).intoArray(index, g);
            VectorMask<Integer> m = IntVector.fromArray(S, keys, 0, index, g).compare(VectorOperators.GT,
                    k.selectFrom(tLow).blend(k.selectFrom(tHigh), high));
            j.add(j).add(1, m).intoArray(leaf, g);
        }
    }

    /** Levels {@code from .. to - 1} with thresholds and slot offsets gathered per lane. */
    private static void gatheredLevels(int[] keys, int[] threshold, int[] offset, int root, int from, int to, int r,
            int[] leaf, int[] index) {
        final int n = LANES;
        IntVector r0 = lanes(r);
        IntVector r1 = lanes(r + n);
        IntVector r2 = lanes(r + 2 * n);
        IntVector r3 = lanes(r + 3 * n);
        for (int level = from; level < to; level++) {
            int at = root + (1 << level) - 1;
            IntVector.fromArray(S, offset, at, leaf, 0).add(r0).intoArray(index, 0);
            IntVector.fromArray(S, offset, at, leaf, n).add(r1).intoArray(index, n);
            IntVector.fromArray(S, offset, at, leaf, 2 * n).add(r2).intoArray(index, 2 * n);
            IntVector.fromArray(S, offset, at, leaf, 3 * n).add(r3).intoArray(index, 3 * n);
            VectorMask<Integer> m0 = IntVector.fromArray(S, keys, 0, index, 0).compare(VectorOperators.GT,
                    IntVector.fromArray(S, threshold, at, leaf, 0));
            VectorMask<Integer> m1 = IntVector.fromArray(S, keys, 0, index, n).compare(VectorOperators.GT,
                    IntVector.fromArray(S, threshold, at, leaf, n));
            VectorMask<Integer> m2 = IntVector.fromArray(S, keys, 0, index, 2 * n).compare(VectorOperators.GT,
                    IntVector.fromArray(S, threshold, at, leaf, 2 * n));
            VectorMask<Integer> m3 = IntVector.fromArray(S, keys, 0, index, 3 * n).compare(VectorOperators.GT,
                    IntVector.fromArray(S, threshold, at, leaf, 3 * n));
            IntVector j0 = IntVector.fromArray(S, leaf, 0);
            IntVector j1 = IntVector.fromArray(S, leaf, n);
            IntVector j2 = IntVector.fromArray(S, leaf, 2 * n);
            IntVector j3 = IntVector.fromArray(S, leaf, 3 * n);
            j0.add(j0).add(1, m0).intoArray(leaf, 0);
            j1.add(j1).add(1, m1).intoArray(leaf, n);
            j2.add(j2).add(1, m2).intoArray(leaf, 2 * n);
            j3.add(j3).add(1, m3).intoArray(leaf, 3 * n);
        }
    }

    /** The same as {@link #walk4} for the rows {@code r .. r + LANES - 1} only. */
    static void walk1(int[] keys, int[] threshold, int[] offset, int root, int steps, int r, int[] leaf,
            int[] index) {
        final int n = LANES;
        IntVector r0 = lanes(r);
        IntVector j = IntVector.zero(S).add(1,
                IntVector.fromArray(S, keys, offset[root] + r).compare(VectorOperators.GT, threshold[root]));
        for (int level = 1; level < steps; level++) {
            int at = root + (1 << level) - 1;
            IntVector t;
            if ((1 << level) <= n) {
                j.selectFrom(IntVector.fromArray(S, offset, at)).add(r0).intoArray(index, 0);
                t = j.selectFrom(IntVector.fromArray(S, threshold, at));
            } else {
                j.intoArray(leaf, 0);
                IntVector.fromArray(S, offset, at, leaf, 0).add(r0).intoArray(index, 0);
                t = IntVector.fromArray(S, threshold, at, leaf, 0);
            }
            j = j.add(j).add(1, IntVector.fromArray(S, keys, 0, index, 0).compare(VectorOperators.GT, t));
        }
        j.intoArray(leaf, 0);
    }
}
