package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A retriever: a node of a retrieval tree that produces ranked hits.
 *
 * <p>Leaves ({@code standard}, {@code knn}) search the index; compound retrievers ({@code rescorer}, {@code rrf},
 * {@code linear}) run their children as sub-searches and merge or rescore the top {@code rank_window_size} hits.
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

    /** The retriever's name in JSON: {@code standard}, {@code knn}, {@code rescorer}, {@code rrf} or {@code linear}. */
    default String type() {
        return switch (this) {
            case Standard s -> "standard";
            case Knn k -> "knn";
            case Rescorer r -> "rescorer";
            case Rrf r -> "rrf";
            case Linear l -> "linear";
        };
    }

    /** Elasticsearch's {@code rank_window_size} of {@code rrf} and {@code linear} when none is given. */
    int DEFAULT_RANK_WINDOW_SIZE = 10;

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
            checkCompoundChild(retriever);
        }

        /** The window of this retriever: the smallest window of its rescorers (Elasticsearch's rule). */
        public int rankWindowSize() {
            return rescore.stream().mapToInt(Rescore::effectiveWindowSize).min().orElseThrow();
        }
    }

    /** The {@code k} nearest neighbours of a query vector in a {@code dense_vector} field. */
    record Knn(
            Span span,
            String field,
            QueryVector queryVector,
            Optional<Integer> k,
            Optional<Integer> numCandidates,
            Optional<Float> similarity,
            List<Query> filter,
            Optional<Float> minScore,
            Optional<String> name)
            implements Retriever {
        public Knn {
            requireNonNull(span, "span");
            Checks.notBlank(field, "field");
            requireNonNull(queryVector, "queryVector");
            Checks.knn(k, numCandidates);
            Checks.finite(similarity, "similarity");
            filter = List.copyOf(filter);
            Checks.finite(minScore, "min_score");
            requireNonNull(name, "name");
        }
    }

    /** Reciprocal rank fusion: each child's hit scores {@code weight / (rank_constant + rank)}, summed per document. */
    record Rrf(
            Span span,
            List<Component> retrievers,
            Optional<Integer> rankWindowSize,
            Optional<Integer> rankConstant,
            List<Query> filter,
            Optional<Float> minScore,
            Optional<String> name)
            implements Retriever {

        /** Elasticsearch's {@code rank_constant} when none is given. */
        public static final int DEFAULT_RANK_CONSTANT = 60;

        /** Elasticsearch's message for a {@code rank_constant} below 1. */
        public static final String RANK_CONSTANT_MESSAGE = "[rank_constant] must be greater or equal to [1] for [rrf]";

        public Rrf {
            requireNonNull(span, "span");
            retrievers = List.copyOf(retrievers);
            if (retrievers.isEmpty()) {
                throw new IllegalArgumentException(emptyRetrieversMessage("rrf"));
            }
            checkRankWindowSize(rankWindowSize);
            requireNonNull(rankConstant, "rankConstant");
            rankConstant.ifPresent(c -> {
                if (c < 1) {
                    throw new IllegalArgumentException(RANK_CONSTANT_MESSAGE);
                }
            });
            filter = List.copyOf(filter);
            Checks.finite(minScore, "min_score");
            requireNonNull(name, "name");
        }

        /** The window each child fills and the fused list is cut to: {@code rank_window_size}, or 10. */
        public int effectiveRankWindowSize() {
            return rankWindowSize.orElse(DEFAULT_RANK_WINDOW_SIZE);
        }

        /** The {@code rank_constant}, or 60. */
        public int effectiveRankConstant() {
            return rankConstant.orElse(DEFAULT_RANK_CONSTANT);
        }

        /**
         * One child of an {@code rrf} retriever. JSON writes it as the bare retriever object, or, when a weight is
         * given, as {@code {"retriever": ..., "weight": w}}.
         */
        public record Component(Span span, Retriever retriever, Optional<Float> weight) {

            public Component {
                requireNonNull(span, "span");
                requireNonNull(retriever, "retriever");
                checkWeight(weight);
                checkCompoundChild(retriever);
            }

            /** The child with no weight. */
            public static Component of(Retriever retriever) {
                return new Component(retriever.span(), retriever, Optional.empty());
            }

            /** The {@code weight}, or 1. */
            public float effectiveWeight() {
                return weight.orElse(1f);
            }
        }
    }

    /** A weighted sum of the children's (optionally normalized) scores. */
    record Linear(
            Span span,
            List<Component> retrievers,
            Optional<Integer> rankWindowSize,
            Optional<ScoreNormalizer> normalizer,
            List<Query> filter,
            Optional<Float> minScore,
            Optional<String> name)
            implements Retriever {
        public Linear {
            requireNonNull(span, "span");
            retrievers = List.copyOf(retrievers);
            if (retrievers.isEmpty()) {
                throw new IllegalArgumentException(emptyRetrieversMessage("linear"));
            }
            checkRankWindowSize(rankWindowSize);
            requireNonNull(normalizer, "normalizer");
            filter = List.copyOf(filter);
            Checks.finite(minScore, "min_score");
            requireNonNull(name, "name");
        }

        /** The window each child fills and the combined list is cut to: {@code rank_window_size}, or 10. */
        public int effectiveRankWindowSize() {
            return rankWindowSize.orElse(DEFAULT_RANK_WINDOW_SIZE);
        }

        /** One weighted child of a {@code linear} retriever, with its own normalizer if given. */
        public record Component(
                Span span, Retriever retriever, Optional<Float> weight, Optional<ScoreNormalizer> normalizer) {

            public Component {
                requireNonNull(span, "span");
                requireNonNull(retriever, "retriever");
                checkWeight(weight);
                requireNonNull(normalizer, "normalizer");
                checkCompoundChild(retriever);
            }

            /** The {@code weight}, or 1. */
            public float effectiveWeight() {
                return weight.orElse(1f);
            }

            /** The normalizer that applies: this child's, else the retriever's, else {@code none}. */
            public ScoreNormalizer effectiveNormalizer(Optional<ScoreNormalizer> retrieverNormalizer) {
                return normalizer.or(() -> retrieverNormalizer).orElse(ScoreNormalizer.NONE);
            }
        }
    }

    /** Elasticsearch's message for a compound retriever without children (it also knows a {@code query} form). */
    static String emptyRetrieversMessage(String type) {
        return "[" + type + "] must provide [retrievers] or [query]";
    }

    /** Elasticsearch's message for a negative {@code rank_window_size} (a zero window is allowed). */
    static String negativeRankWindowSizeMessage(int rankWindowSize) {
        return "[rank_window_size] parameter cannot be negative, found [" + rankWindowSize + "]";
    }

    private static void checkRankWindowSize(Optional<Integer> rankWindowSize) {
        requireNonNull(rankWindowSize, "rankWindowSize");
        rankWindowSize.ifPresent(w -> {
            if (w < 0) {
                throw new IllegalArgumentException(negativeRankWindowSizeMessage(w));
            }
        });
    }

    private static void checkWeight(Optional<Float> weight) {
        Checks.finite(weight, "weight");
        weight.ifPresent(w -> {
            if (w < 0) {
                throw new IllegalArgumentException("[weight] must be non-negative");
            }
        });
    }

    /** A child runs as a sub-search of its compound parent, which pages on its own (Elasticsearch's rule). */
    private static void checkCompoundChild(Retriever retriever) {
        if (retriever instanceof Standard child) {
            if (!child.searchAfter().isEmpty()) {
                throw new IllegalArgumentException("[search_after] cannot be used in children of compound retrievers");
            }
            if (child.terminateAfter().isPresent()) {
                throw new IllegalArgumentException(
                        "[terminate_after] cannot be used in children of compound retrievers");
            }
        }
    }
}
