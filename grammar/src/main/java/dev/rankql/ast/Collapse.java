package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

/** Field collapsing: keep the best hit of each distinct value of {@code field}. */
public record Collapse(Span span, String field) {

    public Collapse {
        requireNonNull(span, "span");
        Checks.notBlank(field, "field");
    }
}
