package dev.rankql.engine.mapping;

import java.util.Optional;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * The similarity of a {@code dense_vector} field, with Elasticsearch's names, its score transforms and the Lucene
 * function that computes the same scores.
 *
 * <p>Elasticsearch scores a float vector hit as {@code (1 + cos) / 2} (cosine), {@code (1 + dot) / 2}
 * (dot_product), {@code 1 / (1 + l2²)} (l2_norm) and {@code dot < 0 ? 1 / (1 - dot) : dot + 1}
 * (max_inner_product): exactly the scores of Lucene's {@link VectorSimilarityFunction}s, so a
 * {@code KnnFloatVectorQuery} already scores as Elasticsearch does.
 */
public enum VectorSimilarity {
    COSINE("cosine", VectorSimilarityFunction.COSINE),
    DOT_PRODUCT("dot_product", VectorSimilarityFunction.DOT_PRODUCT),
    L2_NORM("l2_norm", VectorSimilarityFunction.EUCLIDEAN),
    MAX_INNER_PRODUCT("max_inner_product", VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT);

    private final String esName;
    private final VectorSimilarityFunction lucene;

    VectorSimilarity(String esName, VectorSimilarityFunction lucene) {
        this.esName = esName;
        this.lucene = lucene;
    }

    /** The name in a mapping. */
    public String esName() {
        return esName;
    }

    /** Lucene's function, whose scores are Elasticsearch's. */
    public VectorSimilarityFunction lucene() {
        return lucene;
    }

    /** The similarity of this name, if any. */
    public static Optional<VectorSimilarity> byName(String name) {
        for (var s : values()) {
            if (s.esName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The raw similarity of two vectors, before the score transform: the cosine, the dot product, or the Euclidean
     * distance (not squared) for {@code l2_norm}. This is the scale of the knn {@code similarity} threshold.
     */
    public float raw(float[] a, float[] b) {
        return switch (this) {
            case COSINE -> VectorUtil.cosine(a, b);
            case DOT_PRODUCT, MAX_INNER_PRODUCT -> VectorUtil.dotProduct(a, b);
            case L2_NORM -> (float) Math.sqrt(VectorUtil.squareDistance(a, b));
        };
    }

    /** Elasticsearch's score for a raw similarity (see the class comment). */
    public float score(float raw) {
        return switch (this) {
            case COSINE, DOT_PRODUCT -> Math.max((1 + raw) / 2, 0);
            case L2_NORM -> 1 / (1 + raw * raw);
            case MAX_INNER_PRODUCT -> raw < 0 ? 1 / (1 - raw) : raw + 1;
        };
    }

    /** Elasticsearch's score of {@code a} against {@code b}: Lucene's function. */
    public float score(float[] a, float[] b) {
        return lucene.compare(a, b);
    }

    /**
     * Elasticsearch's score of {@code a} against {@code b} computed in double precision, component by component, so
     * that it is the same on every run. Lucene's SIMD functions sum their lanes in an order that differs between the
     * interpreted and the JIT-compiled code, so their last bits depend on when the JIT compiled them, which a trained
     * LTR feature must not; the two agree to about 1e-7.
     */
    public float stableScore(float[] a, float[] b) {
        float raw = switch (this) {
            case COSINE -> {
                double dot = 0;
                double aa = 0;
                double bb = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += (double) a[i] * b[i];
                    aa += (double) a[i] * a[i];
                    bb += (double) b[i] * b[i];
                }
                yield (float) (dot / Math.sqrt(aa * bb));
            }
            case DOT_PRODUCT, MAX_INNER_PRODUCT -> {
                double dot = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += (double) a[i] * b[i];
                }
                yield (float) dot;
            }
            case L2_NORM -> {
                double squares = 0;
                for (int i = 0; i < a.length; i++) {
                    double d = (double) a[i] - b[i];
                    squares += d * d;
                }
                yield (float) Math.sqrt(squares);
            }
        };
        return score(raw);
    }
}
