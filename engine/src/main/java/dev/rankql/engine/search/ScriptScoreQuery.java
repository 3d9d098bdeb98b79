package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.DoubleValues;
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
 * Elasticsearch's {@code script_score}: the documents of an inner query, scored by a script that may read the inner
 * score; documents below {@code min_score} do not match, and a negative script value is an error.
 */
final class ScriptScoreQuery extends Query {

    private final Query inner;
    private final Scripts.Compiled script;
    private final Optional<Float> minScore;
    private final String source;

    ScriptScoreQuery(Query inner, Scripts.Compiled script, Optional<Float> minScore, String source) {
        this.inner = inner;
        this.script = script;
        this.minScore = minScore;
        this.source = source;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        var rewritten = inner.rewrite(searcher);
        return rewritten == inner ? this : new ScriptScoreQuery(rewritten, script, minScore, source);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        var innerWeight = inner.createWeight(searcher, script.source().needsScores() ? ScoreMode.COMPLETE : ScoreMode.COMPLETE_NO_SCORES, 1f);
        var values = script.source().rewrite(searcher);
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                var innerSupplier = innerWeight.scorerSupplier(context);
                if (innerSupplier == null) {
                    return null;
                }
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) throws IOException {
                        return scriptScorer(context, innerSupplier.get(leadCost), values, boost);
                    }

                    @Override
                    public long cost() {
                        return innerSupplier.cost();
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                var innerExplanation = innerWeight.explain(context, doc);
                if (!innerExplanation.isMatch()) {
                    return innerExplanation;
                }
                var scorer = scorerSupplier(context) == null ? null : scorerSupplier(context).get(Long.MAX_VALUE);
                if (scorer == null) {
                    return Explanation.noMatch("no matching document");
                }
                var twoPhase = scorer.twoPhaseIterator();
                boolean matches = twoPhase == null
                        ? scorer.iterator().advance(doc) == doc
                        : twoPhase.approximation().advance(doc) == doc && twoPhase.matches();
                if (!matches) {
                    return Explanation.noMatch("script score function returned a score below [min_score]", innerExplanation);
                }
                float score = scorer.score();
                var scriptExplanation = Explanation.match(score / boost,
                        "script score function, computed with script:\"" + source + "\"",
                        Explanation.match(innerExplanation.getValue(), "_score: ", innerExplanation));
                return boost == 1f ? scriptExplanation
                        : Explanation.match(score, "product of:", scriptExplanation, Explanation.match(boost, "boost"));
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    private Scorer scriptScorer(LeafReaderContext context, Scorer innerScorer, org.apache.lucene.search.DoubleValuesSource values, float boost)
            throws IOException {
        var scores = new DoubleValues() {
            @Override
            public double doubleValue() throws IOException {
                return innerScorer.score();
            }

            @Override
            public boolean advanceExact(int doc) {
                return true;
            }
        };
        var docValues = values.getValues(context, scores);
        var iterator = innerScorer.iterator();
        return new Scorer() {
            private int scoredDoc = -1;
            private float score;
            private final TwoPhaseIterator twoPhase = minScore.isEmpty() ? null : new TwoPhaseIterator(iterator) {
                @Override
                public boolean matches() throws IOException {
                    return compute() >= minScore.get();
                }

                @Override
                public float matchCost() {
                    return 10;
                }
            };
            private final DocIdSetIterator approximationOrAll =
                    twoPhase == null ? iterator : TwoPhaseIterator.asDocIdSetIterator(twoPhase);

            float compute() throws IOException {
                int doc = iterator.docID();
                if (doc != scoredDoc) {
                    docValues.advanceExact(doc);
                    double value = docValues.doubleValue();
                    if (value < 0 || Double.isNaN(value)) {
                        throw new EngineException("illegal_argument_exception", "script_score script returned an invalid score ["
                                + (float) value + "] for doc [" + (context.docBase + doc) + "]. Must be a non-negative score!", 400);
                    }
                    score = (float) value * boost;
                    scoredDoc = doc;
                }
                return score;
            }

            @Override
            public int docID() {
                return iterator.docID();
            }

            @Override
            public DocIdSetIterator iterator() {
                return approximationOrAll;
            }

            @Override
            public TwoPhaseIterator twoPhaseIterator() {
                return twoPhase;
            }

            @Override
            public float getMaxScore(int upTo) {
                return Float.POSITIVE_INFINITY;
            }

            @Override
            public float score() throws IOException {
                return compute();
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        inner.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return "script_score(" + inner.toString(field) + ", script: " + source + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return sameClassAs(obj) && obj instanceof ScriptScoreQuery other && inner.equals(other.inner)
                && script.equals(other.script) && minScore.equals(other.minScore);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), inner, script, minScore);
    }
}
