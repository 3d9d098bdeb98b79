package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.search.SearchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/**
 * The open scroll contexts of one engine, as Elasticsearch keeps them on a node: each pins the searcher its first page
 * ran on (a point in time, so later writes are not seen), remembers where its last page ended, and lives for its
 * keep-alive after each use, with at most {@code search.max_open_scroll_context} of them open (thread-safe).
 */
final class ScrollContexts {

    /** The prefix of a live context's id before base64, telling it from a self-contained cursor. */
    static final String LIVE_PREFIX = "rankql-scroll:";

    /** One open scroll: its index and pinned searcher, its request, and where the next page starts. */
    static final class Context {
        final long id;
        final String index;
        final IndexHandle handle;
        final IndexSearcher searcher;
        final SearchRequest request;
        final SearchOptions options;
        private long keepAliveMillis;
        private long expiresAtMillis;
        private ScoreDoc after;
        private boolean freed;

        Context(long id, String index, IndexHandle handle, IndexSearcher searcher, SearchRequest request, SearchOptions options,
                long keepAliveMillis, long now) {
            this.id = id;
            this.index = index;
            this.handle = handle;
            this.searcher = searcher;
            this.request = request;
            this.options = options;
            this.keepAliveMillis = keepAliveMillis;
            this.expiresAtMillis = saturatedAdd(now, keepAliveMillis);
        }

        ScoreDoc after() {
            return after;
        }

        void after(ScoreDoc last) {
            after = last;
        }

        /** Renews the keep-alive from {@code now}, with a new length when one is given. */
        void touch(long now, Optional<Long> newKeepAliveMillis) {
            newKeepAliveMillis.ifPresent(k -> keepAliveMillis = k);
            expiresAtMillis = saturatedAdd(now, keepAliveMillis);
        }

        boolean expired(long now) {
            return now > expiresAtMillis;
        }
    }

    private final Map<Long, Context> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object admission = new Object();
    private volatile LongSupplier clock = System::currentTimeMillis;
    private volatile int maxOpen = ScrollRequests.DEFAULT_MAX_OPEN_SCROLL_CONTEXTS;

    /** The clock keep-alives are measured on, in milliseconds; tests pass their own. */
    void clock(LongSupplier millis) {
        clock = requireNonNull(millis, "millis");
    }

    long now() {
        return clock.getAsLong();
    }

    void maxOpen(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("search.max_open_scroll_context must not be negative, got " + max);
        }
        maxOpen = max;
    }

    int size() {
        return open.size();
    }

    /**
     * Registers a context for {@code searcher} (which it now owns and releases when freed), or refuses with
     * Elasticsearch's too-many-contexts error once the limit is reached; expired contexts are freed first.
     */
    Context open(String index, IndexHandle handle, IndexSearcher searcher, SearchRequest request, SearchOptions options,
            long keepAliveMillis) {
        reap();
        synchronized (admission) {
            if (open.size() >= maxOpen) {
                throw ScrollRequests.tooManyContexts(index, maxOpen);
            }
            var context = new Context(ids.incrementAndGet(), index, handle, searcher, request, options, keepAliveMillis, now());
            open.put(context.id, context);
            return context;
        }
    }

    /** The live context {@code id}, or Elasticsearch's 404 when it never was, has expired or was freed. */
    Context find(long id) {
        reap();
        var context = open.get(id);
        if (context == null) {
            throw ScrollRequests.contextMissing(id);
        }
        return context;
    }

    /** Frees context {@code id}; whether it was open. */
    boolean free(long id) {
        var context = open.remove(id);
        if (context == null) {
            return false;
        }
        release(context);
        return true;
    }

    /** Frees every context; how many there were. */
    int freeAll() {
        int freed = 0;
        for (var id : List.copyOf(open.keySet())) {
            if (free(id)) {
                freed++;
            }
        }
        return freed;
    }

    /** Frees the contexts pinned on {@code handle}, whose index is going away. */
    void freeIndex(IndexHandle handle) {
        for (var context : List.copyOf(open.values())) {
            if (context.handle == handle) {
                free(context.id);
            }
        }
    }

    /** Frees every context whose keep-alive has run out, as Elasticsearch's reaper does. */
    void reap() {
        long now = now();
        var expired = new ArrayList<Long>();
        open.forEach((id, context) -> {
            if (context.expired(now)) {
                expired.add(id);
            }
        });
        expired.forEach(this::free);
    }

    private static void release(Context context) {
        synchronized (context) {
            if (context.freed) {
                return;
            }
            context.freed = true;
            try {
                context.handle.release(context.searcher);
            } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
                // The index is closing or gone: its reader goes with it.
            }
        }
    }

    /** Whether {@code context} was freed (cleared or expired) while a page waited for it. */
    static boolean freed(Context context) {
        return context.freed;
    }

    /** The scroll id of a live context: opaque base64, as Elasticsearch's are. */
    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((LIVE_PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The context number in a live id, or empty when {@code text} decodes to something else (a cursor, say). */
    static Optional<Long> decodeLive(String decoded) {
        if (!decoded.startsWith(LIVE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(decoded.substring(LIVE_PREFIX.length())));
        } catch (NumberFormatException e) {
            throw ScrollRequests.cannotParse();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
