package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A retriever: a node of a retrieval tree that produces ranked hits.
 *
 * <p>Compound retrievers ({@code rrf}, {@code linear}) and {@code knn} join this hierarchy as further records.
 */
public sealed interface Retriever {

    /** Where the retriever was written. */
    Span span();

    /** Pre-filters that restrict the documents this retriever may return. */
    List<Query> filter();

    /** The {@code min_score}, if given. */
    Optional<Float> minScore();

    /** The {@code _name}, if given. */
    Optional<String> name();

    /** The retriever's name in JSON: {@code standard} or {@code rescorer}. */
    default String type() {
        return switch (this) {
            case Standard s -> "standard";
            case Rescorer r -> "rescorer";
        };
    }

    /** A query, its filters, sort and collapse: the classic search as a retriever. */
    record Standard(
            Span span,
            Optional<Query> query,
            List<Query> filter,
            Optional<Float> minScore,
            Optional<Collapse> collapse,
            List<SortField> sort,
            List<Value> searchAfter,
            Optional<Integer> terminateAfter,
            Optional<String> name)
            implements Retriever {
        public Standard {
            requireNonNull(span, "span");
            requireNonNull(query, "query");
            filter = List.copyOf(filter);
            Checks.finite(minScore, "min_score");
            requireNonNull(collapse, "collapse");
            sort = List.copyOf(sort);
            searchAfter = Checks.searchAfter(searchAfter);
            Checks.nonNegative(terminateAfter, "terminate_after");
            requireNonNull(name, "name");
        }
    }

    /** Rescores the top hits of a child retriever with one or more rescorers in order. */
    record Rescorer(
            Span span,
            Retriever retriever,
            List<Rescore> rescore,
            List<Query> filter,
            Optional<Float> minScore,
            Optional<String> name)
            implements Retriever {
        public Rescorer {
            requireNonNull(span, "span");
            requireNonNull(retriever, "retriever");
            rescore = List.copyOf(rescore);
            if (rescore.isEmpty()) {
                throw new IllegalArgumentException("Missing rescore definition");
            }
            filter = List.copyOf(filter);
            Checks.finite(minScore, "min_score");
            requireNonNull(name, "name");
            if (retriever instanceof Standard child) {
                // The child runs as a sub-search of the compound retriever, which pages on its own.
                if (!child.searchAfter().isEmpty()) {
                    throw new IllegalArgumentException(
                            "[search_after] cannot be used in children of compound retrievers");
                }
                if (child.terminateAfter().isPresent()) {
                    throw new IllegalArgumentException(
                            "[terminate_after] cannot be used in children of compound retrievers");
                }
            }
        }

        /** The window of this retriever: the smallest window of its rescorers (Elasticsearch's rule). */
        public int rankWindowSize() {
            return rescore.stream().mapToInt(Rescore::effectiveWindowSize).min().orElseThrow();
        }
    }
}
