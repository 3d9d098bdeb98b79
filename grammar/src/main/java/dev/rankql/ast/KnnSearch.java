package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A top-level {@code knn} search option: the {@code k} nearest neighbours of a query vector, whose hits join those
 * of the {@code query} (scores add up) or stand alone when there is no query.
 */
public record KnnSearch(
        Span span,
        String field,
        QueryVector queryVector,
        Optional<Integer> k,
        Optional<Integer> numCandidates,
        Optional<Float> similarity,
        List<Query> filter,
        Optional<Float> boost,
        Optional<String> name) {

    public KnnSearch {
        requireNonNull(span, "span");
        Checks.notBlank(field, "field");
        requireNonNull(queryVector, "queryVector");
        Checks.knn(k, numCandidates);
        Checks.finite(similarity, "similarity");
        filter = List.copyOf(filter);
        Checks.common(boost, name);
    }
}
