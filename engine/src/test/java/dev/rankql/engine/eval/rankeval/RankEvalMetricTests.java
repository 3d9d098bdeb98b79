package dev.rankql.engine.eval.rankeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Small examples computed by hand from Elasticsearch's formulas. */
class RankEvalMetricTests {

    private static final Offset<Double> EXACT = within(1e-14);

    /** a is rated 2, c 0, d 1 and e 3; b and x are unrated. */
    private static final Map<String, Integer> RATINGS = Map.of("a", 2, "c", 0, "d", 1, "e", 3);

    private static final List<String> RANKING = List.of("a", "b", "c", "d");

    @Test
    void precisionCountsUnratedHitsAsNonRelevantUnlessIgnored() {
        QueryQuality counted = new PrecisionAtK().evaluate(RANKING, RATINGS);
        assertThat(counted.metricScore()).isEqualTo(0.5);
        assertThat(counted.metricDetails()).isEqualTo(new MetricDetail.Precision(2, 4));
        assertThat(counted.unratedDocs()).containsExactly("b");
        assertThat(counted.hits()).containsExactly(new RatedHit("a", Optional.of(2)),
                new RatedHit("b", Optional.empty()), new RatedHit("c", Optional.of(0)),
                new RatedHit("d", Optional.of(1)));

        QueryQuality ignored = new PrecisionAtK(1, true, 10).evaluate(RANKING, RATINGS);
        assertThat(ignored.metricScore()).isCloseTo(2.0 / 3, EXACT);
        assertThat(ignored.metricDetails()).isEqualTo(new MetricDetail.Precision(2, 3));

        assertThat(new PrecisionAtK(2, false, 10).evaluate(RANKING, RATINGS).metricScore()).isEqualTo(0.25);
    }

    @Test
    void precisionDividesByTheHitsReturnedNotByK() {
        assertThat(new PrecisionAtK(1, false, 2).evaluate(RANKING, RATINGS).metricScore()).isEqualTo(0.5);
        assertThat(new PrecisionAtK(1, true, 2).evaluate(RANKING, RATINGS).metricScore()).isEqualTo(1.0);
        assertThat(new PrecisionAtK(1, false, 100).evaluate(List.of("a"), RATINGS).metricScore()).isEqualTo(1.0);
        QueryQuality none = new PrecisionAtK(1, true, 10).evaluate(List.of("x"), RATINGS);
        assertThat(none.metricScore()).isZero();
        assertThat(none.metricDetails()).isEqualTo(new MetricDetail.Precision(0, 0));
        assertThat(new PrecisionAtK().evaluate(List.of(), RATINGS).metricScore()).isZero();
    }

    @Test
    void recallDividesByAllRelevantRatings() {
        QueryQuality recall = new RecallAtK().evaluate(RANKING, RATINGS);
        assertThat(recall.metricScore()).isCloseTo(2.0 / 3, EXACT);
        assertThat(recall.metricDetails()).isEqualTo(new MetricDetail.Recall(2, 3));
        assertThat(new RecallAtK(1, 1).evaluate(RANKING, RATINGS).metricScore()).isCloseTo(1.0 / 3, EXACT);
        assertThat(new RecallAtK(3, 10).evaluate(RANKING, RATINGS).metricDetails())
                .isEqualTo(new MetricDetail.Recall(0, 1));
        QueryQuality nothingRelevant = new RecallAtK().evaluate(RANKING, Map.of("c", 0));
        assertThat(nothingRelevant.metricScore()).isZero();
        assertThat(nothingRelevant.metricDetails()).isEqualTo(new MetricDetail.Recall(0, 0));
    }

    @Test
    void meanReciprocalRankFindsTheFirstRelevantHitWithinK() {
        List<String> ranking = List.of("b", "c", "d", "a");
        QueryQuality rr = new MeanReciprocalRank().evaluate(ranking, RATINGS);
        assertThat(rr.metricScore()).isCloseTo(1.0 / 3, EXACT);
        assertThat(rr.metricDetails()).isEqualTo(new MetricDetail.ReciprocalRank(3));
        assertThat(new MeanReciprocalRank(2, 10).evaluate(ranking, RATINGS).metricScore()).isEqualTo(0.25);

        QueryQuality cut = new MeanReciprocalRank(1, 2).evaluate(ranking, RATINGS);
        assertThat(cut.metricScore()).isZero();
        assertThat(cut.metricDetails()).isEqualTo(new MetricDetail.ReciprocalRank(-1));
        assertThat(cut.hits()).hasSize(2);
    }

