package dev.rankql.engine.search;

import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.PerFieldSimilarityWrapper;
import org.apache.lucene.search.similarities.Similarity;

/**
 * BM25 for every field, under the class name Elasticsearch's explanations show ({@code [PerFieldSimilarity]}), so
 * explain output reads the same.
 */
public final class PerFieldSimilarity extends PerFieldSimilarityWrapper {

    private final BM25Similarity bm25;

    /** BM25 with {@code k1} and {@code b}. */
    public PerFieldSimilarity(float k1, float b) {
        this.bm25 = new BM25Similarity(k1, b);
    }

    @Override
    public Similarity get(String name) {
        return bm25;
    }
}
