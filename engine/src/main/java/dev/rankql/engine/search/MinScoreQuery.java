package dev.rankql.engine.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * The request-level {@code min_score}: the inner query's documents whose score reaches the minimum, with unchanged
 * scores, so that hit counts and top hits agree as in Elasticsearch's collector.
 */
final class MinScoreQuery extends Query {

    private final Query inner;
    private final float minScore;

    MinScoreQuery(Query inner, float minScore) {
        this.inner = inner;
        this.minScore = minScore;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        var rewritten = inner.rewrite(searcher);
        return rewritten == inner ? this : new MinScoreQuery(rewritten, minScore);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        var innerWeight = inner.createWeight(searcher, ScoreMode.COMPLETE, boost);
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                var supplier = innerWeight.scorerSupplier(context);
                if (supplier == null) {
                    return null;
                }
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) throws IOException {
                        return filter(supplier.get(leadCost));
                    }

                    @Override
                    public long cost() {
                        return supplier.cost();
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                var explanation = innerWeight.explain(context, doc);
                if (explanation.isMatch() && explanation.getValue().floatValue() < minScore) {
                    return Explanation.noMatch("score below [min_score] of " + minScore, explanation);
                }
                return explanation;
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    private Scorer filter(Scorer in) {
        var innerTwoPhase = in.twoPhaseIterator();
        var approximation = innerTwoPhase == null ? in.iterator() : innerTwoPhase.approximation();
        var twoPhase = new TwoPhaseIterator(approximation) {
            @Override
            public boolean matches() throws IOException {
                return (innerTwoPhase == null || innerTwoPhase.matches()) && in.score() >= minScore;
            }

            @Override
            public float matchCost() {
                return (innerTwoPhase == null ? 0 : innerTwoPhase.matchCost()) + 10;
            }
        };
        return new NarrowedScorer(in, approximation, twoPhase);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        inner.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return "min_score(" + inner.toString(field) + ", " + minScore + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return sameClassAs(obj) && obj instanceof MinScoreQuery other && inner.equals(other.inner) && minScore == other.minScore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), inner, minScore);
    }
}
