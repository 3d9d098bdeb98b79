package dev.rankql.engine.eval.rankeval;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A metric's result for one query, as in a {@code _rank_eval} response's {@code details}.
 *
 * @param metricScore the query's {@code metric_score}
 * @param hits the evaluated hits (the top k) with their ratings
 * @param unratedDocs the ids of the evaluated hits without a rating, in rank order
 * @param metricDetails the metric's {@code metric_details}
 */
public record QueryQuality(
        double metricScore, List<RatedHit> hits, List<String> unratedDocs, MetricDetail metricDetails) {

    public QueryQuality {
        hits = List.copyOf(hits);
        unratedDocs = List.copyOf(unratedDocs);
        requireNonNull(metricDetails, "metricDetails");
    }

    /** A result whose unrated documents are read off the hits. */
    static QueryQuality of(double metricScore, List<RatedHit> hits, MetricDetail details) {
        List<String> unrated = hits.stream().filter(h -> h.rating().isEmpty()).map(RatedHit::docId).toList();
        return new QueryQuality(metricScore, hits, unrated, details);
    }
}
