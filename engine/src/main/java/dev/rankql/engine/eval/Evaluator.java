package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates rankings against judgments with trec_eval's metrics, averaging like {@code trec_eval -c} over every
 * judged query that has a relevant document.
 *
 * <p>A query with a relevant document but no ranking scores 0 on every metric (trec_eval's {@code -c}); queries of the
 * run without judgments, or whose judgments hold no relevant document, are not evaluated (trec_eval {@code -c} would
 * average the latter in as zeros). Documents without a judgment are non-relevant.
 */
public final class Evaluator {

    private Evaluator() {}

    /** Evaluates rankings of document ids, top first, exactly in the order given. */
    public static EvaluationResult evaluate(
            Qrels qrels, Map<String, ? extends List<String>> rankings, List<Metric> metrics) {
        requireNonNull(qrels, "qrels");
        requireNonNull(rankings, "rankings");
        List<Metric> asked = List.copyOf(metrics);
        if (asked.isEmpty()) {
            throw new IllegalArgumentException("no metric to evaluate");
        }
        if (new HashSet<>(asked).size() != asked.size()) {
            throw new IllegalArgumentException(
                    "a metric is asked for twice: " + asked.stream().map(Metric::name).toList());
        }
        List<String> queryIds = qrels.queriesWithRelevant();
        double[][] values = new double[asked.size()][queryIds.size()];
        List<String> missing = new ArrayList<>();
        for (int q = 0; q < queryIds.size(); q++) {
            String queryId = queryIds.get(q);
            List<String> ranking = rankings.get(queryId);
            if (ranking == null) {
                missing.add(queryId);
                ranking = List.of();
            }
            JudgedQuery judged = JudgedQuery.of(qrels, queryId);
            int[] grades;
            try {
                grades = judged.gradesOf(ranking);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query [" + queryId + "]: " + e.getMessage(), e);
            }
            for (int m = 0; m < asked.size(); m++) {
                values[m][q] = asked.get(m).compute(grades, judged);
            }
        }
        Set<String> evaluated = new HashSet<>(queryIds);
        List<String> ignored = rankings.keySet().stream().filter(q -> !evaluated.contains(q)).toList();
        return new EvaluationResult(asked, queryIds, values, missing, ignored);
    }

    /**
     * Evaluates a run in the order it holds; for trec_eval's order, pass {@link Run#trecEvalOrder()} (runs read by
     * {@link RunFile} already are).
     */
    public static EvaluationResult evaluate(Qrels qrels, Run run, List<Metric> metrics) {
        return evaluate(qrels, requireNonNull(run, "run").docIds(), metrics);
    }
}
