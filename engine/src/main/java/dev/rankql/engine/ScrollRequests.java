package dev.rankql.engine;

import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.engine.search.SearchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Elasticsearch's rules for a search that opens a scroll, and the errors it answers when one is broken. */
final class ScrollRequests {

    /** Elasticsearch's {@code search.max_open_scroll_context} default. */
    static final int DEFAULT_MAX_OPEN_SCROLL_CONTEXTS = 500;

    /** Elasticsearch's {@code search.max_keep_alive} default. */
    static final Duration DEFAULT_MAX_KEEP_ALIVE = Duration.ofHours(24);

    private ScrollRequests() {}

    /**
     * The request with its URL-parameter overrides checked as Elasticsearch's request validation checks a scroll
     * search, all problems at once in its order ({@code Validation Failed: 1: ...;2: ...;}, 400); then rankql's own
     * refusals of what it cannot page.
     */
    static void validate(SearchRequest request, SearchOptions options) {
        validate(request, options, false);
    }

    /** {@link #validate(SearchRequest, SearchOptions)} with the {@code request_cache=true} URL parameter, refused last. */
    static void validate(SearchRequest request, SearchOptions options, boolean requestCache) {
        var problems = new ArrayList<String>();
        request.retriever().ifPresent(r -> compoundProblems(r, problems));
        var track = request.trackTotalHits();
        if (track.isPresent() && !accurate(track.get())) {
            problems.add("disabling [track_total_hits] is not allowed in a scroll context");
        }
        if (options.from().or(request::from).orElse(0) > 0) {
            problems.add("using [from] is not allowed in a scroll context");
        }
        if (options.size().or(request::size).orElse(-1) == 0) {
            problems.add("[size] cannot be [0] in a scroll context");
        }
        if (!request.rescore().isEmpty()) {
            problems.add("using [rescore] is not allowed in a scroll context");
        }
        if (!request.searchAfter().isEmpty()) {
            problems.add("[search_after] cannot be used in a scroll context");
        }
        boolean retrieverCollapse = request.retriever().map(r -> r instanceof Retriever.Standard s && s.collapse().isPresent())
                .orElse(false);
        if (request.collapse().isPresent() || retrieverCollapse) {
            problems.add("cannot use `collapse` in a scroll context");
        }
        if (requestCache) {
            problems.add("[request_cache] cannot be used in a scroll context");
        }
        if (!problems.isEmpty()) {
            var reason = new StringBuilder("Validation Failed: ");
            for (int i = 0; i < problems.size(); i++) {
                reason.append(i + 1).append(": ").append(problems.get(i)).append(';');
            }
            throw new EngineException("action_request_validation_exception", reason.toString(), 400);
        }
        boolean knn = !request.knn().isEmpty() || request.retriever().map(r -> r instanceof Retriever.Knn).orElse(false);
        if (knn) {
            // A kNN search finds its k nearest once; paging after its last hit would need the whole candidate list.
            throw EngineException.illegalArgument("rankql does not support [knn] in a scroll context; page with [from] "
                    + "and [size] instead");
        }
    }

    /** Elasticsearch refuses every compound retriever beside a scroll, the outer one first, then its children. */
    private static void compoundProblems(Retriever retriever, List<String> problems) {
        switch (retriever) {
            case Retriever.Standard s -> { }
            case Retriever.Knn k -> { }
            case Retriever.Rescorer r -> {
                problems.add(compoundMessage("rescorer"));
                compoundProblems(r.retriever(), problems);
            }
            case Retriever.Rrf r -> {
                problems.add(compoundMessage("rrf"));
                r.retrievers().forEach(c -> compoundProblems(c.retriever(), problems));
            }
            case Retriever.Linear l -> {
                problems.add(compoundMessage("linear"));
                l.retrievers().forEach(c -> compoundProblems(c.retriever(), problems));
            }
        }
    }

