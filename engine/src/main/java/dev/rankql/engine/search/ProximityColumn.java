package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;
import dev.rankql.engine.ltr.FeatureExtractor;
import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;

/**
 * The {@code proximity} extractor bound to one request: the query's terms in one field, and per document the
 * positions of their occurrences merged into one sorted array that is reused from document to document.
 */
final class ProximityColumn {

    /** Occurrences are packed as {@code position << TERM_BITS | term}, so sorting longs sorts by position. */
    private static final int TERM_BITS = 16;

    private final FeatureExtractor.Proximity extractor;
    private final Term[] terms;

    private ProximityColumn(FeatureExtractor.Proximity extractor, Term[] terms) {
        this.extractor = extractor;
        this.terms = terms;
    }

    /** Analyses {@code text} for the extractor's field. */
    static ProximityColumn bind(QueryCompiler compiler, FeatureExtractor.Proximity extractor, String text) {
        var terms = QueryTerms.of(compiler, extractor.field(), text, extractor.featureName());
        // Beyond this many distinct terms the packing would overflow; such texts are not queries but documents.
        var kept = terms.subList(0, Math.min(terms.size(), 1 << TERM_BITS));
        return new ProximityColumn(extractor, kept.toArray(Term[]::new));
    }

    /** Fills column {@code c} of {@code matrix} for the documents {@code sortedDocs[0 .. n)} (ascending doc ids). */
    void fill(IndexSearcher searcher, int[] sortedDocs, int n, float[] matrix, int width, int c) throws IOException {
        if (terms.length == 0) {
            return;
        }
        var leaves = searcher.getIndexReader().leaves();
        var postings = new PostingsEnum[terms.length];
        // Per call, so that one bound column can serve concurrent searches (bindings are cached and shared).
        var state = new Occurrences(terms.length);
        int r = 0;
        while (r < n) {
            var leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
            int end = leaf.docBase + leaf.reader().maxDoc();
            var info = leaf.reader().getFieldInfos().fieldInfo(extractor.field());
            if (info != null && info.getIndexOptions().compareTo(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS) < 0) {
                throw EngineException.illegalArgument("feature [" + extractor.featureName() + "] needs positions, but field ["
                        + extractor.field() + "] is indexed without them");
            }
            for (int e = 0; e < terms.length; e++) {
                postings[e] = leaf.reader().postings(terms[e], PostingsEnum.POSITIONS);
            }
            for (; r < n && sortedDocs[r] < end; r++) {
                int target = sortedDocs[r] - leaf.docBase;
                int count = 0;
                for (int e = 0; e < terms.length; e++) {
                    var p = postings[e];
                    if (p == null) {
                        continue;
                    }
                    if (p.docID() < target) {
                        p.advance(target);
                    }
                    if (p.docID() != target) {
                        continue;
                    }
                    int freq = p.freq();
                    if (count + freq > state.occurrences.length) {
                        state.occurrences = Arrays.copyOf(state.occurrences, Math.max(state.occurrences.length * 2, count + freq));
                    }
                    for (int k = 0; k < freq; k++) {
                        state.occurrences[count++] = ((long) p.nextPosition() << TERM_BITS) | e;
                    }
                }
                if (count > 0) {
                    Arrays.sort(state.occurrences, 0, count);
                    matrix[r * width + c] = state.value(count);
                }
            }
        }
    }

    /** One document's occurrences at a time, packed and sorted, in an array reused from document to document. */
    private final class Occurrences {
        private long[] occurrences = new long[64];
        private final int[] seen;

        Occurrences(int terms) {
            seen = new int[terms];
        }

        /** The statistic over the first {@code count} sorted occurrences (at least one). */
        private float value(int count) {
            return switch (extractor.stat()) {
                case FIRST_POSITION -> position(0);
                case MIN_WINDOW -> minWindow(count);
                case DENSITY -> (float) distinct(count) / minWindow(count);
                case CLOSE_PAIRS -> closePairs(count);
            };
        }

        private int position(int i) {
            return (int) (occurrences[i] >>> TERM_BITS);
        }

        private int term(int i) {
            return (int) (occurrences[i] & ((1 << TERM_BITS) - 1));
        }

        private int distinct(int count) {
            Arrays.fill(seen, 0);
            int distinct = 0;
            for (int i = 0; i < count; i++) {
                if (seen[term(i)]++ == 0) {
                    distinct++;
                }
            }
            return distinct;
        }

        /** The shortest span of positions holding every distinct term present: a sliding window over the occurrences. */
        private int minWindow(int count) {
            int needed = distinct(count);
            Arrays.fill(seen, 0);
            int covered = 0;
            int best = Integer.MAX_VALUE;
            int left = 0;
            for (int right = 0; right < count; right++) {
                if (seen[term(right)]++ == 0) {
                    covered++;
                }
                while (covered == needed) {
                    best = Math.min(best, position(right) - position(left) + 1);
                    if (--seen[term(left)] == 0) {
                        covered--;
                    }
                    left++;
                }
            }
            return best;
        }

        /** Pairs of occurrences of different terms at most {@code distance} positions apart. */
        private int closePairs(int count) {
            int pairs = 0;
            for (int i = 0; i < count; i++) {
                for (int j = i + 1; j < count && position(j) - position(i) <= extractor.distance(); j++) {
                    if (term(j) != term(i)) {
                        pairs++;
                    }
                }
            }
            return pairs;
        }
    }
}
