package dev.rankql.bench.suite;

import dev.rankql.bench.models.ObjectWalker;
import dev.rankql.bench.rescore.RescoreFeatures;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.NumericUtils;

/**
 * The Solr-style peer, reimplemented from the shape of Solr's LTR rescorer: the window sorted by doc id, per segment
 * one scorer per feature, and per document a fresh {@code float[]} of feature values filled by advancing every
 * feature's scorer to it, then scored alone by walking object-node trees ({@link ObjectWalker}).
 *
 * <p>Unlike the Elasticsearch-style peer there is no map, boxing or name lookup; unlike rankql there is no matrix and
 * no block walk. A missing feature is NaN here (Solr would write the feature's default value) so that every side
 * computes the same scores and the correctness gate can compare them.
 */
public final class SolrStylePipeline {

    private static final Comparator<ScoreDoc> BY_DOC = Comparator.comparingInt(d -> d.doc);

    /** Score descending, then doc id, as the other sides order hits. */
    private static final Comparator<ScoreDoc> ORDER = (a, b) -> {
        int byScore = Float.compare(b.score, a.score);
        return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
    };

    private final IndexSearcher searcher;
    private final RescoreFeatures features;
    private final ObjectWalker walker;

    public SolrStylePipeline(IndexSearcher searcher, RescoreFeatures features, ObjectWalker walker) {
        this.searcher = searcher;
        this.features = features;
        this.walker = walker;
    }

    /** Rescores {@code hits} (not modified) for query text {@code text}; returns the window re-sorted. */
    public ScoreDoc[] rescore(String text, ScoreDoc[] hits) throws IOException {
        int width = features.size();
        var weights = new Weight[width];
        for (int i = 0; i < width; i++) {
            var query = features.luceneQuery(i, text);
            weights[i] = query == null ? null : searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
        }
        var window = new ScoreDoc[hits.length];
        for (int i = 0; i < hits.length; i++) {
            window[i] = new ScoreDoc(hits[i].doc, hits[i].score);
        }
        Arrays.sort(window, BY_DOC);
        var leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        var scorers = new Scorer[width];
        var fields = new SortedNumericDocValues[width];
        int docBase = 0;
        var out = new double[1];
        for (var hit : window) {
            int leafOf = ReaderUtil.subIndex(hit.doc, leaves);
            if (leafOf != leafIndex) {
                leafIndex = leafOf;
                var leaf = leaves.get(leafIndex);
                docBase = leaf.docBase;
                for (int i = 0; i < width; i++) {
                    scorers[i] = weights[i] == null ? null : weights[i].scorer(leaf);
                    fields[i] = features.features().get(i) instanceof RescoreFeatures.Feature.Field f
                            ? DocValues.getSortedNumeric(leaf.reader(), f.field()) : null;
                }
            }
            int target = hit.doc - docBase;
            var row = new float[width];
            boolean any = false;
            for (int i = 0; i < width; i++) {
                row[i] = Float.NaN;
                if (fields[i] != null) {
                    if (fields[i].advanceExact(target)) {
                        long raw = fields[i].nextValue();
                        var field = (RescoreFeatures.Feature.Field) features.features().get(i);
                        row[i] = field.decimal() ? (float) NumericUtils.sortableLongToDouble(raw) : (float) raw;
                        any = true;
                    }
                    continue;
                }
                var scorer = scorers[i];
                if (scorer == null) {
                    continue;
                }
                var iterator = scorer.iterator();
                if (iterator.docID() < target) {
                    iterator.advance(target);
                }
                if (iterator.docID() == target) {
                    row[i] = scorer.score();
                    any = true;
                }
            }
            if (any) {
                walker.score(row, 1, out);
                hit.score = (float) out[0];
            }
        }
        Arrays.sort(window, ORDER);
        return window;
    }
}
