package dev.rankql.ast;

/** How a query rescorer combines the first-pass and the rescore score. */
public enum ScoreMode implements Keyword {
    TOTAL("total"),
    MULTIPLY("multiply"),
    AVG("avg"),
    MAX("max"),
    MIN("min");

    private final String keyword;

    ScoreMode(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
