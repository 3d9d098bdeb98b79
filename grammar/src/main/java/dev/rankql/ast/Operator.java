package dev.rankql.ast;

/** How the terms of an analyzed query combine. */
public enum Operator implements Keyword {
    OR("or"),
    AND("and");

    private final String keyword;

    Operator(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
