package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed values. The query has judgments A=3, B=2, C=1, D=0 (three relevant documents, ideal gains 3, 2, 1)
 * and the ranking is X B D A Y, X and Y unjudged, so the ranked grades are 0 2 0 3 0.
 */
class MetricTests {

    private static final Offset<Double> EXACT = within(1e-15);
    private static final JudgedQuery QUERY = JudgedQuery.of(Map.of("A", 3, "B", 2, "C", 1, "D", 0));
    private static final int[] RANKED = QUERY.gradesOf(List.of("X", "B", "D", "A", "Y"));

    @Test
    void gradesOfTheRankingAndTheIdealGains() {
        assertThat(RANKED).containsExactly(0, 2, 0, 3, 0);
        assertThat(QUERY.idealGains()).containsExactly(3, 2, 1);
        assertThat(QUERY.relevantCount()).isEqualTo(3);
    }

    @Test
    void ndcgUsesLinearGainsAndTheLogOfRankPlusOne() {
        // DCG@5 = 2/log2(3) + 3/log2(5) = 1.2618595071429148 + 1.2920296742201793
        // IDCG@5 = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.2618595071429148 + 0.5
        assertThat(new Metric.Ndcg(5).compute(RANKED, QUERY)).isCloseTo(0.5363218250207072, EXACT);
        // the ideal list has 3 entries and the ranking 5, so cutoffs beyond both change nothing
        assertThat(new Metric.Ndcg(10).compute(RANKED, QUERY)).isCloseTo(0.5363218250207072, EXACT);
        // DCG@2 = 2/log2(3); IDCG@2 = 3 + 2/log2(3)
        assertThat(new Metric.Ndcg(2).compute(RANKED, QUERY)).isCloseTo(0.2960819109658652, EXACT);
        assertThat(new Metric.Ndcg(1).compute(RANKED, QUERY)).isZero();
    }

    @Test
    void ndcgIsOneForTheIdealRankingAndIgnoresNonPositiveGrades() {
        JudgedQuery query = JudgedQuery.of(Map.of("A", 3, "B", 2, "C", 1, "N", -1, "Z", 0));
        int[] ideal = query.gradesOf(List.of("N", "A", "B", "C", "Z"));
        int[] idealWithoutN = query.gradesOf(List.of("A", "B", "C"));

        assertThat(new Metric.Ndcg(10).compute(idealWithoutN, query)).isEqualTo(1.0);
        // N (grade -1) at rank 1 gains nothing but pushes the others down one rank
        double dcg = 3 / log2(3) + 2 / log2(4) + 1 / log2(5);
        double idcg = 3 + 2 / log2(3) + 1 / log2(4);
        assertThat(new Metric.Ndcg(10).compute(ideal, query)).isCloseTo(dcg / idcg, EXACT);
    }

    @Test
    void ndcgGainsAreGradesNotExponentials() {
        JudgedQuery query = JudgedQuery.of(Map.of("A", 3, "B", 1));
        // linear: (1 + 3/log2(3)) / (3 + 1/log2(3)) = 0.7967...;
        // gains 2^g - 1 would give (1 + 7/log2(3)) / (7 + 1/log2(3)) = 0.7098...
        double linear = (1 + 3 / log2(3)) / (3 + 1 / log2(3));
        assertThat(new Metric.Ndcg(10).compute(query.gradesOf(List.of("B", "A")), query))
                .isCloseTo(linear, EXACT)
                .isCloseTo(0.7967075809905066, EXACT);
    }

    @Test
    void averagePrecisionDividesByAllRelevantDocuments() {
        // relevant at ranks 2 and 4: (1/2 + 2/4) / 3
        assertThat(new Metric.AveragePrecision().compute(RANKED, QUERY)).isCloseTo(1.0 / 3, EXACT);
        // grades 1, 2 and 3 are all just relevant
        JudgedQuery query = JudgedQuery.of(Map.of("A", 1, "B", 3));
        assertThat(new Metric.AveragePrecision().compute(query.gradesOf(List.of("B", "A")), query)).isEqualTo(1.0);
    }

