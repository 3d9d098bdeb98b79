package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.Model;
import dev.rankql.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shared helpers of the parity tests: test matrices with NaNs and threshold values, and the comparison. */
final class Parity {

    /** The bar of the issue: equal to the reference within 1e-5, relative to the larger of 1 and the reference. */
    static final double TOLERANCE = 1e-5;

    private Parity() {}

    /** Random rows in [-2, 2) with about {@code nanShare} NaNs. */
    static float[] randomRows(SplittableRandom random, int rows, int features, double nanShare) {
        float[] data = new float[rows * features];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble() < nanShare ? Float.NaN : (float) (random.nextDouble() * 4 - 2);
        }
        return data;
    }

    /** Overwrites about {@code share} of the cells with a threshold the model uses on that feature. */
    static void plantThresholds(SplittableRandom random, float[] data, int features, TreeEnsemble model, double share) {
        List<List<Float>> byFeature = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            byFeature.add(new ArrayList<>());
        }
        for (var tree : model.trees()) {
            var stack = new ArrayList<Integer>();
            stack.add(tree.root());
            while (!stack.isEmpty()) {
                int node = stack.removeLast();
                if (node < 0) {
                    continue;
                }
                if (!tree.categorical(node)) {
                    byFeature.get(tree.feature(node)).add((float) tree.threshold(node));
                }
                stack.add(tree.writtenLeft(node));
                stack.add(tree.writtenRight(node));
            }
        }
        for (int i = 0; i < data.length; i++) {
            var candidates = byFeature.get(i % features);
            if (!candidates.isEmpty() && random.nextDouble() < share) {
                data[i] = candidates.get(random.nextInt(candidates.size()));
            }
        }
    }

    /** The largest error relative to {@code max(1, |reference|)}, after asserting it is within the tolerance. */
    static double assertClose(String what, double[] ours, float[] reference) {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < reference.length; i++) {
            double error = Math.abs(ours[i] - reference[i]) / Math.max(1.0, Math.abs(reference[i]));
            if (!(error <= worst)) {
                worst = error;
                worstAt = i;
            }
        }
        int at = worstAt;
        assertThat(worst)
                .as(() -> what + ": row " + at + " rankql " + ours[at] + " reference " + reference[at])
                .isLessThanOrEqualTo(TOLERANCE);
        return worst;
    }

    /** Same for a double-precision reference. */
    static double assertClose(String what, double[] ours, double[] reference) {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < reference.length; i++) {
            double error = Math.abs(ours[i] - reference[i]) / Math.max(1.0, Math.abs(reference[i]));
            if (!(error <= worst)) {
                worst = error;
                worstAt = i;
            }
        }
        int at = worstAt;
        assertThat(worst)
                .as(() -> what + ": row " + at + " rankql " + ours[at] + " reference " + reference[at])
                .isLessThanOrEqualTo(TOLERANCE);
        return worst;
    }

    /** Scores a float matrix in one call. */
    static double[] score(Model model, float[] data, int rows) {
        double[] out = new double[rows];
        model.score(data, rows, out);
        return out;
    }

    /** Scores a float matrix row by row through the double API, which must give the very same bits. */
    static double[] scoreOneByOne(Model model, float[] data, int rows) {
        int n = model.featureCount();
        double[] out = new double[rows];
        double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < n; f++) {
                row[f] = data[r * n + f];
            }
            out[r] = model.score(row);
        }
        return out;
    }

    static void report(String line) {
        System.out.println("PARITY " + line);
    }
}
