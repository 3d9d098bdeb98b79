package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Elasticsearch's {@code expected_reciprocal_rank} (Chapelle et al., CIKM 2009) over the top k hits.
 *
 * <p>A hit with rating r satisfies the user with probability {@code R = (2^r - 1) / 2^maximum_relevance}; the score
 * is {@code sum over rated hits of p * R / rank}, where p, starting at 1, is multiplied by {@code 1 - R} after each
 * rated hit. Unrated hits are skipped (but keep their rank) unless {@code unknown_doc_rating} rates them.
 *
 * <p>Elasticsearch accepts ratings above {@code maximum_relevance} and then computes probabilities above 1; rankql
 * rejects them, and negative ratings, since the metric is undefined there.
 *
 * @param maximumRelevance the highest rating in the judgments (required by Elasticsearch)
 * @param unknownDocRating the rating given to unrated hits, if any (default none)
 * @param k the number of top hits evaluated (default 10)
 */
public record ExpectedReciprocalRank(int maximumRelevance, Optional<Integer> unknownDocRating, int k)
        implements RankEvalMetric {

    public ExpectedReciprocalRank {
        if (maximumRelevance < 0) {
            throw new IllegalArgumentException(
                    "[maximum_relevance] must not be negative, found [" + maximumRelevance + "]");
        }
        requireNonNull(unknownDocRating, "unknownDocRating");
        unknownDocRating.ifPresent(r -> checkRating(r, maximumRelevance, "[unknown_doc_rating]"));
        Hits.checkK(k);
    }

    /** The given maximum relevance with Elasticsearch's other defaults: no rating for unrated hits, k = 10. */
    public ExpectedReciprocalRank(int maximumRelevance) {
        this(maximumRelevance, Optional.empty(), DEFAULT_K);
    }

    @Override
    public String name() {
        return "expected_reciprocal_rank";
    }

    @Override
    public QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings) {
        requireNonNull(ratings, "ratings");
        ratings.forEach((docId, rating) -> checkRating(rating, maximumRelevance, "rating of document [" + docId + "]"));
        List<RatedHit> hits = Hits.join(rankedDocIds, ratings, k);
        double maximum = Math.pow(2, maximumRelevance);
        double err = 0;
        double notYetSatisfied = 1;
        for (int i = 0; i < hits.size(); i++) {
            Optional<Integer> rating = hits.get(i).rating().or(() -> unknownDocRating);
            if (rating.isPresent()) {
                double satisfied = (Math.pow(2, rating.get()) - 1) / maximum;
                err += notYetSatisfied * satisfied / (i + 1);
                notYetSatisfied *= 1 - satisfied;
            }
        }
        return QueryQuality.of(err, hits, new MetricDetail.ExpectedReciprocalRank(Hits.unrated(hits)));
    }

    private static void checkRating(int rating, int maximumRelevance, String what) {
        if (rating < 0 || rating > maximumRelevance) {
            throw new IllegalArgumentException(what + " must be between 0 and [maximum_relevance] " + maximumRelevance
                    + ", found [" + rating + "]");
        }
    }
}
