package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The steps every metric shares: joining the top hits with their ratings, and Elasticsearch's parameter checks. */
final class Hits {

    private Hits() {}

    /** The top k hits joined with their ratings; rejects a document ranked twice. */
    static List<RatedHit> join(List<String> rankedDocIds, Map<String, Integer> ratings, int k) {
        requireNonNull(rankedDocIds, "rankedDocIds");
        requireNonNull(ratings, "ratings");
        ratings.forEach((docId, rating) -> requireNonNull(rating, () -> "rating of document [" + docId + "]"));
        int depth = Math.min(k, rankedDocIds.size());
        List<RatedHit> hits = new ArrayList<>(depth);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            String docId = requireNonNull(rankedDocIds.get(i), "document id");
            if (!seen.add(docId)) {
                throw new IllegalArgumentException("document [" + docId + "] is ranked twice");
            }
            hits.add(new RatedHit(docId, Optional.ofNullable(ratings.get(docId))));
        }
        return hits;
    }

    /** Elasticsearch's check of {@code k}. */
    static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("Window size k must be positive.");
        }
    }

    /** Elasticsearch's check of {@code relevant_rating_threshold}. */
    static void checkThreshold(int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("Relevant rating threshold for precision must be positive integer.");
        }
    }

    /** The number of hits without a rating. */
    static int unrated(List<RatedHit> hits) {
        int unrated = 0;
        for (RatedHit hit : hits) {
            if (hit.rating().isEmpty()) {
                unrated++;
            }
        }
        return unrated;
    }
}
