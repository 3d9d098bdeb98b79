package dev.rankql.bench.rescore;

import dev.rankql.bench.models.ObjectWalker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The Elasticsearch-style peer, reimplemented from the shape of Elasticsearch's {@code learning_to_rank} rescorer:
 * the window sorted by doc id, per segment one scorer per feature, and per document a fresh feature map keyed by
 * feature name (boxed values) filled feature by feature, then turned into an input array by name and scored by
 * walking object-node trees ({@link ObjectWalker}) for that one document.
 *
 * <p>It builds the same Lucene queries as {@link HandWrittenLoop}; only the per-document execution differs.
 */
public final class EsStylePipeline {

    private static final Comparator<ScoreDoc> BY_DOC = Comparator.comparingInt(d -> d.doc);

    private final IndexSearcher searcher;
    private final RescoreFeatures features;
    private final ObjectWalker walker;
    private final String[] names;

    public EsStylePipeline(IndexSearcher searcher, RescoreFeatures features, ObjectWalker walker) {
        this.searcher = searcher;
        this.features = features;
        this.walker = walker;
        this.names = features.names().toArray(String[]::new);
    }

    /** Rescores {@code hits} as {@link HandWrittenLoop#rescore} does, one document at a time. */
    public ScoreDoc[] rescore(String text, ScoreDoc[] hits) throws IOException {
        var weights = new ArrayList<Weight>(names.length);
        for (int i = 0; i < names.length; i++) {
            var query = features.luceneQuery(i, text);
            weights.add(query == null ? null : searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f));
        }
        var window = new ScoreDoc[hits.length];
        for (int i = 0; i < hits.length; i++) {
            window[i] = new ScoreDoc(hits[i].doc, hits[i].score);
        }
        Arrays.sort(window, BY_DOC);
        var leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        List<Scorer> scorers = new ArrayList<>();
        List<SortedNumericDocValues> fields = new ArrayList<>();
        int docBase = 0;
        var out = new double[1];
        for (var hit : window) {
            int leafOf = ReaderUtil.subIndex(hit.doc, leaves);
            if (leafOf != leafIndex) {
                leafIndex = leafOf;
                var leaf = leaves.get(leafIndex);
                docBase = leaf.docBase;
                scorers.clear();
                fields.clear();
                for (int i = 0; i < names.length; i++) {
                    var weight = weights.get(i);
                    scorers.add(weight == null ? null : weight.scorer(leaf));
                    fields.add(features.features().get(i) instanceof RescoreFeatures.Feature.Field f
                            ? DocValues.getSortedNumeric(leaf.reader(), f.field()) : null);
                }
            }
            int target = hit.doc - docBase;
            Map<String, Object> featureMap = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                var values = fields.get(i);
                if (values != null) {
                    if (values.advanceExact(target)) {
                        long raw = values.nextValue();
                        var field = (RescoreFeatures.Feature.Field) features.features().get(i);
                        featureMap.put(names[i], field.decimal() ? (float) NumericUtils.sortableLongToDouble(raw) : (float) raw);
                    }
                    continue;
                }
                var scorer = scorers.get(i);
                if (scorer == null) {
                    continue;
                }
                var iterator = scorer.iterator();
                if (iterator.docID() < target) {
                    iterator.advance(target);
                }
                if (iterator.docID() == target) {
                    featureMap.put(names[i], scorer.score());
                }
            }
            if (featureMap.isEmpty()) {
                continue;
            }
            var row = new float[names.length];
            for (int i = 0; i < names.length; i++) {
                var value = featureMap.get(names[i]);
                row[i] = value instanceof Number number ? number.floatValue() : Float.NaN;
            }
            walker.score(row, 1, out);
            hit.score = (float) out[0];
        }
        Arrays.sort(window, HandWrittenLoop.ORDER);
        return window;
    }
}
