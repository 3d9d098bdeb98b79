package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.FieldMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.NumericUtils;

/**
 * Field collapsing on a keyword or numeric field: one head per distinct value (documents without a value form one
 * group), the head being the best-scoring document, the earliest on ties.
 */
final class Collapser {

    /** Sentinel group key of documents that have no value. */
    private static final Object MISSING = new Object();

    private final IndexSearcher searcher;
    private final String field;
    private final boolean keyword;
    private final boolean decimal;

    Collapser(IndexSearcher searcher, IndexView index, String field) {
        this.searcher = searcher;
        field = index.resolve(field);
        this.field = field;
        var mapping = index.fields().get(field);
        switch (mapping) {
            case FieldMapping.Keyword k -> {
                keyword = true;
                decimal = false;
            }
            case FieldMapping.Numeric n -> {
                keyword = false;
                decimal = n.type().isDecimal();
            }
            case FieldMapping.Date d -> {
                keyword = false;
                decimal = false;
            }
            case null -> throw EngineException.illegalArgument("no mapping found for `" + field + "` in order to collapse on");
            case FieldMapping.Text t -> throw notCollapsible(field, t);
            case FieldMapping.Bool b -> throw notCollapsible(field, b);
            case FieldMapping.RankFeature r -> throw notCollapsible(field, r);
            case FieldMapping.RankFeatures r -> throw notCollapsible(field, r);
            case FieldMapping.DenseVector v -> throw notCollapsible(field, v);
            case FieldMapping.ObjectMapping o -> throw notCollapsible(field, o);
        }
    }

    private static EngineException notCollapsible(String field, FieldMapping mapping) {
        return EngineException.illegalArgument(
                "collapse is not supported for the field [" + field + "] of the type [" + mapping.typeName() + "]");
    }

    /** The collapse value of a searcher-level document: a String, Long, Double, or null when it has none. */
    Object value(int doc) throws IOException {
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        var key = key(leaf, doc - leaf.docBase);
        return key == MISSING ? null : key;
    }

    private Object key(LeafReaderContext leaf, int doc) throws IOException {
        if (keyword) {
            SortedSetDocValues values = DocValues.getSortedSet(leaf.reader(), field);
            if (!values.advanceExact(doc)) {
                return MISSING;
            }
            if (values.docValueCount() > 1) {
                throw EngineException.illegalArgument("failed to collapse " + doc + ", the collapse field must be single valued");
            }
            return values.lookupOrd(values.nextOrd()).utf8ToString();
        }
        SortedNumericDocValues values = DocValues.getSortedNumeric(leaf.reader(), field);
        if (!values.advanceExact(doc)) {
            return MISSING;
        }
        if (values.docValueCount() > 1) {
            throw EngineException.illegalArgument("failed to collapse " + doc + ", the collapse field must be single valued");
        }
        long raw = values.nextValue();
        return decimal ? (Object) NumericUtils.sortableLongToDouble(raw) : (Object) raw;
    }

    /** The heads of every group of {@code hits} (already ranked), keeping their order. */
    ScoreDoc[] collapse(ScoreDoc[] hits) throws IOException {
        var seen = new HashMap<Object, Boolean>();
        var heads = new ArrayList<ScoreDoc>();
        for (var hit : hits) {
            var leaves = searcher.getIndexReader().leaves();
            var leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
            if (seen.putIfAbsent(key(leaf, hit.doc - leaf.docBase), Boolean.TRUE) == null) {
                heads.add(hit);
            }
        }
        return heads.toArray(ScoreDoc[]::new);
    }

    /** The result of a collapsing first pass: ranked heads and the number of matching documents. */
    record Heads(ScoreDoc[] heads, long totalMatches) {}

    /** Runs {@code query} and keeps the best document of each group, ranked. */
    Heads search(Query query) throws IOException {
        var best = new HashMap<Object, ScoreDoc>();
        long[] count = {0};
        searcher.search(query, new CollectorManager<Collector, Void>() {
            @Override
            public Collector newCollector() {
                return new Collector() {
                    @Override
                    public LeafCollector getLeafCollector(LeafReaderContext context) {
                        return new LeafCollector() {
                            private Scorable scorer;

                            @Override
                            public void setScorer(Scorable s) {
                                this.scorer = s;
                            }

                            @Override
                            public void collect(int doc) throws IOException {
                                count[0]++;
                                float score = scorer.score();
                                var key = key(context, doc);
                                var current = best.get(key);
                                if (current == null || score > current.score) {
                                    best.put(key, new ScoreDoc(context.docBase + doc, score));
                                }
                            }
                        };
                    }

                    @Override
                    public ScoreMode scoreMode() {
                        return ScoreMode.COMPLETE;
                    }
                };
            }

            @Override
            public Void reduce(java.util.Collection<Collector> collectors) {
                return null;
            }
        });
        var heads = best.values().toArray(ScoreDoc[]::new);
        Arrays.sort(heads, WindowRescorer.ORDER);
        return new Heads(heads, count[0]);
    }

    /** The collapse values of the given hits, for the hits' {@code fields}. */
    Map<Integer, Object> values(List<ScoreDoc> hits) throws IOException {
        var result = new HashMap<Integer, Object>();
        for (var hit : hits) {
            result.put(hit.doc, value(hit.doc));
        }
        return result;
    }
}
