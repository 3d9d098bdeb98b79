package dev.rankql.models;

/** The test of a split node, as the source format writes it; the left child is taken when the test holds. */
public enum Decision {
    /** {@code value < threshold} (XGBoost, Elasticsearch {@code lt}). */
    LT("<"),
    /** {@code value <= threshold} (LightGBM, Solr, Elasticsearch {@code lte}, the Elasticsearch default). */
    LTE("<="),
    /** {@code value > threshold} (Elasticsearch {@code gt}). */
    GT(">"),
    /** {@code value >= threshold} (Elasticsearch {@code gte}). */
    GTE(">="),
    /** The value, truncated to an integer category, is one of the node's categories (LightGBM categorical splits). */
    IN("in"),
    /** The value is not one of the node's categories (XGBoost categorical splits, whose listed categories go right). */
    NOT_IN("not in");

    private final String symbol;

    Decision(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in explanations: {@code <}, {@code <=}, {@code >}, {@code >=} or {@code in}. */
    public String symbol() {
        return symbol;
    }
}
