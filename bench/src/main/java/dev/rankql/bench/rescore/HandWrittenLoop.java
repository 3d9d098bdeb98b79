package dev.rankql.bench.rescore;

import dev.rankql.models.Model;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.NumericUtils;

/**
 * The hand-written Lucene peer: for each feature one Query, Weight and, per segment, a Scorer advanced forward over the
 * window's documents in doc-id order, values written into one row-major matrix, the model scored in blocks, the
 * window re-sorted. What a careful programmer writes directly against Lucene, with no request language in between.
 */
public final class HandWrittenLoop {

    /** Rows per model call, as rankql's rescorer uses. */
    static final int BLOCK = 512;

    /** Score descending, then doc id: Elasticsearch's order of hits. */
    static final Comparator<ScoreDoc> ORDER = (a, b) -> {
        int byScore = Float.compare(b.score, a.score);
        return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
    };

    private final IndexSearcher searcher;
    private final RescoreFeatures features;
    private final Model model;

    public HandWrittenLoop(IndexSearcher searcher, RescoreFeatures features, Model model) {
        this.searcher = searcher;
        this.features = features;
        this.model = model;
    }

    /**
     * Rescores {@code hits} (score order; not modified) for query text {@code text}: the prediction replaces the score of
     * every document with at least one feature present; returns the window in {@link #ORDER}.
     */
    public ScoreDoc[] rescore(String text, ScoreDoc[] hits) throws IOException {
        int n = hits.length;
        var result = new ScoreDoc[n];
        var keys = new long[n];
        for (int i = 0; i < n; i++) {
            result[i] = new ScoreDoc(hits[i].doc, hits[i].score);
            keys[i] = ((long) hits[i].doc << 32) | i;
        }
        Arrays.sort(keys);
        var docs = new int[n];
        for (int r = 0; r < n; r++) {
            docs[r] = hits[(int) keys[r]].doc;
        }
        int width = features.size();
        var matrix = extract(text, docs);
        var scores = new double[n];
        for (int first = 0; first < n; first += BLOCK) {
            model.score(matrix, first, Math.min(BLOCK, n - first), scores, first);
        }
        for (int r = 0; r < n; r++) {
            int base = r * width;
            for (int c = 0; c < width; c++) {
                if (!Float.isNaN(matrix[base + c])) {
                    result[(int) keys[r]].score = (float) scores[r];
                    break;
                }
            }
        }
        Arrays.sort(result, ORDER);
        return result;
    }

    /** The feature matrix of {@code docs} (ascending doc ids), row-major, NaN where a feature is missing. */
    public float[] extract(String text, int[] docs) throws IOException {
        int n = docs.length;
        int width = features.size();
        var matrix = new float[n * width];
        Arrays.fill(matrix, Float.NaN);
        var leaves = searcher.getIndexReader().leaves();
        for (int c = 0; c < width; c++) {
            var feature = features.features().get(c);
            if (feature instanceof RescoreFeatures.Feature.Field field) {
                int r = 0;
                while (r < n) {
                    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[r], leaves));
                    int end = leaf.docBase + leaf.reader().maxDoc();
                    var values = DocValues.getSortedNumeric(leaf.reader(), field.field());
                    for (; r < n && docs[r] < end; r++) {
                        if (values.advanceExact(docs[r] - leaf.docBase)) {
                            long raw = values.nextValue();
                            matrix[r * width + c] = field.decimal() ? (float) NumericUtils.sortableLongToDouble(raw) : (float) raw;
                        }
                    }
                }
                continue;
            }
            var query = features.luceneQuery(c, text);
            if (query == null) {
                continue;
            }
            Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
            int r = 0;
            while (r < n) {
                var leaf = leaves.get(ReaderUtil.subIndex(docs[r], leaves));
                int end = leaf.docBase + leaf.reader().maxDoc();
                Scorer scorer = weight.scorer(leaf);
                if (scorer == null) {
                    while (r < n && docs[r] < end) {
                        r++;
                    }
                    continue;
                }
                TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
                DocIdSetIterator approximation = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                for (; r < n && docs[r] < end; r++) {
                    int target = docs[r] - leaf.docBase;
                    if (approximation.docID() < target) {
                        approximation.advance(target);
                    }
                    if (approximation.docID() == target && (twoPhase == null || twoPhase.matches())) {
                        matrix[r * width + c] = scorer.score();
                    }
                }
            }
        }
        return matrix;
    }
}
