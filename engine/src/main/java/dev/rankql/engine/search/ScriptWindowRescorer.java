package dev.rankql.engine.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/**
 * Elasticsearch's {@code script} rescorer: hits inside the window get the script's value, with {@code _score} the
 * incoming score; hits outside keep their score unchanged; then everything is re-sorted.
 */
final class ScriptWindowRescorer implements WindowRescorer {

    private final IndexSearcher searcher;
    private final Scripts.Compiled script;
    private final int window;

    ScriptWindowRescorer(IndexSearcher searcher, Scripts.Compiled script, int window) {
        this.searcher = searcher;
        this.script = script;
        this.window = window;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public ScoreDoc[] rescore(ScoreDoc[] hits) throws IOException {
        var result = WindowRescorer.copy(hits);
        int n = Math.min(window, result.length);
        var byDoc = Arrays.copyOf(result, n);
        Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
        for (var hit : byDoc) {
            hit.score = value(hit.doc, hit.score);
        }
        Arrays.sort(result, ORDER);
        return result;
    }

    private float value(int doc, float incoming) throws IOException {
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        var scores = new DoubleValues() {
            @Override
            public double doubleValue() {
                return incoming;
            }

            @Override
            public boolean advanceExact(int target) {
                return true;
            }
        };
        DoubleValuesSource source = script.source().rewrite(searcher);
        var values = source.getValues(leaf, scores);
        values.advanceExact(doc - leaf.docBase);
        return (float) values.doubleValue();
    }

    @Override
    public Explanation explain(int doc, Explanation previous, boolean inWindow) throws IOException {
        if (!inWindow) {
            return previous;
        }
        float incoming = previous.getValue().floatValue();
        return Explanation.match(value(doc, incoming), "script score function, computed with script:\"" + script.text() + "\"",
                Explanation.match(incoming, "_score: ", previous));
    }
}
