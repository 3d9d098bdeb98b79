package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

/** One evaluation query: its id, as used in qrels and run files, and its text. */
public record Query(String id, String text) {

    public Query {
        Qrels.checkId(id, "query id");
        requireNonNull(text, "text");
    }
}
