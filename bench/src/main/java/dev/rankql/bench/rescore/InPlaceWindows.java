package dev.rankql.bench.rescore;

import java.util.IdentityHashMap;
import org.apache.lucene.search.ScoreDoc;

/**
 * rankql's side of a rescore benchmark: {@code SearchExecutor.rescoreWithModel} rescores its hits in place, as a
 * search's rescorer does, so each measured window gets a private copy of its first-pass hits that is put back in
 * first-pass order before every call, without allocating. One thread at a time.
 */
public final class InPlaceWindows {

    /** A window's own hits and the first-pass documents and scores they are restored to. */
    private record Copy(ScoreDoc[] hits, int[] docs, float[] scores) {}

    private final IdentityHashMap<ScoreDoc[], Copy> copies = new IdentityHashMap<>();

    /**
     * The private copy of {@code original} holding its documents and scores in its order again (made at the first
     * call, so benchmarks call this once for every window before they measure).
     */
    public ScoreDoc[] restore(ScoreDoc[] original) {
        var copy = copies.get(original);
        if (copy == null) {
            var hits = new ScoreDoc[original.length];
            var docs = new int[original.length];
            var scores = new float[original.length];
            for (int i = 0; i < original.length; i++) {
                hits[i] = new ScoreDoc(original[i].doc, original[i].score);
                docs[i] = original[i].doc;
                scores[i] = original[i].score;
            }
            copy = new Copy(hits, docs, scores);
            copies.put(original, copy);
        }
        // The rescore permuted the array's ScoreDocs and changed their scores; every slot gets its values back.
        var hits = copy.hits();
        for (int i = 0; i < hits.length; i++) {
            hits[i].doc = copy.docs()[i];
            hits[i].score = copy.scores()[i];
        }
        return hits;
    }
}
