package dev.rankql.engine.search;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Elasticsearch's score fusions of compound retrievers, as pure functions over ranked lists: reciprocal rank fusion
 * ({@code rrf}) and the weighted sum of normalized scores ({@code linear}).
 *
 * <p>Both follow Elasticsearch's arithmetic in {@code float}, children in order, so sums round as they do there;
 * ties in the fused score go to the smaller document id, and the result is cut to the window.
 */
public final class Fusion {

    /** Elasticsearch's threshold under which a spread or a norm counts as zero in the normalizers. */
    private static final float EPSILON = 1e-6f;

    private Fusion() {}

    /** A ranked list, best first: {@code docs[i]} scored {@code scores[i]}. */
    public record Ranking(int[] docs, float[] scores) {
        public Ranking {
            requireNonNull(docs, "docs");
            requireNonNull(scores, "scores");
            if (docs.length != scores.length) {
                throw new IllegalArgumentException("docs and scores differ in length");
            }
        }

        /** The number of documents. */
        public int size() {
            return docs.length;
        }
    }

    /** Score normalizers of the linear retriever, with Elasticsearch's names. */
    public enum Normalizer {
        NONE("none"),
        MINMAX("minmax"),
        L2_NORM("l2_norm");

        private final String esName;

        Normalizer(String esName) {
            this.esName = esName;
        }

        /** The name in a request. */
        public String esName() {
            return esName;
        }

        /** The normalizer of this name, if any. */
        public static Optional<Normalizer> byName(String name) {
            return Arrays.stream(values()).filter(n -> n.esName.equals(name)).findFirst();
        }

        /**
         * The normalized scores. {@code minmax}: {@code (s − min) / (max − min)}, or every score {@code min} when the
         * spread is under 1e-6 (Elasticsearch keeps the raw value then); {@code l2_norm}: {@code s / ‖s‖₂} unless
         * the norm is under 1e-6; NaN scores are left as they are and count as 0 in the sum.
         */
        public float[] normalize(float[] scores) {
            if (scores.length == 0 || this == NONE) {
                return scores.clone();
            }
            boolean anyValid = false;
            for (float s : scores) {
                anyValid |= !Float.isNaN(s);
            }
            if (!anyValid) {
                return scores.clone();
            }
            var out = new float[scores.length];
            if (this == MINMAX) {
                // Elasticsearch starts max at Float.MIN_VALUE (the smallest positive float), kept for equal results.
                float min = Float.MAX_VALUE;
                float max = Float.MIN_VALUE;
                for (float s : scores) {
                    if (s > max) {
                        max = s;
                    }
                    if (s < min) {
                        min = s;
                    }
                }
                boolean flat = Math.abs(min - max) < EPSILON;
                for (int i = 0; i < scores.length; i++) {
                    out[i] = flat ? min : (scores[i] - min) / (max - min);
                }
                return out;
            }
            double sumOfSquares = 0;
            for (float s : scores) {
                if (!Float.isNaN(s)) {
                    sumOfSquares += s * s;
                }
            }
            double norm = Math.sqrt(sumOfSquares);
            if (norm < EPSILON) {
                return scores.clone();
            }
            for (int i = 0; i < scores.length; i++) {
                out[i] = (float) (scores[i] / norm);
            }
            return out;
        }
    }

    /** {@link #rrf(List, float[], int, int)} with every child weighing 1. */
    public static Ranking rrf(List<Ranking> children, int rankConstant, int window) {
        var weights = new float[children.size()];
        Arrays.fill(weights, 1f);
        return rrf(children, weights, rankConstant, window);
    }

    /**
     * Reciprocal rank fusion: a document's score is the sum over the children that ranked it of
     * {@code weight × 1 / (rankConstant + rank)}, rank counted from 1 in each child's list (each list is taken as
     * given; the caller cuts it to {@code rank_window_size}). Returns the top {@code window} documents.
     */
    public static Ranking rrf(List<Ranking> children, float[] weights, int rankConstant, int window) {
        if (weights.length != children.size()) {
            throw new IllegalArgumentException("one weight per child is required");
        }
        var index = new HashMap<Integer, Integer>();
        int total = children.stream().mapToInt(Ranking::size).sum();
        var docs = new int[total];
        var scores = new float[total];
        int n = 0;
        for (int c = 0; c < children.size(); c++) {
            var child = children.get(c);
            for (int rank = 1; rank <= child.size(); rank++) {
                int doc = child.docs()[rank - 1];
                Integer slot = index.get(doc);
                if (slot == null) {
                    slot = n++;
                    index.put(doc, slot);
                    docs[slot] = doc;
                }
                scores[slot] += weights[c] * (1.0f / (rankConstant + rank));
            }
        }
        return top(docs, scores, n, window);
    }

    /**
     * The linear retriever's fusion: each child's scores are normalized by its normalizer, multiplied by its weight
     * and summed per document; a document a child did not return adds nothing for that child. The top
     * {@code window} documents are kept, then those under {@code minScore} are dropped (Elasticsearch filters after
     * cutting to the window).
     */
    public static Ranking linear(List<Ranking> children, float[] weights, Normalizer[] normalizers, int window,
            Optional<Float> minScore) {
        if (weights.length != children.size() || normalizers.length != children.size()) {
            throw new IllegalArgumentException("one weight and one normalizer per child are required");
        }
        var index = new HashMap<Integer, Integer>();
        int total = children.stream().mapToInt(Ranking::size).sum();
        var docs = new int[total];
        var scores = new float[total];
        int n = 0;
        for (int c = 0; c < children.size(); c++) {
            var child = children.get(c);
            var normalized = normalizers[c].normalize(child.scores());
            float weight = Float.isNaN(weights[c]) ? 1f : weights[c];
            for (int i = 0; i < child.size(); i++) {
                int doc = child.docs()[i];
                Integer slot = index.get(doc);
                if (slot == null) {
                    slot = n++;
                    index.put(doc, slot);
                    docs[slot] = doc;
                }
                float score = Float.isNaN(normalized[i]) ? 0f : normalized[i];
                scores[slot] += weight * score;
            }
        }
        var top = top(docs, scores, n, window);
        if (minScore.isEmpty()) {
            return top;
        }
        int kept = 0;
        var keptDocs = new int[top.size()];
        var keptScores = new float[top.size()];
        for (int i = 0; i < top.size(); i++) {
            if (top.scores()[i] >= minScore.get()) {
                keptDocs[kept] = top.docs()[i];
                keptScores[kept++] = top.scores()[i];
            }
        }
        return new Ranking(Arrays.copyOf(keptDocs, kept), Arrays.copyOf(keptScores, kept));
    }

    /** The first {@code window} of the {@code n} accumulated documents by score descending, then doc ascending. */
    private static Ranking top(int[] docs, float[] scores, int n, int window) {
        var order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Float.compare(scores[b], scores[a]);
            return byScore != 0 ? byScore : Integer.compare(docs[a], docs[b]);
        });
        int k = Math.min(window, n);
        var outDocs = new int[k];
        var outScores = new float[k];
        for (int i = 0; i < k; i++) {
            outDocs[i] = docs[order[i]];
            outScores[i] = scores[order[i]];
        }
        return new Ranking(outDocs, outScores);
    }
}
