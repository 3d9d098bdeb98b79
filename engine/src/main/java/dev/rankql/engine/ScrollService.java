package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.engine.search.SearchOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Elasticsearch's scroll API over an engine's indices, thread-safe: live contexts for long-lived processes (the HTTP
 * server, an embedding application) and self-contained cursors for processes that end after each page (the CLI).
 */
final class ScrollService {

    private final Function<String, IndexHandle> handles;
    private final Function<String, Optional<IndexHandle>> lookup;
    private final SearchExecutor.ModelLookup models;
    private final LongSupplier searchClock;
    private final Supplier<Duration> defaultTimeout;
    private final ScrollContexts contexts = new ScrollContexts();
    private volatile Duration maxKeepAlive = ScrollRequests.DEFAULT_MAX_KEEP_ALIVE;

    ScrollService(Function<String, IndexHandle> handles, Function<String, Optional<IndexHandle>> lookup,
            SearchExecutor.ModelLookup models, LongSupplier searchClock, Supplier<Duration> defaultTimeout) {
        this.handles = requireNonNull(handles, "handles");
        this.lookup = requireNonNull(lookup, "lookup");
        this.models = requireNonNull(models, "models");
        this.searchClock = requireNonNull(searchClock, "searchClock");
        this.defaultTimeout = requireNonNull(defaultTimeout, "defaultTimeout");
    }

    ScrollContexts contexts() {
        return contexts;
    }

