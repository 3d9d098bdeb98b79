package dev.rankql.engine.eval.rankeval;

import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's {@code mean_reciprocal_rank}: per query, one over the rank of the first relevant hit among the top
 * k, or 0 when there is none; unrated hits are not relevant but keep their rank.
 *
 * @param relevantRatingThreshold ratings at or above it are relevant (default 1)
 * @param k the number of top hits evaluated (default 10)
 */
public record MeanReciprocalRank(int relevantRatingThreshold, int k) implements RankEvalMetric {

    public MeanReciprocalRank {
        Hits.checkThreshold(relevantRatingThreshold);
        Hits.checkK(k);
    }

    /** Elasticsearch's defaults: threshold 1, k = 10. */
    public MeanReciprocalRank() {
        this(DEFAULT_RELEVANT_RATING_THRESHOLD, DEFAULT_K);
    }

    @Override
    public String name() {
        return "mean_reciprocal_rank";
    }

    @Override
    public QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings) {
        List<RatedHit> hits = Hits.join(rankedDocIds, ratings, k);
        int firstRelevant = -1;
        for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i).rating().isPresent() && hits.get(i).rating().get() >= relevantRatingThreshold) {
                firstRelevant = i + 1;
                break;
            }
        }
        double score = firstRelevant == -1 ? 0 : 1.0 / firstRelevant;
        return QueryQuality.of(score, hits, new MetricDetail.ReciprocalRank(firstRelevant));
    }
}