    /**
     * Ratings a=3, b=1, c=2; ranking b x a (x unrated). DCG = (2^1-1)/log2(2) + 0 + (2^3-1)/log2(4) = 1 + 3.5. The
     * ideal list is the ratings 3 2 1 cut to the 3 hits: 7/1 + 3/log2(3) + 1/log2(4).
     */
    @Test
    void dcgUsesExponentialGainsAndAnIdealCutToTheHits() {
        Map<String, Integer> ratings = Map.of("a", 3, "b", 1, "c", 2);
        List<String> ranking = List.of("b", "x", "a");
        double ideal = 7 + 3 / log2(3) + 0.5;

        QueryQuality dcg = new DiscountedCumulativeGain().evaluate(ranking, ratings);
        assertThat(dcg.metricScore()).isEqualTo(4.5);
        assertThat(dcg.metricDetails()).isEqualTo(new MetricDetail.Dcg(4.5, 0, 1));
        assertThat(dcg.unratedDocs()).containsExactly("x");

        QueryQuality ndcg = new DiscountedCumulativeGain(true, Optional.empty(), 10).evaluate(ranking, ratings);
        assertThat(ndcg.metricScore()).isCloseTo(4.5 / ideal, EXACT);
        assertThat(((MetricDetail.Dcg) ndcg.metricDetails()).idealDcg()).isCloseTo(ideal, EXACT);
        assertThat(((MetricDetail.Dcg) ndcg.metricDetails()).normalizedDcg()).isCloseTo(4.5 / ideal, EXACT);

        // two hits: the ideal list keeps only 3 and 2
        QueryQuality two = new DiscountedCumulativeGain(true, Optional.empty(), 2).evaluate(ranking, ratings);
        assertThat(two.metricScore()).isCloseTo(1 / (7 + 3 / log2(3)), EXACT);

        // unknown_doc_rating 2 gives x a gain of 3/log2(3)
        QueryQuality rated = new DiscountedCumulativeGain(false, Optional.of(2), 10).evaluate(ranking, ratings);
        assertThat(rated.metricScore()).isCloseTo(4.5 + 3 / log2(3), EXACT);
        assertThat(rated.unratedDocs()).containsExactly("x");
    }

    /** The six-hit example of Elasticsearch's own DCG tests: ratings 3 2 3 0 1 2 in rank order. */
    @Test
    void dcgMatchesElasticsearchsWorkedExample() {
        List<String> ranking = List.of("0", "1", "2", "3", "4", "5");
        Map<String, Integer> ratings = Map.of("0", 3, "1", 2, "2", 3, "3", 0, "4", 1, "5", 2);

        assertThat(new DiscountedCumulativeGain().evaluate(ranking, ratings).metricScore())
                .isCloseTo(13.84826362927298, EXACT);
        assertThat(new DiscountedCumulativeGain(true, Optional.empty(), 10).evaluate(ranking, ratings).metricScore())
                .isCloseTo(13.84826362927298 / 14.595390756454922, EXACT);

        Map<String, Integer> partial = Map.of("0", 3, "1", 2, "2", 3, "4", 1);
        assertThat(new DiscountedCumulativeGain().evaluate(ranking, partial).metricScore())
                .isCloseTo(12.779642067948913, EXACT);
        assertThat(new DiscountedCumulativeGain(true, Optional.empty(), 10).evaluate(ranking.subList(0, 4), partial)
                .metricScore()).isCloseTo(12.392789260714371 / 13.347184833073591, EXACT);
    }

    @Test
    void dcgOfNoHitsIsZero() {
        QueryQuality empty = new DiscountedCumulativeGain(true, Optional.empty(), 10).evaluate(List.of(), RATINGS);
        assertThat(empty.metricScore()).isZero();
        assertThat(empty.metricDetails()).isEqualTo(new MetricDetail.Dcg(0, 0, 0));
        assertThat(((MetricDetail.Dcg) empty.metricDetails()).normalizedDcg()).isZero();
    }

