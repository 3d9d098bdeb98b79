package dev.rankql.engine.search;

import dev.rankql.engine.ltr.FeatureExtractor;
import dev.rankql.engine.ltr.FeatureExtractor.TermSelection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;

/**
 * The {@code term_stats} extractor bound to one request: its query terms with their index statistics computed once,
 * and the per-document aggregation over plain arrays.
 */
final class TermStatsColumn {

    private final FeatureExtractor.TermStats extractor;
    private final Term[] terms;
    private final double[] df;
    private final double[] idf;

    private TermStatsColumn(FeatureExtractor.TermStats extractor, Term[] terms, double[] df, double[] idf) {
        this.extractor = extractor;
        this.terms = terms;
        this.df = df;
        this.idf = idf;
    }

    /** Analyses {@code text} for every field of {@code extractor} and reads each term's document frequency. */
    static TermStatsColumn bind(IndexSearcher searcher, QueryCompiler compiler, FeatureExtractor.TermStats extractor,
            String text) throws IOException {
        var terms = new ArrayList<Term>();
        for (var field : extractor.fields()) {
            terms.addAll(QueryTerms.of(compiler, field, text, extractor.featureName()));
        }
        var reader = searcher.getIndexReader();
        var df = new double[terms.size()];
        var idf = new double[terms.size()];
        for (int e = 0; e < terms.size(); e++) {
            var term = terms.get(e);
            df[e] = reader.docFreq(term);
            double documents = reader.getDocCount(term.field());
            // BM25's idf, as Lucene's BM25Similarity computes it from the field's document count.
            idf[e] = Math.log(1 + (documents - df[e] + 0.5) / (df[e] + 0.5));
        }
        return new TermStatsColumn(extractor, terms.toArray(Term[]::new), df, idf);
    }

    /** Fills column {@code c} of {@code matrix} for the documents {@code sortedDocs[0 .. n)} (ascending doc ids). */
    void fill(IndexSearcher searcher, int[] sortedDocs, int n, float[] matrix, int width, int c) throws IOException {
        if (terms.length == 0) {
            return;
        }
        var leaves = searcher.getIndexReader().leaves();
        var postings = new PostingsEnum[terms.length];
        // Per call, so that one bound column can serve concurrent searches (bindings are cached and shared).
        var freqs = new int[terms.length];
        int r = 0;
        while (r < n) {
            var leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
            int end = leaf.docBase + leaf.reader().maxDoc();
            for (int e = 0; e < terms.length; e++) {
                postings[e] = leaf.reader().postings(terms[e], PostingsEnum.FREQS);
            }
            for (; r < n && sortedDocs[r] < end; r++) {
                int target = sortedDocs[r] - leaf.docBase;
                for (int e = 0; e < terms.length; e++) {
                    var p = postings[e];
                    freqs[e] = 0;
                    if (p != null) {
                        if (p.docID() < target) {
                            p.advance(target);
                        }
                        if (p.docID() == target) {
                            freqs[e] = p.freq();
                        }
                    }
                }
                matrix[r * width + c] = value(freqs);
            }
        }
    }

    /** The aggregate over {@code freqs}, the current document's term frequencies; NaN when missing. */
    private float value(int[] freqs) {
        boolean all = extractor.over() == TermSelection.ALL;
        double sum = 0;
        double matchedSum = 0;
        double total = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int counted = 0;
        for (int e = 0; e < terms.length; e++) {
            boolean matched = freqs[e] > 0;
            double v = switch (extractor.stat()) {
                case UNIT -> 1;
                case DF -> df[e];
                case IDF -> idf[e];
                case TF -> freqs[e];
                case TF_IDF -> freqs[e] * idf[e];
            };
            total += v;
            if (matched) {
                matchedSum += v;
            }
            if (matched || all) {
                sum += v;
                counted++;
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        if (counted == 0) {
            return Float.NaN;
        }
        return switch (extractor.aggregation()) {
            case SUM -> (float) sum;
            case MEAN -> (float) (sum / counted);
            case MAX -> (float) max;
            case MIN -> (float) min;
            case COVERAGE -> total == 0 ? 0f : (float) (matchedSum / total);
        };
    }

    /** The distinct (field, term) pairs, for tests and profiles. */
    List<Term> terms() {
        return List.of(terms);
    }
}
