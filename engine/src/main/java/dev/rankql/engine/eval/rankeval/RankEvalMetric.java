package dev.rankql.engine.eval.rankeval;

import java.util.List;
import java.util.Map;

/**
 * A metric of Elasticsearch's {@code _rank_eval} API, computed for one query from its ranked document ids and the
 * request's ratings exactly as Elasticsearch computes it.
 *
 * <p>As in Elasticsearch, only the top {@link #k()} documents count (Elasticsearch searches with {@code size = k});
 * a document is rated when the ratings hold its id, and unrated documents keep their rank.
 */
public sealed interface RankEvalMetric
        permits PrecisionAtK, RecallAtK, MeanReciprocalRank, DiscountedCumulativeGain, ExpectedReciprocalRank {

    /** Elasticsearch's default {@code k} for every metric. */
    int DEFAULT_K = 10;

    /** Elasticsearch's default {@code relevant_rating_threshold}. */
    int DEFAULT_RELEVANT_RATING_THRESHOLD = 1;

    /** The metric's name in a {@code _rank_eval} request: {@code precision}, {@code dcg}, …. */
    String name();

    /** The number of top documents evaluated (the search size). */
    int k();

    /**
     * Evaluates one query.
     *
     * @param rankedDocIds the search hits' ids, top first; only the first {@link #k()} are used
     * @param ratings the request's ratings of this query's documents (document id → rating)
     * @throws IllegalArgumentException when a document id occurs twice in the ranking, or a rating is outside the
     *     metric's range
     */
    QueryQuality evaluate(List<String> rankedDocIds, Map<String, Integer> ratings);

    /** The overall {@code metric_score}: the mean of the queries' scores, as Elasticsearch combines them. */
    static double combine(List<QueryQuality> queries) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no query to combine");
        }
        double sum = 0;
        for (QueryQuality query : queries) {
            sum += query.metricScore();
        }
        return sum / queries.size();
    }
}
