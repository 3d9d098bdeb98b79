package dev.rankql.ast;

/** What a match query does when analysis removes every term. */
public enum ZeroTermsQuery implements Keyword {
    NONE("none"),
    ALL("all");

    private final String keyword;

    ZeroTermsQuery(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
