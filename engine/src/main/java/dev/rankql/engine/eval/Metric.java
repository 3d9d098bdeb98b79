package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-query retrieval metric with trec_eval's definition, computed from the grades of a ranking's documents.
 *
 * <p>Each metric takes the grades of the ranked documents, top first (0 for unjudged documents), and the query's
 * {@link JudgedQuery}. A document is relevant when its grade is at least {@link Qrels#RELEVANT}; gains are the grades
 * themselves, and grades of 0 or below gain nothing. docs/relevance.md states every formula.
 */
public sealed interface Metric {

    /** The cutoff of a metric evaluated over the whole ranking. */
    int NO_CUTOFF = Integer.MAX_VALUE;

    /** The metric's value for one query, between 0 and 1. */
    double compute(int[] rankedGrades, JudgedQuery query);

    /** The canonical name, such as {@code ndcg@10}, {@code map}, {@code mrr@10}, {@code mrr} or {@code p@10}. */
    String name();

    /** The name of the same measure in trec_eval's output ({@code ndcg_cut_10}, {@code P_10}, …). */
    String trecEvalName();

    /** trec_eval's {@code ndcg_cut}: DCG of the top k with linear gains over the ideal DCG of the top k. */
    record Ndcg(int k) implements Metric {
        public Ndcg {
            checkCutoff(k);
        }

        @Override
        public double compute(int[] rankedGrades, JudgedQuery query) {
            double dcg = 0;
            int depth = Math.min(k, rankedGrades.length);
            for (int i = 0; i < depth; i++) {
                if (rankedGrades[i] > 0) {
                    dcg += rankedGrades[i] / log2(i + 2);
                }
            }
            double ideal = 0;
            int idealDepth = Math.min(k, query.idealLength());
            for (int i = 0; i < idealDepth; i++) {
                ideal += query.idealGain(i) / log2(i + 2);
            }
            return ideal > 0 ? dcg / ideal : 0;
        }

        @Override
        public String name() {
            return "ndcg@" + k;
        }

        @Override
        public String trecEvalName() {
            return "ndcg_cut_" + k;
        }
    }

    /** trec_eval's {@code map}: the mean over all relevant documents of the precision at their ranks (0 if missed). */
    record AveragePrecision() implements Metric {
        @Override
        public double compute(int[] rankedGrades, JudgedQuery query) {
            if (query.relevantCount() == 0) {
                return 0;
            }
            double sum = 0;
            int found = 0;
            for (int i = 0; i < rankedGrades.length; i++) {
                if (rankedGrades[i] >= Qrels.RELEVANT) {
                    found++;
                    sum += (double) found / (i + 1);
                }
            }
            return sum / query.relevantCount();
        }

        @Override
        public String name() {
            return "map";
        }

        @Override
        public String trecEvalName() {
            return "map";
        }
    }

    /** trec_eval's {@code recip_rank} on the top k: one over the rank of the first relevant document, else 0. */
    record ReciprocalRank(int k) implements Metric {
        public ReciprocalRank {
            checkCutoff(k);
        }

        @Override
        public double compute(int[] rankedGrades, JudgedQuery query) {
            int depth = Math.min(k, rankedGrades.length);
            for (int i = 0; i < depth; i++) {
                if (rankedGrades[i] >= Qrels.RELEVANT) {
                    return 1.0 / (i + 1);
                }
            }
            return 0;
        }

        @Override
        public String name() {
            return k == NO_CUTOFF ? "mrr" : "mrr@" + k;
        }

        @Override
        public String trecEvalName() {
            return k == NO_CUTOFF ? "recip_rank" : "recip_rank (trec_eval -M " + k + ")";
        }
    }

    /** trec_eval's {@code P_k}: relevant documents in the top k divided by k, even when fewer were retrieved. */
    record Precision(int k) implements Metric {
        public Precision {
            checkCutoff(k);
            if (k == NO_CUTOFF) {
                throw new IllegalArgumentException("precision needs a cutoff");
            }
        }

        @Override
        public double compute(int[] rankedGrades, JudgedQuery query) {
            return (double) relevantInTop(rankedGrades, k) / k;
        }

        @Override
        public String name() {
            return "p@" + k;
        }

        @Override
        public String trecEvalName() {
            return "P_" + k;
        }
    }

    /** trec_eval's {@code recall_k}: relevant documents in the top k over all relevant documents of the query. */
    record Recall(int k) implements Metric {
        public Recall {
            checkCutoff(k);
        }

        @Override
        public double compute(int[] rankedGrades, JudgedQuery query) {
            return query.relevantCount() == 0 ? 0 : (double) relevantInTop(rankedGrades, k) / query.relevantCount();
        }

        @Override
        public String name() {
            return "recall@" + k;
        }

        @Override
        public String trecEvalName() {
            return "recall_" + k;
        }
    }

    /**
     * Reads one metric name: {@code ndcg@K}, {@code map}, {@code mrr} or {@code mrr@K}, {@code p@K},
     * {@code recall@K}, case-insensitive, or trec_eval's {@code ndcg_cut_K}, {@code ndcg_cut.K}, {@code map},
     * {@code recip_rank}, {@code P_K}, {@code P.K}, {@code recall_K}, {@code recall.K}.
     *
     * @throws IllegalArgumentException naming the accepted forms when the text is none of them
     */
    static Metric parse(String text) {
        requireNonNull(text, "metric");
        String name = text.strip().toLowerCase(Locale.ROOT);
        Matcher cut = Pattern.compile("(ndcg|ndcg_cut|mrr|p|recall)(?:@|_|\\.)(\\d+)").matcher(name);
        if (name.equals("map")) {
            return new AveragePrecision();
        }
        if (name.equals("mrr") || name.equals("recip_rank")) {
            return new ReciprocalRank(NO_CUTOFF);
        }
        if (cut.matches()) {
            int k;
            try {
                k = Integer.parseInt(cut.group(2));
            } catch (NumberFormatException tooLarge) {
                k = -1;
            }
            if (k < 1) {
                throw new IllegalArgumentException(
                        "metric [" + text + "]: the cutoff must be a positive integer, found [" + cut.group(2) + "]");
            }
            return switch (cut.group(1)) {
                case "ndcg", "ndcg_cut" -> new Ndcg(k);
                case "mrr" -> new ReciprocalRank(k);
                case "p" -> new Precision(k);
                default -> new Recall(k);
            };
        }
        throw new IllegalArgumentException("unknown metric [" + text + "]; expected ndcg@K, map, mrr, mrr@K, p@K or "
                + "recall@K (or trec_eval's ndcg_cut_K, recip_rank, P_K, recall_K)");
    }

    /** Reads a comma-separated list of metric names; repeated metrics are kept once, in first-seen order. */
    static List<Metric> parseList(String text) {
        requireNonNull(text, "metrics");
        Set<Metric> metrics = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty metric name in [" + text + "]");
            }
            metrics.add(parse(part));
        }
        return List.copyOf(metrics);
    }

    private static int relevantInTop(int[] rankedGrades, int k) {
        int depth = Math.min(k, rankedGrades.length);
        int relevant = 0;
        for (int i = 0; i < depth; i++) {
            if (rankedGrades[i] >= Qrels.RELEVANT) {
                relevant++;
            }
        }
        return relevant;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    private static void checkCutoff(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the cutoff k must be at least 1, found " + k);
        }
    }
}
