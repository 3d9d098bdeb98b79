package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One evaluated search hit: its document id and its rating, absent when the request did not rate it. */
public record RatedHit(String docId, Optional<Integer> rating) {

    public RatedHit {
        requireNonNull(docId, "docId");
        requireNonNull(rating, "rating");
    }
}