    @Test
    void reciprocalRankLooksOnlyAtTheTopK() {
        assertThat(new Metric.ReciprocalRank(Metric.NO_CUTOFF).compute(RANKED, QUERY)).isEqualTo(0.5);
        assertThat(new Metric.ReciprocalRank(2).compute(RANKED, QUERY)).isEqualTo(0.5);
        assertThat(new Metric.ReciprocalRank(1).compute(RANKED, QUERY)).isZero();
    }

    @Test
    void precisionDividesByKEvenBeyondTheRanking() {
        assertThat(new Metric.Precision(5).compute(RANKED, QUERY)).isEqualTo(0.4);
        assertThat(new Metric.Precision(10).compute(RANKED, QUERY)).isEqualTo(0.2);
        assertThat(new Metric.Precision(2).compute(RANKED, QUERY)).isEqualTo(0.5);
        assertThat(new Metric.Precision(1).compute(RANKED, QUERY)).isZero();
    }

    @Test
    void recallCountsRelevantDocumentsInTheTopK() {
        assertThat(new Metric.Recall(100).compute(RANKED, QUERY)).isCloseTo(2.0 / 3, EXACT);
        assertThat(new Metric.Recall(3).compute(RANKED, QUERY)).isCloseTo(1.0 / 3, EXACT);
    }

    @Test
    void everyMetricIsZeroOnAnEmptyRankingOrWithoutRelevantDocuments() {
        JudgedQuery none = JudgedQuery.of(Map.of("D", 0));
        for (Metric metric : Metric.parseList("ndcg@10,map,mrr,mrr@10,p@10,recall@10")) {
            assertThat(metric.compute(new int[0], QUERY)).as(metric.name()).isZero();
            assertThat(metric.compute(none.gradesOf(List.of("D", "E")), none)).as(metric.name()).isZero();
        }
    }

    @Test
    void parsesRankqlAndTrecEvalNames() {
        assertThat(Metric.parseList("ndcg@10, MAP,mrr@10,p@10,recall@100,mrr"))
                .containsExactly(new Metric.Ndcg(10), new Metric.AveragePrecision(), new Metric.ReciprocalRank(10),
                        new Metric.Precision(10), new Metric.Recall(100), new Metric.ReciprocalRank(Metric.NO_CUTOFF));
        assertThat(Metric.parseList("ndcg_cut_10,ndcg_cut.5,P_5,P.20,recall_1000,recip_rank,ndcg@10"))
                .containsExactly(new Metric.Ndcg(10), new Metric.Ndcg(5), new Metric.Precision(5),
                        new Metric.Precision(20), new Metric.Recall(1000), new Metric.ReciprocalRank(Metric.NO_CUTOFF));
        assertThat(Metric.parseList("ndcg@10,map,mrr@10,p@10,recall@100,mrr").stream().map(Metric::name))
                .containsExactly("ndcg@10", "map", "mrr@10", "p@10", "recall@100", "mrr");
        assertThat(new Metric.Ndcg(10).trecEvalName()).isEqualTo("ndcg_cut_10");
        assertThat(new Metric.Precision(10).trecEvalName()).isEqualTo("P_10");
        assertThat(new Metric.Recall(100).trecEvalName()).isEqualTo("recall_100");
        assertThat(new Metric.ReciprocalRank(Metric.NO_CUTOFF).trecEvalName()).isEqualTo("recip_rank");
    }

    @Test
    void rejectsUnknownNamesAndBadCutoffs() {
        assertThatThrownBy(() -> Metric.parse("bpref"))
                .hasMessage("unknown metric [bpref]; expected ndcg@K, map, mrr, mrr@K, p@K or recall@K (or "
                        + "trec_eval's ndcg_cut_K, recip_rank, P_K, recall_K)");
        assertThatThrownBy(() -> Metric.parse("ndcg@0"))
                .hasMessage("metric [ndcg@0]: the cutoff must be a positive integer, found [0]");
        assertThatThrownBy(() -> Metric.parse("p@99999999999"))
                .hasMessage("metric [p@99999999999]: the cutoff must be a positive integer, found [99999999999]");
        assertThatThrownBy(() -> Metric.parseList("map,,p@5")).hasMessage("empty metric name in [map,,p@5]");
        assertThatThrownBy(() -> new Metric.Recall(0)).hasMessage("the cutoff k must be at least 1, found 0");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
