package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One sort key: a field (or {@code _score}, {@code _doc}, {@code _shard_doc}) and an optional order. */
public record SortField(Span span, String field, Optional<SortOrder> order) {

    public SortField {
        requireNonNull(span, "span");
        Checks.notBlank(field, "field");
        requireNonNull(order, "order");
    }
}
