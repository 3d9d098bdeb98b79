package dev.rankql.train;

import java.util.List;
import java.util.SplittableRandom;

/** Generates ranking problems whose grades depend on an interaction of two features that no single feature ranks. */
final class Synthetic {

    static final List<String> NAMES = List.of("x", "y", "noise1", "noise2");

    private Synthetic() {}

    /**
     * {@code queries} queries of {@code docs} documents; the grade comes from {@code (x − ½)(y − ½)} (high when both
     * are high or both low), a tenth of the {@code y} values are missing, and two features are pure noise.
     */
    static TrainingSet ranking(int queries, int docs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TrainingSet.Builder builder = TrainingSet.builder(NAMES);
        for (int q = 0; q < queries; q++) {
            for (int d = 0; d < docs; d++) {
                float x = (float) random.nextDouble();
                float y = (float) random.nextDouble();
                double latent = (x - 0.5) * (y - 0.5) + 0.01 * random.nextGaussian();
                int grade = latent > 0.08 ? 2 : latent > 0.02 ? 1 : 0;
                float shownY = random.nextInt(10) == 0 ? Float.NaN : y;
                builder.add("q" + q, "q" + q + "-d" + d, grade,
                        new float[] {x, shownY, (float) random.nextDouble(), (float) random.nextDouble()});
            }
        }
        return builder.build();
    }

    /** The same problem with grades 1 and 2 merged into 1, for binary objectives. */
    static TrainingSet binary(TrainingSet set) {
        TrainingSet.Builder builder = TrainingSet.builder(set.featureNames());
        for (int q = 0; q < set.queryCount(); q++) {
            for (int row = set.groupStart(q); row < set.groupStart(q) + set.groupSize(q); row++) {
                builder.add(set.queryId(q), set.docId(row), Math.min(1, set.grade(row)), set.row(row));
            }
        }
        return builder.build();
    }
}
