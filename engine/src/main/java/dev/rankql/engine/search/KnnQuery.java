package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.VectorSimilarity;
import dev.rankql.engine.mapping.VectorValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Elasticsearch's approximate kNN search on a {@code dense_vector} field as one Lucene query: the HNSW graph is
 * searched for {@code num_candidates} neighbours (under the pre-filter), the best {@code k} are kept, those whose
 * raw similarity misses the {@code similarity} threshold are dropped, and the scores are multiplied by the boost.
 *
 * <p>Scores are Elasticsearch's per similarity (see {@link VectorSimilarity}). The query rewrites to the fixed set of
 * hits, so it can be a clause of a boolean query (the top-level {@code knn} beside a {@code query}) or counted by
 * an aggregation.
 */
public final class KnnQuery {

    /** Elasticsearch's largest {@code num_candidates}. */
    public static final int MAX_NUM_CANDIDATES = 10_000;

    private KnnQuery() {}

    /**
     * The Lucene query for a knn search; {@code filter} is already compiled (the knn's own filters and any
     * pre-filters of parent retrievers). Field and vector errors are Elasticsearch's.
     */
    public static Query build(IndexView index, String field, float[] vector, int k, int numCandidates, Optional<Query> filter,
            Optional<Float> similarity, Optional<Float> boost) {
        field = index.resolve(field);
        var mapping = index.fields().get(field);
        if (mapping == null) {
            throw EngineException.illegalArgument("failed to create query: field [" + field + "] does not exist in the mapping");
        }
        if (!(mapping instanceof FieldMapping.DenseVector dense)) {
            throw EngineException.illegalArgument("[knn] queries are only supported on [dense_vector] fields");
        }
        if (!dense.indexed()) {
            throw EngineException.illegalArgument("to perform knn search on field [" + field + "], its mapping must have [index] set to [true]");
        }
        if (vector.length != dense.dims()) {
            throw EngineException.illegalArgument("The query vector has a different number of dimensions [" + vector.length
                    + "] than the document vectors [" + dense.dims() + "].");
        }
        try {
            VectorValues.check(vector, dense.similarity());
        } catch (IllegalArgumentException e) {
            throw EngineException.illegalArgument(e.getMessage());
        }
        if (k < 1) {
            throw EngineException.illegalArgument("[k] must be greater than 0");
        }
        if (numCandidates < k) {
            throw EngineException.illegalArgument("[num_candidates] cannot be less than [k]");
        }
        if (numCandidates > MAX_NUM_CANDIDATES) {
            throw EngineException.illegalArgument("[num_candidates] cannot exceed [" + MAX_NUM_CANDIDATES + "]");
        }
        float minScore = similarity.map(s -> dense.similarity().score(s)).orElse(Float.NEGATIVE_INFINITY);
        Query query = new TopK(field, vector, numCandidates, filter.orElse(null), k, minScore);
        if (boost.isPresent() && boost.get() != 1f) {
            query = new BoostQuery(query, boost.get());
        }
        return query;
    }

    /** Lucene's HNSW search for {@code numCandidates} neighbours, merged to the best {@code k} over the threshold. */
    private static final class TopK extends KnnFloatVectorQuery {
        private final int keep;
        private final float minScore;

        TopK(String field, float[] target, int numCandidates, Query filter, int keep, float minScore) {
            super(field, target, numCandidates, filter);
            this.keep = keep;
            this.minScore = minScore;
        }

        @Override
        protected TopDocs mergeLeafResults(TopDocs[] perLeafResults) {
            var merged = TopDocs.merge(keep, perLeafResults);
            var kept = new ArrayList<ScoreDoc>(merged.scoreDocs.length);
            for (var doc : merged.scoreDocs) {
                if (doc.score >= minScore) {
                    kept.add(doc);
                }
            }
            return new TopDocs(new TotalHits(kept.size(), TotalHits.Relation.EQUAL_TO), kept.toArray(ScoreDoc[]::new));
        }

        @Override
        public String toString(String field) {
            return "knn[" + getField() + ", k=" + keep + ", num_candidates=" + getK()
                    + (minScore == Float.NEGATIVE_INFINITY ? "" : ", min_score=" + minScore) + "]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TopK t && super.equals(other) && keep == t.keep && minScore == t.minScore;
        }

        @Override
        public int hashCode() {
            return Objects.hash(super.hashCode(), keep, minScore, Arrays.hashCode(target));
        }
    }
}
