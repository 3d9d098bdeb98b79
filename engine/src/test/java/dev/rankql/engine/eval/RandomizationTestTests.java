package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomizationTestTests {

    @Test
    void identicalSystemsHavePValueOne() {
        double[] scores = {0.3, 0.7, 0.1, 0.9, 0.5, 0.2, 0.4, 0.8, 0.6, 1.0, 0.0, 0.35, 0.45, 0.55, 0.65, 0.75};

        RandomizationTest.Result sampled = RandomizationTest.test(scores, scores.clone());
        RandomizationTest.Result exact = RandomizationTest.test(new double[] {0.2, 0.4}, new double[] {0.2, 0.4});

        assertThat(sampled.exact()).isFalse();
        assertThat(sampled.permutations()).isEqualTo(RandomizationTest.DEFAULT_PERMUTATIONS);
        assertThat(sampled.pValue()).isEqualTo(1.0);
        assertThat(exact.exact()).isTrue();
        assertThat(exact.pValue()).isEqualTo(1.0);
    }

    /**
     * Differences 0.1, 0.2, -0.3, 0.5; observed sum 0.5. The 16 sign assignments give sums (signs in order):
     * ++++ 0.5, +++- -0.5, ++-+ 1.1, ++-- 0.1, +-++ 0.1, +-+- -0.9, +--+ 0.7, +--- -0.3, -+++ 0.3, -++- -0.7,
     * -+-+ 0.9, -+-- -0.1, --++ -0.1, --+- -1.1, ---+ 0.5, ---- -0.5. Ten reach |0.5|, so p = 10/16. Two of them
     * (+++- and ---+) equal the observed magnitude only in exact arithmetic: 0.1 + 0.2 - 0.3 is not 0 in doubles.
     */
    @Test
    void enumeratesAllSignFlipsOfATinyCaseExactly() {
        double[] a = {0.1, 0.2, 0.0, 0.5};
        double[] b = {0.0, 0.0, 0.3, 0.0};

        RandomizationTest.Result result = RandomizationTest.test(a, b);

        assertThat(result.exact()).isTrue();
        assertThat(result.permutations()).isEqualTo(16);
        assertThat(result.pValue()).isEqualTo(10.0 / 16);
        assertThat(result.queries()).isEqualTo(4);
        assertThat(result.meanA()).isCloseTo(0.2, within(1e-15));
        assertThat(result.meanB()).isCloseTo(0.075, within(1e-15));
        assertThat(result.meanDifference()).isCloseTo(0.125, within(1e-15));
        assertThat(RandomizationTest.test(b, a).pValue()).isEqualTo(10.0 / 16);
    }

    @Test
    void aConsistentImprovementOverManyQueriesIsSignificant() {
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 20; i++) {
            a[i] = 0.5 + 0.01 * i;
            b[i] = a[i] - 0.1;
        }
        // only the two assignments with all signs equal reach the observed sum; 10,000 draws of 2^20 almost surely
        // miss both, leaving the smallest p-value the estimator gives
        assertThat(RandomizationTest.test(a, b).pValue()).isEqualTo(1.0 / 10_001);
    }

    @Test
    void theSampledPValueEstimatesTheExactOne() {
        SplittableRandom random = new SplittableRandom(7);
        double[] a = new double[14];
        double[] b = new double[14];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
            b[i] = a[i] + random.nextDouble(-0.5, 0.4);
        }
        RandomizationTest.Result exact = RandomizationTest.test(a, b, 1 << 14, 1);
        RandomizationTest.Result sampled = RandomizationTest.test(a, b);

        assertThat(exact.exact()).isTrue();
        assertThat(sampled.exact()).isFalse();
        assertThat(exact.pValue()).isBetween(0.05, 0.95);
        // three standard errors of a 10,000-draw estimate
        assertThat(sampled.pValue()).isCloseTo(exact.pValue(), within(0.015));
        assertThat(RandomizationTest.test(a, b).pValue()).isEqualTo(sampled.pValue());
    }

    @Test
    void comparesTwoEvaluationsOfTheSameQueries() {
        Qrels qrels = Qrels.builder().add("q1", "a", 1).add("q2", "b", 1).add("q3", "c", 1).build();
        Metric mrr = new Metric.ReciprocalRank(10);
        EvaluationResult good = Evaluator.evaluate(qrels,
                Map.of("q1", List.of("a"), "q2", List.of("b"), "q3", List.of("c")), List.of(mrr));
        EvaluationResult bad = Evaluator.evaluate(qrels,
                Map.of("q1", List.of("x", "a"), "q2", List.of("x", "b"), "q3", List.of("c")), List.of(mrr));

        RandomizationTest.Result result = RandomizationTest.compare(good, bad, mrr);

        // differences 0.5, 0.5, 0: the four assignments giving the first two the same sign reach 1.0
        assertThat(result.pValue()).isEqualTo(4.0 / 8);
        assertThat(result.meanDifference()).isCloseTo(1.0 / 3, within(1e-15));

        EvaluationResult other = Evaluator.evaluate(qrels.restrictTo(List.of("q1", "q2")), Map.of(), List.of(mrr));
        assertThatThrownBy(() -> RandomizationTest.compare(good, other, mrr))
                .hasMessage("the evaluations cover different queries (3 and 2); evaluate both runs against the same "
                        + "qrels");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> RandomizationTest.test(new double[2], new double[3]))
                .hasMessage("the systems must be scored on the same queries: 2 values against 3");
        assertThatThrownBy(() -> RandomizationTest.test(new double[0], new double[0]))
                .hasMessage("no queries to compare");
        assertThatThrownBy(() -> RandomizationTest.test(new double[] {Double.NaN}, new double[1]))
                .hasMessage("query 0 has a non-finite value: NaN, 0.0");
        assertThatThrownBy(() -> RandomizationTest.test(new double[1], new double[1], 0, 1))
                .hasMessage("permutations must be at least 1, found 0");
    }
}
