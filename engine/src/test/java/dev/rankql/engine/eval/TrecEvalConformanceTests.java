package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small qrels file and run with ties, unjudged documents, graded and negative grades, a query without a ranking
 * and one without relevant documents, against the output of trec_eval 10.0 run as
 * {@code trec_eval -c -q -m ndcg_cut.3,10 -m map -m recip_rank -m P.5 -m recall.3 qrels run} (printed to 4 places).
 *
 * <p>In trec_eval's order q1 reads d9 d3 d10 u1 d2 d1 d4 (the three tied at 2.0 by id descending, "d9" above "d10")
 * and q2 reads b u c a.
 */
class TrecEvalConformanceTests {

    private static final String QRELS = """
            q1 0 d1 3
            q1 0 d2 2
            q1 0 d3 0
            q1 0 d4 1
            q1 0 d10 2
            q1 0 d9 1
            q2 0 a 1
            q2 0 b -1
            q2 0 c 4
            q3 0 x 1
            q4 0 y 0
            q5 0 e 2
            q5 0 f 2
            q5 0 g 1
            """;

    private static final String RUN = """
            q1 Q0 d9 1 2.0 t
            q1 Q0 d10 2 2.0 t
            q1 Q0 d3 3 2.0 t
            q1 Q0 u1 4 1.5 t
            q1 Q0 d1 5 1.0 t
            q1 Q0 d2 6 1.0 t
            q1 Q0 d4 7 0.5 t
            q2 Q0 b 1 5 t
            q2 Q0 u 2 4 t
            q2 Q0 a 3 3 t
            q2 Q0 c 4 3 t
            q4 Q0 y 1 1 t
            q4 Q0 z 2 0.5 t
            q5 Q0 g 1 0.1 t
            q6 Q0 a 1 1 t
            """;

    /** trec_eval's per-query values for q1, q2, q3 and q5, then its "all" line. */
    private static final Map<String, double[]> TREC_EVAL = Map.of(
            "ndcg@3", new double[] {0.3801, 0.4319, 0.0, 0.2658, 0.2156},
            "ndcg@10", new double[] {0.6869, 0.5249, 0.0, 0.2658, 0.2955},
            "map", new double[] {0.7295, 0.4167, 0.0, 0.3333, 0.2959},
            "mrr", new double[] {1.0, 0.3333, 0.0, 1.0, 0.4667},
            "p@5", new double[] {0.6, 0.4, 0.0, 0.2, 0.24},
            "recall@3", new double[] {0.4, 0.5, 0.0, 0.3333, 0.2467});

    @Test
    void perQueryValuesMatchTrecEval() throws IOException {
        Qrels qrels = QrelsFile.parse(new StringReader(QRELS), "qrels");
        Run run = RunFile.parse(new StringReader(RUN), "run");
        List<Metric> metrics = Metric.parseList("ndcg@3,ndcg@10,map,mrr,p@5,recall@3");

        EvaluationResult result = Evaluator.evaluate(qrels, run, metrics);

        assertThat(run.docIds().get("q1")).containsExactly("d9", "d3", "d10", "u1", "d2", "d1", "d4");
        assertThat(result.queryIds()).containsExactly("q1", "q2", "q3", "q5");
        assertThat(result.missing()).containsExactly("q3");
        assertThat(result.ignored()).containsExactly("q4", "q6");
        for (Metric metric : metrics) {
            double[] expected = TREC_EVAL.get(metric.name());
            double[] actual = result.perQuery(metric);
            for (int q = 0; q < actual.length; q++) {
                assertThat(actual[q]).as("%s on %s", metric.name(), result.queryIds().get(q))
                        .isCloseTo(expected[q], within(5e-5));
            }
            // trec_eval -c also averages in q4, which has no relevant document and scores 0 everywhere
            assertThat(result.mean(metric) * 4 / 5).as("%s over all", metric.name())
                    .isCloseTo(expected[4], within(5e-5));
        }
    }
}
