package dev.rankql.engine.eval.rankeval;

import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's {@code precision}: relevant hits over counted hits among the top k, where hits without a rating
 * count as non-relevant unless {@code ignore_unlabeled}, in which case they are not counted at all.
 *
 * <p>The denominator is the number of counted hits, not k; with no counted hit the score is 0.
 *
 * @param relevantRatingThreshold ratings at or above it are relevant (default 1)
 * @param ignoreUnlabeled whether unrated hits are left out of the count (default false)
 * @param k the number of top hits evaluated (default 10)
 */
public record PrecisionAtK(int relevantRatingThreshold, boolean ignoreUnlabeled, int k) implements RankEvalMetric {

    public PrecisionAtK {
        Hits.checkThreshold(relevantRatingThreshold);
        Hits.checkK(k);
    }

    /** Elasticsearch's defaults: threshold 1, unlabeled hits counted, k = 10. */
    public PrecisionAtK() {
        this(DEFAULT_RELEVANT_RATING_THRESHOLD, false, DEFAULT_K);
    }

    @Override
    public String name() {
        return "precision";
    }

    @Override
    public QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings) {
        List<RatedHit> hits = Hits.join(rankedDocIds, ratings, k);
        int relevant = 0;
        int retrieved = 0;
        for (RatedHit hit : hits) {
            if (hit.rating().isPresent()) {
                retrieved++;
                if (hit.rating().get() >= relevantRatingThreshold) {
                    relevant++;
                }
            } else if (!ignoreUnlabeled) {
                retrieved++;
            }
        }
        double precision = retrieved > 0 ? (double) relevant / retrieved : 0;
        return QueryQuality.of(precision, hits, new MetricDetail.Precision(relevant, retrieved));
    }
}