    private static String compoundMessage(String name) {
        return "cannot specify [" + name + "] and [scroll]";
    }

    /** Only an exact count keeps a scroll's totals right: {@code true}, or a bound no index reaches. */
    private static boolean accurate(TrackTotalHits track) {
        return switch (track) {
            case TrackTotalHits.Flag f -> f.enabled();
            case TrackTotalHits.UpTo u -> u.limit() == Integer.MAX_VALUE;
        };
    }

    /** The request a scroll runs: an exact total on every page, as Elasticsearch counts for a scroll whatever was asked. */
    static SearchRequest counted(SearchRequest r) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), r.source(), Optional.of(new TrackTotalHits.Flag(true)), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), r.aggregations(), r.hitOptions(), r.timeout());
    }

    /** The request of the pages after the first: Elasticsearch reports aggregations with the first page only. */
    static SearchRequest continuation(SearchRequest r) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(), r.minScore(),
                r.explain(), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), r.sort(), r.searchAfter(),
                r.terminateAfter(), r.ext(), r.knn(), Map.of(), r.hitOptions(), r.timeout());
    }

    /** The batch size of a scroll: the URL parameter's, else the body's, else Elasticsearch's 10. */
    static int batchSize(SearchRequest request, SearchOptions options) {
        return options.size().or(request::size).orElse(dev.rankql.engine.search.SearchExecutor.DEFAULT_SIZE);
    }

    /** Elasticsearch's refusal of a batch larger than the index's result window, as the shard raises it. */
    static void checkBatchSize(String index, int size, int maxResultWindow) {
        if (size > maxResultWindow) {
            throw EngineException.shardFailure(index, EngineException.illegalArgument("Batch size is too large, size must be "
                    + "less than or equal to: [" + maxResultWindow + "] but was [" + size + "]. Scroll batch sizes cost as "
                    + "much memory as result windows so they are controlled by the [index.max_result_window] index level "
                    + "setting."));
        }
    }

    /** Elasticsearch's refusal of a keep-alive above {@code search.max_keep_alive}. */
    static void checkKeepAlive(String index, Duration keepAlive, Duration max) {
        if (keepAlive.compareTo(max) > 0) {
            throw EngineException.shardFailure(index, EngineException.illegalArgument("Keep alive for request ("
                    + humanTime(keepAlive) + ") is too large. It must be less than (" + humanTime(max) + "). This limit can "
                    + "be set by changing the [search.max_keep_alive] cluster level setting."));
        }
    }

    /** Elasticsearch's refusal of one scroll context more than {@code search.max_open_scroll_context} (429). */
    static EngineException tooManyContexts(String index, int max) {
        return EngineException.shardFailure(index, new EngineException("too_many_scroll_contexts_exception",
                "Trying to create too many scroll contexts. Must be less than or equal to: [" + max + "]. This limit can be "
                        + "set by changing the [search.max_open_scroll_context] setting.", 429));
    }

    /** Elasticsearch's error for a scroll id whose context is gone (never was, expired, or cleared): 404. */
    static EngineException contextMissing(long id) {
        return EngineException.shardFailure(null, new EngineException("search_context_missing_exception",
                "No search context found for id [" + id + "]", 404));
    }

    /** Elasticsearch's error for a scroll id that is not one. */
    static EngineException cannotParse() {
        return EngineException.illegalArgument("Cannot parse scroll id");
    }

    /**
     * A duration as Elasticsearch prints a time value in messages: the largest unit in which it is at least one, with
     * at most one decimal, a trailing {@code .0} dropped ({@code 1d}, {@code 25h} prints as {@code 1d}).
     */
    static String humanTime(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.toDays() + "d";
        }
        String[] units = {"d", "h", "m", "s", "ms", "micros"};
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos >= sizes[i]) {
                var text = String.format(Locale.ROOT, "%.1f", (double) nanos / sizes[i]);
                return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + units[i];
            }
        }
        return nanos + "nanos";
    }
}
