package dev.rankql.ast;

/** How a {@code linear} retriever rescales a child's scores before it weighs them. */
public enum ScoreNormalizer implements Keyword {
    NONE("none"),
    MINMAX("minmax"),
    L2_NORM("l2_norm");

    private final String keyword;

    ScoreNormalizer(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
