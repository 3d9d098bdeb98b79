package dev.rankql.engine.eval.rankeval;

/** The {@code metric_details} of one query: the counts behind its score, one record per metric. */
public sealed interface MetricDetail {

    /** {@code precision}'s {@code relevant_docs_retrieved} and {@code docs_retrieved}. */
    record Precision(int relevantDocsRetrieved, int docsRetrieved) implements MetricDetail {}

    /** {@code recall}'s {@code relevant_docs_retrieved} and {@code relevant_docs}. */
    record Recall(int relevantDocsRetrieved, int relevantDocs) implements MetricDetail {}

    /** {@code mean_reciprocal_rank}'s {@code first_relevant}: the 1-based rank of the first relevant hit, or -1. */
    record ReciprocalRank(int firstRelevant) implements MetricDetail {}

    /**
     * {@code dcg}'s {@code dcg}, {@code ideal_dcg} and {@code unrated_docs}; the ideal DCG is 0 when it was not
     * computed ({@code normalize} false) or is 0, and Elasticsearch then leaves out {@code ideal_dcg} and
     * {@code normalized_dcg}.
     */
    record Dcg(double dcg, double idealDcg, int unratedDocs) implements MetricDetail {

        /** {@code normalized_dcg}: {@code dcg / ideal_dcg}, or 0 when the ideal DCG is 0. */
        public double normalizedDcg() {
            return idealDcg != 0 ? dcg / idealDcg : 0;
        }
    }

    /** {@code expected_reciprocal_rank}'s {@code unrated_docs}. */
    record ExpectedReciprocalRank(int unratedDocs) implements MetricDetail {}
}
