package dev.rankql.engine.search;

import dev.rankql.ast.ScoreMode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Weight;

/**
 * Elasticsearch's {@code query} rescorer: inside the window, {@code score_mode(first × query_weight, second ×
 * rescore_query_weight)} when the rescore query matches, else {@code first × query_weight}; outside the window,
 * {@code first × query_weight}; then everything is re-sorted.
 */
final class QueryWindowRescorer implements WindowRescorer {

    private final IndexSearcher searcher;
    private final Query query;
    private final int window;
    private final float queryWeight;
    private final float rescoreQueryWeight;
    private final ScoreMode mode;
    private Weight weight;

    QueryWindowRescorer(IndexSearcher searcher, Query query, int window, float queryWeight, float rescoreQueryWeight, ScoreMode mode) {
        this.searcher = searcher;
        this.query = query;
        this.window = window;
        this.queryWeight = queryWeight;
        this.rescoreQueryWeight = rescoreQueryWeight;
        this.mode = mode;
    }

    @Override
    public int window() {
        return window;
    }

    static float combine(ScoreMode mode, float primary, float secondary) {
        return switch (mode) {
            case TOTAL -> primary + secondary;
            case MULTIPLY -> primary * secondary;
            case AVG -> (primary + secondary) / 2;
            case MAX -> Math.max(primary, secondary);
            case MIN -> Math.min(primary, secondary);
        };
    }

    /** Elasticsearch's name of a score mode in explanations: {@code sum}, {@code product}, {@code avg}, ... */
    static String describe(ScoreMode mode) {
        return switch (mode) {
            case TOTAL -> "sum";
            case MULTIPLY -> "product";
            case AVG -> "avg";
            case MAX -> "max";
            case MIN -> "min";
        };
    }

    private Weight weight() throws IOException {
        if (weight == null) {
            weight = searcher.createWeight(searcher.rewrite(query), org.apache.lucene.search.ScoreMode.COMPLETE, 1f);
        }
        return weight;
    }

    @Override
    public ScoreDoc[] rescore(ScoreDoc[] hits) throws IOException {
        var result = WindowRescorer.copy(hits);
        int n = Math.min(window, result.length);
        var byDoc = Arrays.copyOf(result, n);
        Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
        var leaves = searcher.getIndexReader().leaves();
        var w = weight();
        org.apache.lucene.search.Scorer scorer = null;
        int docBase = 0;
        int leafEnd = 0;
        for (var hit : byDoc) {
            if (hit.doc >= leafEnd) {
                var leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
                docBase = leaf.docBase;
                leafEnd = docBase + leaf.reader().maxDoc();
                scorer = w.scorer(leaf);
            }
            boolean matches = false;
            float second = 0;
            if (scorer != null) {
                int target = hit.doc - docBase;
                var twoPhase = scorer.twoPhaseIterator();
                var approximation = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                if (approximation.docID() < target) {
                    approximation.advance(target);
                }
                matches = approximation.docID() == target && (twoPhase == null || twoPhase.matches());
                if (matches) {
                    second = scorer.score();
                }
            }
            hit.score = matches
                    ? combine(mode, hit.score * queryWeight, second * rescoreQueryWeight)
                    : hit.score * queryWeight;
        }
        for (int i = n; i < result.length; i++) {
            result[i].score *= queryWeight;
        }
        Arrays.sort(result, ORDER);
        return result;
    }

    @Override
    public Explanation explain(int doc, Explanation previous, boolean inWindow) throws IOException {
        Explanation primary = previous.isMatch()
                ? Explanation.match(previous.getValue().floatValue() * queryWeight, "product of:", previous,
                        Explanation.match(queryWeight, "primaryWeight"))
                : Explanation.noMatch("First pass did not match", previous);
        if (!inWindow) {
            return primary;
        }
        var rescoreExplanation = searcher.explain(query, doc);
        if (rescoreExplanation == null || !rescoreExplanation.isMatch()) {
            return primary;
        }
        var secondary = Explanation.match(rescoreExplanation.getValue().floatValue() * rescoreQueryWeight, "product of:",
                rescoreExplanation, Explanation.match(rescoreQueryWeight, "secondaryWeight"));
        return Explanation.match(combine(mode, primary.getValue().floatValue(), secondary.getValue().floatValue()),
                describe(mode) + " of:", primary, secondary);
    }
}
