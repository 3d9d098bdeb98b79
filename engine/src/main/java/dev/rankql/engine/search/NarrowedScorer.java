package dev.rankql.engine.search;

import java.io.IOException;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;

/**
 * A scorer that matches fewer documents than {@code in} (through its own approximation and two-phase check) and
 * scores each of them as {@code in} does, the shape {@code min_score} and {@code terminate_after} share.
 */
final class NarrowedScorer extends Scorer {

    private final Scorer in;
    private final DocIdSetIterator approximation;
    private final TwoPhaseIterator twoPhase;
    private final DocIdSetIterator iterator;

    /** {@code twoPhase} may be null when {@code approximation} matches exactly. */
    NarrowedScorer(Scorer in, DocIdSetIterator approximation, TwoPhaseIterator twoPhase) {
        this.in = in;
        this.approximation = approximation;
        this.twoPhase = twoPhase;
        this.iterator = twoPhase == null ? approximation : TwoPhaseIterator.asDocIdSetIterator(twoPhase);
    }

    @Override
    public int docID() {
        return approximation.docID();
    }

    @Override
    public DocIdSetIterator iterator() {
        return iterator;
    }

    @Override
    public TwoPhaseIterator twoPhaseIterator() {
        return twoPhase;
    }

    @Override
    public float getMaxScore(int upTo) throws IOException {
        return in.getMaxScore(upTo);
    }

    @Override
    public float score() throws IOException {
        return in.score();
    }
}
