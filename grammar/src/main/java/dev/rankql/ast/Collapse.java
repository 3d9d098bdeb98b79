package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Field collapsing: keep the best hit of each distinct value of {@code field}, with the group's own top documents
 * under each {@code inner_hits} section. {@code maxConcurrentGroupSearches} is accepted as Elasticsearch accepts it;
 * one local index runs the groups' searches one after the other anyway.
 */
public record Collapse(Span span, String field, List<InnerHits> innerHits, Optional<Integer> maxConcurrentGroupSearches) {

    public Collapse {
        requireNonNull(span, "span");
        Checks.notBlank(field, "field");
        innerHits = List.copyOf(innerHits);
        var names = new HashSet<String>();
        for (var inner : innerHits) {
            if (!names.add(inner.name().orElse(field))) {
                throw new IllegalArgumentException("[inner_hits] already contains an entry for key [" + inner.name().orElse(field) + "]");
            }
        }
        requireNonNull(maxConcurrentGroupSearches, "maxConcurrentGroupSearches");
        maxConcurrentGroupSearches.ifPresent(m -> {
            if (m < 1) {
                throw new IllegalArgumentException("max_concurrent_group_searches must be positive, got " + m);
            }
        });
    }

    /** Collapsing without inner hits. */
    public Collapse(Span span, String field) {
        this(span, field, List.of(), Optional.empty());
    }
}
