package dev.rankql.ast;

/** How a multi_match query combines its fields. */
public enum MultiMatchType implements Keyword {
    BEST_FIELDS("best_fields"),
    MOST_FIELDS("most_fields"),
    CROSS_FIELDS("cross_fields"),
    PHRASE("phrase"),
    PHRASE_PREFIX("phrase_prefix"),
    BOOL_PREFIX("bool_prefix");

    private final String keyword;

    MultiMatchType(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }
}
