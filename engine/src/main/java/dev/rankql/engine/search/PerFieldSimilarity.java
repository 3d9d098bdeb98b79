package dev.rankql.engine.search;

import org.apache.lucene.index.FieldInvertState;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.PerFieldSimilarityWrapper;
import org.apache.lucene.search.similarities.Similarity;

/**
 * Elasticsearch's BM25 for every field, under the class name its explanations show ({@code [PerFieldSimilarity]}).
 *
 * <p>Elasticsearch still scores with its legacy BM25: Lucene's BM25 with the {@code (k1 + 1)} factor in the
 * numerator, applied as a boost (its explanations show {@code 2.2 = boost}). Norms are Lucene's BM25 norms.
 */
public final class PerFieldSimilarity extends PerFieldSimilarityWrapper {

    private final Similarity bm25;

    /** Elasticsearch's BM25 with {@code k1} and {@code b}. */
    public PerFieldSimilarity(float k1, float b) {
        this.bm25 = new LegacyBm25(k1, b);
    }

    @Override
    public Similarity get(String name) {
        return bm25;
    }

    /** Lucene's BM25 times {@code k1 + 1}. */
    private static final class LegacyBm25 extends Similarity {
        private final BM25Similarity delegate;
        private final float k1;

        LegacyBm25(float k1, float b) {
            this.delegate = new BM25Similarity(k1, b);
            this.k1 = k1;
        }

        @Override
        public long computeNorm(FieldInvertState state) {
            return delegate.computeNorm(state);
        }

        @Override
        public SimScorer scorer(float boost, CollectionStatistics collectionStats, TermStatistics... termStats) {
            return delegate.scorer(boost * (1 + k1), collectionStats, termStats);
        }

        @Override
        public String toString() {
            return "LegacyBM25(k1=" + k1 + ")";
        }
    }
}
