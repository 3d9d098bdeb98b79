package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search request: either a {@code retriever} tree, or the classic {@code query} with a {@code rescore} list, and
 * the request-level options around it.
 *
 * <p>{@code index} is the target named in the DSL ({@code FROM products}); it is not part of an Elasticsearch body.
 * {@code ext} holds the request's {@code ext} section, where rankql reads its own options under {@code ext.rankql}.
 * {@code knn} holds the top-level {@code knn} searches (written as one object or an array), and {@code aggregations}
 * the named aggregations in the order they were written. {@code hitOptions} holds what each hit carries beyond the
 * defaults ({@code version}, {@code seq_no_primary_term}, {@code track_scores}, {@code fields}).
 */
public record SearchRequest(
        Span span,
        Optional<String> index,
        Optional<Retriever> retriever,
        Optional<Query> query,
        List<Rescore> rescore,
        Optional<Integer> from,
        Optional<Integer> size,
        Optional<Float> minScore,
        Optional<Boolean> explain,
        Optional<Boolean> profile,
        Optional<SourceFilter> source,
        Optional<TrackTotalHits> trackTotalHits,
        Optional<Collapse> collapse,
        List<SortField> sort,
        List<Value> searchAfter,
        Optional<Integer> terminateAfter,
        Map<String, Value> ext,
        List<KnnSearch> knn,
        Map<String, Aggregation> aggregations,
        HitOptions hitOptions) {

    public SearchRequest {
        requireNonNull(span, "span");
        requireNonNull(index, "index");
        index.ifPresent(i -> Checks.notBlank(i, "index"));
        requireNonNull(retriever, "retriever");
        requireNonNull(query, "query");
        rescore = List.copyOf(rescore);
        requireNonNull(from, "from");
        from.ifPresent(f -> {
            if (f < 0) {
                throw new IllegalArgumentException(negativeFromMessage(f));
            }
        });
        requireNonNull(size, "size");
        size.ifPresent(s -> {
            if (s < 0) {
                throw new IllegalArgumentException(negativeSizeMessage(s));
            }
        });
        Checks.finite(minScore, "min_score");
        requireNonNull(explain, "explain");
        requireNonNull(profile, "profile");
        requireNonNull(source, "source");
        requireNonNull(trackTotalHits, "trackTotalHits");
        requireNonNull(collapse, "collapse");
        sort = List.copyOf(sort);
        searchAfter = Checks.searchAfter(searchAfter);
        Checks.nonNegative(terminateAfter, "terminate_after");
        ext = Value.copyOf(ext);
        knn = List.copyOf(knn);
        aggregations = copyOf(aggregations);
        requireNonNull(hitOptions, "hitOptions");
        if (retriever.isPresent()) {
            var conflicts = conflictsWithRetriever(
                    query.isPresent(),
                    !knn.isEmpty(),
                    !rescore.isEmpty(),
                    minScore.isPresent(),
                    !sort.isEmpty(),
                    !searchAfter.isEmpty(),
                    terminateAfter.isPresent());
            if (!conflicts.isEmpty()) {
                throw new IllegalArgumentException(retrieverConflictMessage(conflicts));
            }
        }
    }

    /** A request whose hits carry Elasticsearch's defaults only (the shape before {@link HitOptions} existed). */
    public SearchRequest(
            Span span,
            Optional<String> index,
            Optional<Retriever> retriever,
            Optional<Query> query,
            List<Rescore> rescore,
            Optional<Integer> from,
            Optional<Integer> size,
            Optional<Float> minScore,
            Optional<Boolean> explain,
            Optional<Boolean> profile,
            Optional<SourceFilter> source,
            Optional<TrackTotalHits> trackTotalHits,
            Optional<Collapse> collapse,
            List<SortField> sort,
            List<Value> searchAfter,
            Optional<Integer> terminateAfter,
            Map<String, Value> ext,
            List<KnnSearch> knn,
            Map<String, Aggregation> aggregations) {
        this(span, index, retriever, query, rescore, from, size, minScore, explain, profile, source, trackTotalHits,
                collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, HitOptions.NONE);
    }

    /**
     * A request without top-level {@code knn} searches or aggregations: the shape before they existed, kept so that
     * code building plain searches need not spell out two empty components.
     */
    public SearchRequest(
            Span span,
            Optional<String> index,
            Optional<Retriever> retriever,
            Optional<Query> query,
            List<Rescore> rescore,
            Optional<Integer> from,
            Optional<Integer> size,
            Optional<Float> minScore,
            Optional<Boolean> explain,
            Optional<Boolean> profile,
            Optional<SourceFilter> source,
            Optional<TrackTotalHits> trackTotalHits,
            Optional<Collapse> collapse,
            List<SortField> sort,
            List<Value> searchAfter,
            Optional<Integer> terminateAfter,
            Map<String, Value> ext) {
        this(span, index, retriever, query, rescore, from, size, minScore, explain, profile, source, trackTotalHits,
                collapse, sort, searchAfter, terminateAfter, ext, List.of(), Map.of());
    }

    /** An empty request: every option unset, which Elasticsearch runs as {@code match_all}. */
    public static SearchRequest empty() {
        return new SearchRequest(
                Span.NONE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                Map.of(),
                List.of(),
                Map.of());
    }

    /** The same request without the DSL's target index, as it is sent to Elasticsearch. */
    public SearchRequest withoutIndex() {
        return withIndex(Optional.empty());
    }

    /** The same request aimed at {@code index}. */
    public SearchRequest withIndex(Optional<String> index) {
        return new SearchRequest(span, index, retriever, query, rescore, from, size, minScore, explain, profile,
                source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, hitOptions);
    }

    /** The same request with {@code from} and {@code size} replaced, as URL parameters replace them. */
    public SearchRequest withPage(Optional<Integer> from, Optional<Integer> size) {
        return new SearchRequest(span, index, retriever, query, rescore, from, size, minScore, explain, profile,
                source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, hitOptions);
    }

    private static Map<String, Aggregation> copyOf(Map<String, Aggregation> aggregations) {
        var copy = new LinkedHashMap<String, Aggregation>();
        aggregations.forEach((name, aggregation) -> {
            Checks.notBlank(name, "aggregation name");
            copy.put(name, requireNonNull(aggregation, "aggregation " + name));
        });
        return Collections.unmodifiableMap(copy);
    }

    /** Elasticsearch's message for a negative {@code from}. */
    public static String negativeFromMessage(int from) {
        return "[from] parameter cannot be negative but was [" + from + "]";
    }

    /** Elasticsearch's message for a negative {@code size} (worded unlike the one for {@code from}). */
    public static String negativeSizeMessage(int size) {
        return "[size] parameter cannot be negative, found [" + size + "]";
    }

    /**
     * The top-level options that Elasticsearch refuses beside a {@code retriever}, in its order: query, knn,
     * search_after, terminate_after, sort, rescore, min_score.
     */
    public static List<String> conflictsWithRetriever(
            boolean query,
            boolean knn,
            boolean rescore,
            boolean minScore,
            boolean sort,
            boolean searchAfter,
            boolean terminateAfter) {
        var names = new ArrayList<String>();
        if (query) {
            names.add("query");
        }
        if (knn) {
            names.add("knn");
        }
        if (searchAfter) {
            names.add("search_after");
        }
        if (terminateAfter) {
            names.add("terminate_after");
        }
        if (sort) {
            names.add("sort");
        }
        if (rescore) {
            names.add("rescore");
        }
        if (minScore) {
            names.add("min_score");
        }
        return names;
    }

    /** Elasticsearch's message for options given beside a retriever: {@code cannot specify [retriever] and [...]}. */
    public static String retrieverConflictMessage(List<String> conflicts) {
        return "cannot specify [retriever] and [" + String.join(", ", conflicts) + "]";
    }
}