    /**
     * maximum_relevance 3, ratings 3 2 0 1: R = 7/8, 3/8, 0, 1/8. ERR = 7/8 + (1/8)(3/8)/2 + 0 + (1/8)(5/8)(1/8)/4
     * = 0.875 + 0.0234375 + 0.00244140625.
     */
    @Test
    void expectedReciprocalRankCascadesTheSatisfactionProbabilities() {
        Map<String, Integer> ratings = Map.of("a", 3, "b", 2, "c", 0, "d", 1);

        assertThat(new ExpectedReciprocalRank(3).evaluate(List.of("a", "b", "c", "d"), ratings).metricScore())
                .isEqualTo(0.90087890625);
        // an unrated hit keeps its rank: 7/8 + (1/8)(3/8)/3
        QueryQuality skipped = new ExpectedReciprocalRank(3).evaluate(List.of("a", "x", "b"), ratings);
        assertThat(skipped.metricScore()).isEqualTo(0.890625);
        assertThat(skipped.metricDetails()).isEqualTo(new MetricDetail.ExpectedReciprocalRank(1));
        assertThat(skipped.unratedDocs()).containsExactly("x");
        // unknown_doc_rating 1: 7/8 + (1/8)(1/8)/2 + (1/8)(7/8)(3/8)/3
        assertThat(new ExpectedReciprocalRank(3, Optional.of(1), 10).evaluate(List.of("a", "x", "b"), ratings)
                .metricScore()).isEqualTo(0.896484375);
        assertThat(new ExpectedReciprocalRank(3, Optional.empty(), 1).evaluate(List.of("b", "a"), ratings)
                .metricScore()).isEqualTo(0.375);
    }

    @Test
    void combineAveragesTheQueries() {
        QueryQuality half = new PrecisionAtK().evaluate(RANKING, RATINGS);
        QueryQuality one = new PrecisionAtK().evaluate(List.of("a"), RATINGS);
        assertThat(RankEvalMetric.combine(List.of(half, one))).isEqualTo(0.75);
        assertThatThrownBy(() -> RankEvalMetric.combine(List.of())).hasMessage("no query to combine");
    }

    @Test
    void namesAndDefaultsAreElasticsearchs() {
        assertThat(List.<RankEvalMetric>of(new PrecisionAtK(), new RecallAtK(), new MeanReciprocalRank(),
                new DiscountedCumulativeGain(), new ExpectedReciprocalRank(1)).stream().map(RankEvalMetric::name))
                .containsExactly("precision", "recall", "mean_reciprocal_rank", "dcg", "expected_reciprocal_rank");
        assertThat(new PrecisionAtK()).isEqualTo(new PrecisionAtK(1, false, 10));
        assertThat(new RecallAtK()).isEqualTo(new RecallAtK(1, 10));
        assertThat(new MeanReciprocalRank()).isEqualTo(new MeanReciprocalRank(1, 10));
        assertThat(new DiscountedCumulativeGain()).isEqualTo(new DiscountedCumulativeGain(false, Optional.empty(), 10));
        assertThat(new ExpectedReciprocalRank(2)).isEqualTo(new ExpectedReciprocalRank(2, Optional.empty(), 10));
    }

    @Test
    void rejectsBadParametersAndInput() {
        assertThatThrownBy(() -> new PrecisionAtK(1, false, 0)).hasMessage("Window size k must be positive.");
        assertThatThrownBy(() -> new RecallAtK(-1, 10))
                .hasMessage("Relevant rating threshold for precision must be positive integer.");
        assertThatThrownBy(() -> new DiscountedCumulativeGain(false, Optional.empty(), -3))
                .hasMessage("Window size k must be positive.");
        assertThatThrownBy(() -> new ExpectedReciprocalRank(-1))
                .hasMessage("[maximum_relevance] must not be negative, found [-1]");
        assertThatThrownBy(() -> new ExpectedReciprocalRank(2, Optional.of(3), 10))
                .hasMessage("[unknown_doc_rating] must be between 0 and [maximum_relevance] 2, found [3]");
        assertThatThrownBy(() -> new ExpectedReciprocalRank(2).evaluate(List.of("a"), Map.of("a", 3)))
                .hasMessage("rating of document [a] must be between 0 and [maximum_relevance] 2, found [3]");
        assertThatThrownBy(() -> new MeanReciprocalRank().evaluate(List.of("a", "b", "a"), RATINGS))
                .hasMessage("document [a] is ranked twice");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
