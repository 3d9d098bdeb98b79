package dev.rankql.engine.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.ScoreDoc;

/**
 * One bound rescorer of a rescore list: it rescores the top {@link #window()} hits of a ranked list and says what
 * happens to the hits beyond the window.
 *
 * <p>Elasticsearch's three rescorers differ only there: the {@code query} rescorer keeps them with their score times
 * {@code query_weight}, the {@code script} rescorer keeps them unchanged, and {@code learning_to_rank} drops them
 * (its scores are not comparable with first-pass scores). A truncating rescorer returns a shorter array.
 */
interface WindowRescorer {

    /** Hits in Elasticsearch's order: score descending, then document number ascending. */
    Comparator<ScoreDoc> ORDER = (a, b) -> {
        int byScore = Float.compare(b.score, a.score);
        return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
    };

    /** The number of top hits this rescorer rescores. */
    int window();

    /**
     * Rescores {@code hits} (in {@link #ORDER}) and returns them in {@link #ORDER}. The search that calls it owns the
     * hits, so a rescorer may change their scores and order in place (the {@code learning_to_rank} rescorer does, to
     * allocate nothing per document); the others return new copies.
     */
    ScoreDoc[] rescore(ScoreDoc[] hits) throws IOException;

    /** Explains a hit's new score from its previous explanation, knowing whether it was inside the window. */
    Explanation explain(int doc, Explanation previous, boolean inWindow) throws IOException;

    /** A copy of {@code hits} sorted in {@link #ORDER}. */
    static ScoreDoc[] sorted(ScoreDoc[] hits) {
        var copy = Arrays.copyOf(hits, hits.length);
        Arrays.sort(copy, ORDER);
        return copy;
    }

    /** Deep copies of the hits, so that rescorers never change the arrays they are given. */
    static ScoreDoc[] copy(ScoreDoc[] hits) {
        var copy = new ScoreDoc[hits.length];
        for (int i = 0; i < hits.length; i++) {
            copy[i] = new ScoreDoc(hits[i].doc, hits[i].score);
        }
        return copy;
    }
}