    void maxKeepAlive(Duration max) {
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("search.max_keep_alive must be positive, got " + max);
        }
        maxKeepAlive = max;
    }

    /** The first page of a scroll held open in this process, and the id of its context. */
    ScrollResponse open(String name, SearchRequest request, SearchOptions options, Duration keepAlive, boolean requestCache) {
        ScrollRequests.validate(request, options, requestCache);
        var handle = handles.apply(name);
        ScrollRequests.checkKeepAlive(name, keepAlive, maxKeepAlive);
        int batch = ScrollRequests.batchSize(request, options);
        ScrollRequests.checkBatchSize(name, batch, handle.metadata().settings().maxResultWindow());
        var counted = ScrollRequests.counted(request);
        var pageOptions = pageOptions(options, batch);
        IndexSearcher searcher;
        try {
            searcher = handle.acquireForSearch();
        } catch (AlreadyClosedException e) {
            throw EngineException.indexNotFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScrollContexts.Context context;
        try {
            context = contexts.open(name, handle, searcher, ScrollRequests.continuation(counted), pageOptions,
                    keepAlive.toMillis());
        } catch (RuntimeException e) {
            release(handle, searcher);
            throw e;
        }
        synchronized (context) {
            try {
                var page = page(handle, name, searcher, counted, pageOptions, null);
                context.after(page.last().orElse(null));
                return new ScrollResponse(ScrollContexts.encode(context.id), page.response());
            } catch (RuntimeException e) {
                // Elasticsearch frees the context of a scroll whose first page failed.
                contexts.free(context.id);
                throw e;
            }
        }
    }

    /** The first page of a scroll whose id carries its whole state, for processes that end after each page. */
    ScrollResponse openCursor(String name, SearchRequest request, SearchOptions options, Duration keepAlive) {
        ScrollRequests.validate(request, options);
        var handle = handles.apply(name);
        ScrollRequests.checkKeepAlive(name, keepAlive, maxKeepAlive);
        int batch = ScrollRequests.batchSize(request, options);
        ScrollRequests.checkBatchSize(name, batch, handle.metadata().settings().maxResultWindow());
        var counted = ScrollRequests.counted(request);
        var pageOptions = pageOptions(options, batch);
        return withSearcher(handle, name, searcher -> {
            var page = page(handle, name, searcher, counted, pageOptions, null);
            long now = contexts.now();
            var cursor = new ScrollCursor(name, handle.metadata().uuid(), readerVersion(searcher),
                    ScrollRequests.continuation(counted), batch, options.explain(), keepAlive.toMillis(),
                    saturatedAdd(now, keepAlive.toMillis()), page.last().orElse(null));
            return new ScrollResponse(cursor.encode(), page.response());
        });
    }

    /** The next page of scroll {@code scrollId}; {@code keepAlive}, when given, replaces the context's keep-alive. */
    ScrollResponse next(String scrollId, Optional<Duration> keepAlive) {
        if (scrollId == null || scrollId.isBlank()) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: scrollId is missing;", 400);
        }
        var decoded = decode(scrollId);
        var live = ScrollContexts.decodeLive(decoded);
        if (live.isPresent()) {
            return nextLive(live.get(), keepAlive);
        }
        if (decoded.startsWith(ScrollCursor.PREFIX)) {
            return nextCursor(ScrollCursor.decode(decoded.substring(ScrollCursor.PREFIX.length())), keepAlive);
        }
        throw ScrollRequests.cannotParse();
    }

    private ScrollResponse nextLive(long id, Optional<Duration> keepAlive) {
        var context = contexts.find(id);
        keepAlive.ifPresent(k -> ScrollRequests.checkKeepAlive(context.index, k, maxKeepAlive));
        synchronized (context) {
            if (ScrollContexts.freed(context)) {
                throw ScrollRequests.contextMissing(id);
            }
            var current = lookup.apply(context.index);
            if (current.isEmpty() || current.get() != context.handle) {
                // The index was deleted (and perhaps re-created): Elasticsearch frees its contexts with it.
                contexts.free(id);
                throw ScrollRequests.contextMissing(id);
            }
            try {
                var page = page(context.handle, context.index, context.searcher, context.request, context.options,
                        context.after());
                page.last().ifPresent(context::after);
                context.touch(contexts.now(), keepAlive.map(Duration::toMillis));
                return new ScrollResponse(ScrollContexts.encode(id), page.response());
            } catch (AlreadyClosedException e) {
                contexts.free(id);
                throw ScrollRequests.contextMissing(id);
            }
        }
    }

    private ScrollResponse nextCursor(ScrollCursor cursor, Optional<Duration> keepAlive) {
        long now = contexts.now();
        if (now > cursor.expiresAtMillis()) {
            throw cursorMissing(cursor, "its keep-alive [" + ScrollRequests.humanTime(cursor.keepAlive()) + "] has run out");
        }
        keepAlive.ifPresent(k -> ScrollRequests.checkKeepAlive(cursor.index(), k, maxKeepAlive));
        var handle = lookup.apply(cursor.index())
                .filter(h -> h.metadata().uuid().equals(cursor.indexUuid()))
                .orElseThrow(() -> cursorMissing(cursor, "the index no longer exists"));
        // The id came from the user: it is held to the rules its first page was, in case it was edited since.
        ScrollRequests.validate(cursor.request(), cursor.options());
        ScrollRequests.checkBatchSize(cursor.index(), cursor.batchSize(), handle.metadata().settings().maxResultWindow());
        return withSearcher(handle, cursor.index(), searcher -> {
            if (readerVersion(searcher) != cursor.readerVersion()) {
                throw cursorMissing(cursor, "the index has changed since the scroll began, so later pages would not be "
                        + "consistent with the first; start a new scroll");
            }
            SearchExecutor.ScrollPage page;
            try {
                page = page(handle, cursor.index(), searcher, cursor.request(), cursor.options(), cursor.after());
            } catch (ClassCastException | ArrayIndexOutOfBoundsException e) {
                // Only an edited id can hold sort values of the wrong kind for its own request.
                throw ScrollRequests.cannotParse();
            }
            long keep = keepAlive.map(Duration::toMillis).orElse(cursor.keepAliveMillis());
            var next = cursor.next(page.last().orElse(cursor.after()), keep, saturatedAdd(now, keep));
            return new ScrollResponse(next.encode(), page.response());
        });
    }

    /** Frees the scrolls {@code scrollIds}; a cursor holds nothing, so clearing it frees nothing. */
    ClearScrollResponse clear(List<String> scrollIds) {
        if (scrollIds.isEmpty()) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: no scroll ids specified;",
                    400);
        }
        if (scrollIds.contains("_all")) {
            return clearAll();
        }
        var ids = new java.util.ArrayList<Long>();
        for (var scrollId : scrollIds) {
            var decoded = decode(scrollId);
            var live = ScrollContexts.decodeLive(decoded);
            if (live.isPresent()) {
                ids.add(live.get());
            } else if (decoded.startsWith(ScrollCursor.PREFIX)) {
                ScrollCursor.decode(decoded.substring(ScrollCursor.PREFIX.length()));
            } else {
                throw ScrollRequests.cannotParse();
            }
        }
        contexts.reap();
        int freed = 0;
        for (var id : ids) {
            if (contexts.free(id)) {
                freed++;
            }
        }
        return new ClearScrollResponse(freed);
    }

    ClearScrollResponse clearAll() {
        contexts.reap();
        return new ClearScrollResponse(contexts.freeAll());
    }

    private SearchOptions pageOptions(SearchOptions options, int batch) {
        return new SearchOptions(Optional.empty(), Optional.of(batch), options.explain(), options.timeout());
    }

    private SearchExecutor.ScrollPage page(IndexHandle handle, String name, IndexSearcher searcher, SearchRequest request,
            SearchOptions options, org.apache.lucene.search.ScoreDoc after) {
        var context = handle.searchContext(name);
        // As a search does: the server's default timeout applies when neither the URL nor the body sets one.
        var effective = options.timeout().isEmpty() && request.timeout().isEmpty()
                ? options.withTimeout(defaultTimeout.get())
                : options;
        return SearchExecutor.executeScrollPage(context.view(), searcher, request, effective, models,
                searchClock, context.queries(), after);
    }

    private interface SearcherWork<T> {
        T run(IndexSearcher searcher);
    }

    private static <T> T withSearcher(IndexHandle handle, String name, SearcherWork<T> work) {
        IndexSearcher searcher;
        try {
            searcher = handle.acquireForSearch();
        } catch (AlreadyClosedException e) {
            throw EngineException.indexNotFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return work.run(searcher);
        } catch (AlreadyClosedException e) {
            throw EngineException.indexNotFound(name);
        } finally {
            release(handle, searcher);
        }
    }

    private static void release(IndexHandle handle, IndexSearcher searcher) {
        try {
            handle.release(searcher);
        } catch (IOException | AlreadyClosedException e) {
            // The index is closing: its reader goes with it.
        }
    }

    private static long readerVersion(IndexSearcher searcher) {
        if (searcher.getIndexReader() instanceof DirectoryReader reader) {
            return reader.getVersion();
        }
        throw new IllegalStateException("searches read a DirectoryReader, got " + searcher.getIndexReader().getClass().getName());
    }

    private static EngineException cursorMissing(ScrollCursor cursor, String why) {
        return EngineException.shardFailure(cursor.index(), new EngineException("search_context_missing_exception",
                "No search context found for this scroll of index [" + cursor.index() + "]: " + why, 404));
    }

    /** The text inside a scroll id, or Elasticsearch's "Cannot parse scroll id". */
    private static String decode(String scrollId) {
        if (scrollId == null || scrollId.isBlank()) {
            throw ScrollRequests.cannotParse();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(scrollId.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ScrollRequests.cannotParse();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
