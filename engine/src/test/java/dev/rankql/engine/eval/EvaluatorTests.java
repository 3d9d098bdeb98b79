package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTests {

    private static final Metric NDCG = new Metric.Ndcg(10);
    private static final Metric MAP = new Metric.AveragePrecision();
    private static final Metric MRR = new Metric.ReciprocalRank(Metric.NO_CUTOFF);
    private static final Metric P5 = new Metric.Precision(5);

    private static Qrels qrels() throws IOException {
        return QrelsFile.parse(new StringReader("""
                query-id\tdoc-id\tgrade
                q1\ta\t1
                q1\tb\t0
                q2\tc\t2
                q2\td\t1
                q3\te\t0
                q4\tf\t1
                """), "qrels.tsv");
    }

    @Test
    void evaluatesJudgedQueriesWithARelevantDocumentAndCountsMissingRankingsAsZero() throws IOException {
        Map<String, List<String>> rankings = new LinkedHashMap<>();
        rankings.put("q2", List.of("x", "d", "c"));
        rankings.put("q1", List.of("a"));
        rankings.put("q3", List.of("e"));
        rankings.put("q9", List.of("a"));

        EvaluationResult result = Evaluator.evaluate(qrels(), rankings, List.of(MRR, MAP, P5));

        assertThat(result.queryIds()).containsExactly("q1", "q2", "q4");
        assertThat(result.missing()).containsExactly("q4");
        assertThat(result.ignored()).containsExactly("q3", "q9");
        assertThat(result.perQuery(MRR)).containsExactly(1.0, 0.5, 0.0);
        // q2: relevant at ranks 2 and 3 of 2 relevant: (1/2 + 2/3) / 2
        assertThat(result.value(MAP, "q2")).isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-15));
        assertThat(result.perQuery(P5)).containsExactly(0.2, 0.4, 0.0);
        assertThat(result.mean(MRR)).isEqualTo(0.5);
        assertThat(result.mean(P5)).isCloseTo(0.2, within(1e-15));
    }

    @Test
    void unjudgedDocumentsAreNonRelevantAndAnEmptyRankingScoresZero() throws IOException {
        EvaluationResult result = Evaluator.evaluate(qrels(),
                Map.of("q1", List.of("u1", "u2", "a"), "q2", List.of(), "q4", List.of("u3")), List.of(NDCG, MRR));

        assertThat(result.value(MRR, "q1")).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(result.value(NDCG, "q1")).isCloseTo(0.5, within(1e-15));
        assertThat(result.value(NDCG, "q2")).isZero();
        assertThat(result.value(NDCG, "q4")).isZero();
        assertThat(result.missing()).isEmpty();
    }

    @Test
    void aRunIsEvaluatedAsGivenOrInTrecEvalOrder() throws IOException {
        // a and b tie; trec_eval puts b (the larger id) first, so a relevant a drops to rank 2
        Run run = Run.of(Map.of("q1", List.of(new ScoredDoc("a", 1.0), new ScoredDoc("b", 1.0)),
                "q2", List.of(new ScoredDoc("c", 0.5), new ScoredDoc("d", 0.5)),
                "q4", List.of(new ScoredDoc("f", 0.1))));

        assertThat(Evaluator.evaluate(qrels(), run, List.of(MRR)).perQuery(MRR)).containsExactly(1.0, 1.0, 1.0);
        assertThat(Evaluator.evaluate(qrels(), run.trecEvalOrder(), List.of(MRR)).perQuery(MRR))
                .containsExactly(0.5, 1.0, 1.0);
    }

    @Test
    void aRunWrittenWithTiesKeepsItsOrderThroughTheFile() throws IOException {
        Run run = Run.of(Map.of("q1", List.of(new ScoredDoc("a", 1.0), new ScoredDoc("b", 1.0))));
        java.io.StringWriter text = new java.io.StringWriter();
        RunFile.write(text, run, "tied");

        Run read = RunFile.parse(new StringReader(text.toString()), "tied.trec");

        assertThat(Evaluator.evaluate(qrels(), read, List.of(MRR)).value(MRR, "q1")).isEqualTo(1.0);
    }

    @Test
    void rejectsBadInput() throws IOException {
        Qrels qrels = qrels();
        assertThatThrownBy(() -> Evaluator.evaluate(qrels, Map.of("q1", List.of("a", "a")), List.of(MRR)))
                .hasMessage("query [q1]: document [a] is ranked twice");
        assertThatThrownBy(() -> Evaluator.evaluate(qrels, Map.of(), List.of())).hasMessage("no metric to evaluate");
        assertThatThrownBy(() -> Evaluator.evaluate(qrels, Map.of(), List.of(MRR, MRR)))
                .hasMessage("a metric is asked for twice: [mrr, mrr]");
        EvaluationResult result = Evaluator.evaluate(qrels, Map.of(), List.of(MRR));
        assertThatThrownBy(() -> result.mean(MAP)).hasMessage("metric map was not evaluated; evaluated: [mrr]");
        assertThatThrownBy(() -> result.value(MRR, "q3")).hasMessage("query [q3] was not evaluated");
    }

    @Test
    void qrelsWithoutRelevantDocumentsEvaluateNothing() {
        Qrels qrels = Qrels.builder().add("q", "a", 0).build();
        EvaluationResult result = Evaluator.evaluate(qrels, Map.of("q", List.of("a")), List.of(NDCG));

        assertThat(result.queryIds()).isEmpty();
        assertThat(result.mean(NDCG)).isZero();
        assertThat(result.ignored()).containsExactly("q");
    }
}
