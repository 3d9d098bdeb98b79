package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
 * defaults ({@code version}, {@code seq_no_primary_term}, {@code track_scores}, {@code fields}). {@code timeout} is
 * Elasticsearch's search {@code timeout}: the time the query phase may take before it stops collecting and answers
 * with what it has ({@code timed_out: true}); {@link #NO_TIMEOUT} ({@code -1}) asks for none, overriding a server's
 * default.
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
        HitOptions hitOptions,
        Optional<Duration> timeout) {

    /** Elasticsearch's {@code -1}: no timeout, even where the server sets a default one. */
    public static final Duration NO_TIMEOUT = Duration.ofMillis(-1);

    /** Elasticsearch's time units, longest first, as they are written after the number. */
    private static final List<Map.Entry<String, ChronoUnit>> TIME_UNITS = List.of(
            Map.entry("d", ChronoUnit.DAYS),
            Map.entry("h", ChronoUnit.HOURS),
            Map.entry("m", ChronoUnit.MINUTES),
            Map.entry("s", ChronoUnit.SECONDS),
            Map.entry("ms", ChronoUnit.MILLIS),
            Map.entry("micros", ChronoUnit.MICROS),
            Map.entry("nanos", ChronoUnit.NANOS));

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
        requireNonNull(timeout, "timeout");
        timeout.ifPresent(t -> {
            if (t.isNegative() && TIME_UNITS.stream().noneMatch(u -> t.equals(Duration.of(-1, u.getValue())))) {
                throw new IllegalArgumentException("[timeout] must not be negative except -1 (no timeout), found ["
                        + formatTimeout(t) + "]");
            }
        });
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

    /** A request with Elasticsearch's default hit options and no {@code timeout}: the shape before both were read. */
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
                collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, HitOptions.NONE, Optional.empty());
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
                Map.of(),
                HitOptions.NONE,
                Optional.empty());
    }

    /** The same request without the DSL's target index, as it is sent to Elasticsearch. */
    public SearchRequest withoutIndex() {
        return withIndex(Optional.empty());
    }

    /** The same request aimed at {@code index}. */
    public SearchRequest withIndex(Optional<String> index) {
        return new SearchRequest(span, index, retriever, query, rescore, from, size, minScore, explain, profile,
                source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, hitOptions, timeout);
    }

    /** The same request with {@code from} and {@code size} replaced, as URL parameters replace them. */
    public SearchRequest withPage(Optional<Integer> from, Optional<Integer> size) {
        return new SearchRequest(span, index, retriever, query, rescore, from, size, minScore, explain, profile,
                source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, hitOptions, timeout);
    }

    /** The same request with {@code timeout} replaced, as the URL parameter replaces it. */
    public SearchRequest withTimeout(Optional<Duration> timeout) {
        return new SearchRequest(span, index, retriever, query, rescore, from, size, minScore, explain, profile,
                source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggregations, hitOptions, timeout);
    }

    /**
     * Reads an Elasticsearch time value ({@code 500ms}, {@code 2s}, {@code 1m}, {@code 0}, {@code -1}) with its units
     * {@code d h m s ms micros nanos}; {@code setting} names it in the errors, which are Elasticsearch's. A count too
     * large for a {@link Duration} saturates at the largest one, which no search outlives.
     */
    public static Duration parseTimeValue(String text, String setting) {
        var normalized = text.toLowerCase(java.util.Locale.ROOT).strip();
        // Longest suffix first, so that "ms" and "micros" are not read as "s"; only "m" is case-sensitive ("M").
        for (var suffix : List.of("nanos", "micros", "ms", "s", "m", "h", "d")) {
            boolean matches = suffix.equals("m") ? text.strip().endsWith("m") : normalized.endsWith(suffix);
            if (!matches) {
                continue;
            }
            var number = normalized.substring(0, normalized.length() - suffix.length()).strip();
            long amount;
            try {
                amount = Long.parseLong(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("failed to parse [" + text + "]" + (isDecimal(number)
                        ? ", fractional time values are not supported" : ""));
            }
            if (amount < -1) {
                throw new IllegalArgumentException("failed to parse setting [" + setting + "] with value [" + text
                        + "] as a time value: negative durations are not supported");
            }
            var unit = TIME_UNITS.stream().filter(u -> u.getKey().equals(suffix)).findFirst().orElseThrow().getValue();
            try {
                return Duration.of(amount, unit);
            } catch (ArithmeticException e) {
                return Duration.ofSeconds(Long.MAX_VALUE);
            }
        }
        if (normalized.matches("-0*1")) {
            return NO_TIMEOUT;
        }
        if (normalized.matches("0+")) {
            return Duration.ZERO;
        }
        throw new IllegalArgumentException("failed to parse setting [" + setting + "] with value [" + text
                + "] as a time value: unit is missing or unrecognized");
    }

    private static boolean isDecimal(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A time value as Elasticsearch writes one, in the largest unit that holds it exactly; {@code -1} for none. */
    public static String formatTimeout(Duration timeout) {
        if (timeout.equals(NO_TIMEOUT)) {
            return "-1";
        }
        if (timeout.isZero()) {
            return "0s";
        }
        for (var unit : TIME_UNITS) {
            var length = unit.getValue().getDuration();
            // Exact in this unit: a whole number of units, which dividedBy then returns without rounding.
            long count = timeout.dividedBy(length);
            if (length.multipliedBy(count).equals(timeout)) {
                return count + unit.getKey();
            }
        }
        throw new AssertionError("every duration is a whole number of nanoseconds: " + timeout);
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
