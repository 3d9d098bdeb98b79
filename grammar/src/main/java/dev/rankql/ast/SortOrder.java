package dev.rankql.ast;

/** The direction of a sort. */
public enum SortOrder implements Keyword {
    ASC("asc"),
    DESC("desc");

    private final String keyword;

    SortOrder(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
