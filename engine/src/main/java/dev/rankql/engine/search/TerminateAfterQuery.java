package dev.rankql.engine.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
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
 * The request-level {@code terminate_after}: the inner query's documents up to and including the searcher-wide
 * document {@code last}, the last one collected, with unchanged scores and explanations, so that ranking, counting
 * and aggregating see exactly the documents Elasticsearch's early-terminating collector lets through.
 */
final class TerminateAfterQuery extends Query {

    private final Query inner;
    private final int last;

    TerminateAfterQuery(Query inner, int last) {
        this.inner = inner;
        this.last = last;
    }

    /**
     * The searcher-wide number of the {@code limit}-th live document {@code query} matches in index order, or -1 when
     * it matches fewer: where a collector that stops after {@code limit} documents stops.
     */
    static int lastCollected(IndexSearcher searcher, Query query, int limit) throws IOException {
        var weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        int collected = 0;
        for (var leaf : searcher.getIndexReader().leaves()) {
            var scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            var live = leaf.reader().getLiveDocs();
            var twoPhase = scorer.twoPhaseIterator();
            var iterator = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
            for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
                if ((live == null || live.get(doc)) && (twoPhase == null || twoPhase.matches()) && ++collected == limit) {
                    return leaf.docBase + doc;
                }
            }
        }
        return -1;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        var rewritten = inner.rewrite(searcher);
        return rewritten == inner ? this : new TerminateAfterQuery(rewritten, last);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        var innerWeight = inner.createWeight(searcher, scoreMode, boost);
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                if (context.docBase > last) {
                    return null;
                }
                var supplier = innerWeight.scorerSupplier(context);
                if (supplier == null || context.docBase + context.reader().maxDoc() - 1 <= last) {
                    return supplier;
                }
                int bound = last - context.docBase;
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) throws IOException {
                        return bounded(supplier.get(leadCost), bound);
                    }

                    @Override
                    public long cost() {
                        return supplier.cost();
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                if (context.docBase + doc > last) {
                    return Explanation.noMatch("collected after [terminate_after] stopped the search");
                }
                return innerWeight.explain(context, doc);
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** {@code in} cut after the segment's document {@code bound}. */
    private static Scorer bounded(Scorer in, int bound) {
        var innerTwoPhase = in.twoPhaseIterator();
        var approximation = new UpTo(innerTwoPhase == null ? in.iterator() : innerTwoPhase.approximation(), bound);
        TwoPhaseIterator twoPhase = innerTwoPhase == null ? null : new TwoPhaseIterator(approximation) {
            @Override
            public boolean matches() throws IOException {
                return innerTwoPhase.matches();
            }

            @Override
            public float matchCost() {
                return innerTwoPhase.matchCost();
            }
        };
        return new NarrowedScorer(in, approximation, twoPhase);
    }

    /** An iterator that ends after {@code bound}. */
    private static final class UpTo extends DocIdSetIterator {
        private final DocIdSetIterator in;
        private final int bound;
        private int doc = -1;

        UpTo(DocIdSetIterator in, int bound) {
            this.in = in;
            this.bound = bound;
        }

        @Override
        public int docID() {
            return doc;
        }

        @Override
        public int nextDoc() throws IOException {
            return doc = cut(in.nextDoc());
        }

        @Override
        public int advance(int target) throws IOException {
            return doc = target > bound ? NO_MORE_DOCS : cut(in.advance(target));
        }

        private int cut(int next) {
            return next > bound ? NO_MORE_DOCS : next;
        }

        @Override
        public long cost() {
            return in.cost();
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        inner.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return "terminate_after(" + inner.toString(field) + ", last doc " + last + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return sameClassAs(obj) && obj instanceof TerminateAfterQuery other && inner.equals(other.inner) && last == other.last;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), inner, last);
    }
}
