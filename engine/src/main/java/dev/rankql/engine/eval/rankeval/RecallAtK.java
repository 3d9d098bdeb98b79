package dev.rankql.engine.eval.rankeval;

import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's {@code recall}: relevant hits among the top k over all relevant rated documents of the query, or 0
 * when none is relevant.
 *
 * @param relevantRatingThreshold ratings at or above it are relevant (default 1)
 * @param k the number of top hits evaluated (default 10)
 */
public record RecallAtK(int relevantRatingThreshold, int k) implements RankEvalMetric {

    public RecallAtK {
        Hits.checkThreshold(relevantRatingThreshold);
        Hits.checkK(k);
    }

    /** Elasticsearch's defaults: threshold 1, k = 10. */
    public RecallAtK() {
        this(DEFAULT_RELEVANT_RATING_THRESHOLD, DEFAULT_K);
    }

    @Override
    public String name() {
        return "recall";
    }

    @Override
    public QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings) {
        List<RatedHit> hits = Hits.join(rankedDocIds, ratings, k);
        int relevantRetrieved = 0;
        for (RatedHit hit : hits) {
            if (hit.rating().isPresent() && hit.rating().get() >= relevantRatingThreshold) {
                relevantRetrieved++;
            }
        }
        int relevant = 0;
        for (int rating : ratings.values()) {
            if (rating >= relevantRatingThreshold) {
                relevant++;
            }
        }
        double recall = relevant > 0 ? (double) relevantRetrieved / relevant : 0;
        return QueryQuality.of(recall, hits, new MetricDetail.Recall(relevantRetrieved, relevant));
    }
}
