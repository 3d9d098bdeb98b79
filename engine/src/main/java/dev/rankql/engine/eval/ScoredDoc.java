package dev.rankql.engine.eval;

/** One retrieved document of a ranking: its id and the score the system gave it. */
public record ScoredDoc(String docId, double score) {

    public ScoredDoc {
        Qrels.checkId(docId, "document id");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score of document [" + docId + "] must be finite, found " + score);
        }
    }
}
