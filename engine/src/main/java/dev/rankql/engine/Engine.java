package dev.rankql.engine;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.ltr.ModelRegistry;
import dev.rankql.engine.mapping.IndexSettings;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.Mappings;
import dev.rankql.engine.search.ExplainResponse;
import dev.rankql.engine.search.IndexView;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded engine: a data directory of indices, each a folder with {@code index.json} and a Lucene index, and
 * the operations Elasticsearch offers on them (create, get, delete, bulk, refresh, search). Thread-safe.
 */
public final class Engine implements Closeable {

    private static final String LOCK_NAME = "rankql.lock";

    private final Path dataDir;
    private final FSDirectory lockDirectory;
    private final Lock dataLock;
    private final Map<String, IndexHandle> indices = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> refreshers = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> syncers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ModelRegistry models;
    private final Object lifecycle = new Object();
    private final LongSupplier nanoClock;
    /** The clock search timeouts are measured on: apart from {@link #nanoClock}, which background refreshes read. */
    private final LongSupplier searchClock;
    private volatile java.time.Duration defaultSearchTimeout = EngineLimits.DEFAULT_SEARCH_TIMEOUT;
    private volatile boolean closed;
    private final ScrollService scrolls;

    private Engine(Path dataDir, LongSupplier nanoClock, LongSupplier searchClock) throws IOException {
        this.dataDir = dataDir;
        this.nanoClock = nanoClock;
        this.searchClock = searchClock;
        this.lockDirectory = FSDirectory.open(dataDir);
        try {
            this.dataLock = lockDirectory.obtainLock(LOCK_NAME);
        } catch (IOException e) {
            lockDirectory.close();
            throw new IOException("data directory [" + dataDir + "] is in use by another rankql engine", e);
        }
        try {
            this.models = ModelRegistry.open(dataDir);
        } catch (IOException e) {
            dataLock.close();
            lockDirectory.close();
            throw e;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "rankql-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.scrolls = new ScrollService(this::handle, name -> Optional.ofNullable(indices.get(name)), models::find, searchClock,
                () -> defaultSearchTimeout);
        // Elasticsearch's reaper (search.keep_alive_interval, 1m) frees the scroll contexts whose keep-alive ran out.
        scheduler.scheduleWithFixedDelay(scrolls.contexts()::reap, 1, 1, TimeUnit.MINUTES);
    }

    /** Opens (creating if needed) the data directory {@code dataDir} and every index in it. */
    public static Engine open(Path dataDir) throws IOException {
        return open(dataDir, System::nanoTime);
    }

    /** {@link #open(Path)} with the clock that decides when an index is search-idle; tests pass their own. */
    static Engine open(Path dataDir, LongSupplier nanoClock) throws IOException {
        return open(dataDir, nanoClock, System::nanoTime);
    }

    /** {@link #open(Path, LongSupplier)} with the clock that search timeouts are measured on; for tests. */
    static Engine open(Path dataDir, LongSupplier nanoClock, LongSupplier searchClock) throws IOException {
        var dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        var engine = new Engine(dir, nanoClock, searchClock);
        try (var folders = Files.list(dir)) {
            for (var folder : folders.sorted().toList()) {
                var name = folder.getFileName().toString();
                if (!Files.isDirectory(folder) || !Files.exists(folder.resolve(IndexHandle.METADATA_FILE))) {
                    continue;
                }
                IndexNames.validate(name);
                var handle = IndexHandle.open(folder, engine.nanoClock);
                engine.indices.put(name, handle);
                engine.scheduleRefresh(name, handle);
            }
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates index {@code name} from an Elasticsearch create-index body (null or blank for defaults). */
    public ObjectNode createIndex(String name, String bodyJson) {
        JsonNode body = Json.object();
        if (bodyJson != null && !bodyJson.isBlank()) {
            try {
                body = Json.MAPPER.readTree(bodyJson);
            } catch (JacksonException e) {
                throw EngineException.parsing("Failed to parse create index body: " + e.getOriginalMessage());
            }
        }
        return createIndex(name, body);
    }

    /** Creates index {@code name} from a parsed create-index body. */
    public ObjectNode createIndex(String name, JsonNode body) {
        IndexNames.validate(name);
        if (!body.isObject()) {
            throw EngineException.parsing("request body is required to be an object, got " + Json.tokenName(body));
        }
        for (var key : body.propertyNames()) {
            if (!key.equals("settings") && !key.equals("mappings") && !key.equals("aliases")) {
                throw EngineException.parsing("unknown key [" + key + "] for create index");
            }
        }
        var settings = IndexSettings.parse(body.get("settings"));
        var mappings = Mappings.parse(body.get("mappings"));
        var metadata = new IndexMetadata(name, UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                System.currentTimeMillis(), settings, mappings);
        create(metadata);
        var response = Json.object();
        response.put("acknowledged", true);
        response.put("shards_acknowledged", true);
        response.put("index", name);
        return response;
    }

    private IndexHandle create(IndexMetadata metadata) {
        synchronized (lifecycle) {
            ensureOpen();
            var name = metadata.name();
            if (indices.containsKey(name)) {
                throw EngineException.alreadyExists(name);
            }
            var folder = folderOf(name);
            try {
                if (Files.exists(folder)) {
                    // A folder without index.json is what a crash during create leaves behind.
                    deleteRecursively(folder);
                }
                var handle = IndexHandle.create(folder, metadata, nanoClock);
                // The new folder's entry in the data directory must be durable before the index is acknowledged.
                IndexHandle.fsyncDirectory(dataDir);
                indices.put(name, handle);
                scheduleRefresh(name, handle);
                return handle;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create index [" + name + "]", e);
            }
        }
    }

    private Path folderOf(String name) {
        IndexNames.validate(name);
        var folder = dataDir.resolve(name).normalize();
        if (!folder.getParent().equals(dataDir) || !folder.getFileName().toString().equals(name)) {
            throw EngineException.invalidIndexName(name, "must name a folder inside the data directory");
        }
        return folder;
    }

    /** Whether index {@code name} exists. */
    public boolean exists(String name) {
        return indices.containsKey(name);
    }

    /** The names of every index, sorted. */
    public List<String> listIndices() {
        return indices.keySet().stream().sorted().toList();
    }

    /** The metadata (settings and mappings) of index {@code name}. */
    public IndexMetadata getIndex(String name) {
        return handle(name).metadata();
    }

    /** Deletes index {@code name} and its folder. */
    public ObjectNode deleteIndex(String name) {
        synchronized (lifecycle) {
            ensureOpen();
            var handle = indices.remove(name);
            if (handle == null) {
                throw EngineException.indexNotFound(name);
            }
            Optional.ofNullable(refreshers.remove(name)).ifPresent(f -> f.cancel(false));
            Optional.ofNullable(syncers.remove(name)).ifPresent(f -> f.cancel(false));
            scrolls.contexts().freeIndex(handle);
            handle.lock();
            try {
                handle.close();
                // index.json goes first: a crash part-way leaves a folder that open() ignores, never a broken index.
                Files.deleteIfExists(handle.folder().resolve(IndexHandle.METADATA_FILE));
                IndexHandle.fsyncDirectory(handle.folder());
                deleteRecursively(handle.folder());
                IndexHandle.fsyncDirectory(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete index [" + name + "]", e);
            } finally {
                handle.unlock();
            }
        }
        var response = Json.object();
        response.put("acknowledged", true);
        return response;
    }

    /** Makes every acknowledged write to {@code name} visible to searches. */
    public void refresh(String name) {
        try {
            handle(name).refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs Elasticsearch {@code _bulk} NDJSON: action lines ({@code index}, {@code create}, {@code update},
     * {@code delete}) each followed by a source line except {@code delete}. {@code defaultIndex} (may be null) is
     * used when an action names no {@code _index}. Every item is durable when this returns.
     */
    public BulkResponse bulk(String defaultIndex, Reader ndjson, RefreshPolicy refresh) {
        long start = System.nanoTime();
        var operations = BulkParser.parse(new BufferedReader(ndjson), defaultIndex);
        return execute(operations, refresh, start);
    }

    /**
     * Indexes JSON Lines, one document per line, into {@code index}: the id comes from {@code _id} (removed from the
     * source) or {@code id} (kept), else is generated. Answers in the {@code _bulk} shape.
     */
    public BulkResponse ingestJsonLines(String index, Reader lines, RefreshPolicy refresh) {
        long start = System.nanoTime();
        var operations = BulkParser.parseJsonLines(new BufferedReader(lines), index);
        return execute(operations, refresh, start);
    }

    private BulkResponse execute(Iterable<BulkParser.Operation> operations, RefreshPolicy refresh, long start) {
        ensureOpen();
        var items = new ArrayList<BulkResponse.Item>();
        var touched = new LinkedHashSet<IndexHandle>();
        var begun = new LinkedHashSet<IndexHandle>();
        try {
            for (var op : operations) {
                IndexHandle handle;
                try {
                    handle = handleForWrite(op);
                } catch (EngineException e) {
                    items.add(BulkResponse.Item.failure(op.action(), op.index(), op.id().orElse(""), e));
                    continue;
                }
                handle.lock();
                try {
                    if (begun.add(handle)) {
                        handle.beginBatch();
                    }
                    touched.add(handle);
                    items.add(BulkWriter.apply(handle, op, refresh == RefreshPolicy.IMMEDIATE));
                } finally {
                    handle.unlock();
                }
            }
            for (var handle : touched) {
                handle.lock();
                try {
                    if (handle.asyncDurability()) {
                        // Acknowledged now, committed by the periodic sync, a refresh or a clean close.
                        handle.markUncommitted();
                    } else {
                        handle.commit();
                    }
                } finally {
                    handle.unlock();
                }
                if (refresh != RefreshPolicy.NONE) {
                    handle.refresh();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bulk write failed", e);
        }
        return new BulkResponse(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), items);
    }

    private IndexHandle handleForWrite(BulkParser.Operation op) {
        var existing = indices.get(op.index());
        if (existing != null) {
            return existing;
        }
        IndexNames.validate(op.index());
        if (op.action().equals("delete")) {
            // Elasticsearch auto-creates indices for every write except deletes.
            throw EngineException.indexNotFound(op.index());
        }
        synchronized (lifecycle) {
            var again = indices.get(op.index());
            if (again != null) {
                return again;
            }
            return create(new IndexMetadata(op.index(), UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                    System.currentTimeMillis(), IndexSettings.defaults(), Mappings.empty()));
        }
    }

    /**
     * Elasticsearch's single-document index API ({@code PUT|POST /<index>/_doc/<id>}, {@code POST /<index>/_doc}
     * without an id, {@code _create} when {@code create}): one bulk item, with the bulk API's outcome and errors.
     * The index is created with dynamic mappings if it does not exist, as in Elasticsearch.
     */
    public BulkResponse.Item indexDocument(String index, Optional<String> id, byte[] source, boolean create,
            RefreshPolicy refresh) {
        var op = new BulkParser.Operation(create ? "create" : "index", index, id, source, 1, null);
        return execute(List.of(op), refresh, System.nanoTime()).items().getFirst();
    }

    /**
     * Elasticsearch's {@code POST /<index>/_update/<id>} with a partial {@code doc}, {@code upsert} or
     * {@code doc_as_upsert} body (no scripts): one bulk {@code update} item.
     */
    public BulkResponse.Item updateDocument(String index, String id, byte[] body, RefreshPolicy refresh) {
        var op = new BulkParser.Operation("update", index, Optional.of(id), body, 1, null);
        return execute(List.of(op), refresh, System.nanoTime()).items().getFirst();
    }

    /** Elasticsearch's {@code DELETE /<index>/_doc/<id>}: one bulk item, {@code not_found} (404) if absent. */
    public BulkResponse.Item deleteDocument(String index, String id, RefreshPolicy refresh) {
        var op = new BulkParser.Operation("delete", index, Optional.of(id), new byte[0], 1, null);
        return execute(List.of(op), refresh, System.nanoTime()).items().getFirst();
    }

    /**
     * Elasticsearch's real-time get ({@code GET /<index>/_doc/<id>}): the latest acknowledged version of document
     * {@code id}, refreshed or not; empty if it does not exist.
     */
    public Optional<StoredDocument> getDocument(String index, String id) {
        var handle = handle(index);
        handle.lock();
        try {
            // beginBatch makes the lookup searcher see every committed write; the lock keeps a batch from interleaving.
            handle.beginBatch();
            var current = handle.current(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            JsonNode source;
            try {
                source = Json.readSource(current.get().source());
            } catch (JacksonException e) {
                throw EngineException.parsing("stored source of [" + id + "] cannot be read: " + e.getOriginalMessage());
            }
            return Optional.of(new StoredDocument(index, id, current.get().version(), current.get().seqNo(), source));
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw EngineException.indexNotFound(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            handle.unlock();
        }
    }

    /** Elasticsearch's {@code _count}: the exact number of searchable documents of {@code name} matching {@code query}. */
    public long count(String name, dev.rankql.ast.Query query) {
        var request = new SearchRequest(query.span(), Optional.empty(), Optional.empty(), Optional.of(query), List.of(),
                Optional.empty(), Optional.of(0), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new dev.rankql.ast.TrackTotalHits.Flag(true)), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Map.of());
        return search(name, request, SearchOptions.NONE).total()
                .orElseThrow(() -> new IllegalStateException("a counted search has a total")).value();
    }

    /**
     * Sets the timeout of searches that set none, as Elasticsearch's dynamic cluster setting
     * {@code search.default_search_timeout}; {@link SearchRequest#NO_TIMEOUT} turns it off. Starts as
     * {@link EngineLimits#DEFAULT_SEARCH_TIMEOUT}.
     */
    public void defaultSearchTimeout(java.time.Duration timeout) {
        defaultSearchTimeout = java.util.Objects.requireNonNull(timeout, "timeout");
    }

    /** Runs a search on index {@code name}. */
    public SearchResponse search(String name, SearchRequest request, SearchOptions options) {
        return search(name, request, options, false);
    }

    /**
     * Runs a search on the indices an Elasticsearch index expression names ({@code a,b}, {@code te*}, {@code _all},
     * {@code *}, exclusions {@code -x} after a wildcard), each index searched as one shard with its own statistics
     * and the hits merged as Elasticsearch's coordinator merges shards' hits (see {@link MultiIndexSearch}).
     */
    public SearchResponse searchIndices(String expression, SearchRequest request, SearchOptions options) {
        return searchIndices(expression, request, options, IndicesOptions.DEFAULT);
    }

    /** {@link #searchIndices(String, SearchRequest, SearchOptions)} with Elasticsearch's index-resolution options. */
    public SearchResponse searchIndices(String expression, SearchRequest request, SearchOptions options,
            IndicesOptions indicesOptions) {
        var names = resolveIndices(expression, indicesOptions);
        if (names.size() == 1) {
            return search(names.getFirst(), request, options);
        }
        return MultiIndexSearch.search(names, request, options, (name, shardOptions) -> search(name, request, shardOptions, true),
                (groupRequest) -> searchIndices(expression, groupRequest, SearchOptions.NONE, indicesOptions));
    }

    /** The indices {@code expression} names, sorted (the order Elasticsearch gives their shards); see {@link IndexExpressions}. */
    public List<String> resolveIndices(String expression, IndicesOptions indicesOptions) {
        return IndexExpressions.resolve(expression, listIndices(), indicesOptions);
    }

    /** Elasticsearch's {@code _count} over the indices {@code expression} names: a search whose total is exact. */
    public SearchResponse countIndices(String expression, dev.rankql.ast.Query query, IndicesOptions indicesOptions) {
        return searchIndices(expression, countRequest(query), SearchOptions.NONE, indicesOptions);
    }

    private static SearchRequest countRequest(dev.rankql.ast.Query query) {
        return new SearchRequest(query.span(), Optional.empty(), Optional.empty(), Optional.of(query), List.of(),
                Optional.empty(), Optional.of(0), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new dev.rankql.ast.TrackTotalHits.Flag(true)), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Map.of());
    }

    private SearchResponse search(String name, SearchRequest request, SearchOptions options, boolean shard) {
        var handle = handle(name);
        var effective = options.timeout().isEmpty() && request.timeout().isEmpty()
                ? options.withTimeout(defaultSearchTimeout)
                : options;
        try {
            var searcher = handle.acquireForSearch();
            try {
                var context = handle.searchContext(name);
                return shard
                        ? SearchExecutor.executeShard(context.view(), searcher, request, effective, models::find, searchClock,
                                context.queries())
                        : SearchExecutor.execute(context.view(), searcher, request, effective, models::find, searchClock,
                                context.queries());
            } finally {
                handle.release(searcher);
            }
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw EngineException.indexNotFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Elasticsearch's {@code POST /<index>/_search?scroll=<keepAlive>}: the first page of a scroll whose context this
     * engine keeps open, pinning the index as it is now (later writes are not seen) until {@code keepAlive} passes
     * without a continuation, the scroll is cleared, or the index is deleted. Refused as Elasticsearch refuses a scroll
     * with {@code collapse}, {@code from}, {@code size: 0}, {@code rescore}, {@code search_after}, a disabled
     * {@code track_total_hits} or a compound retriever; at most {@code search.max_open_scroll_context} contexts.
     */
    public ScrollResponse searchScroll(String name, SearchRequest request, SearchOptions options, java.time.Duration keepAlive) {
        return searchScroll(name, request, options, keepAlive, false);
    }

    /**
     * {@link #searchScroll(String, SearchRequest, SearchOptions, java.time.Duration)} with Elasticsearch's
     * {@code request_cache} URL parameter, which a scroll refuses when it is {@code true}.
     */
    public ScrollResponse searchScroll(String name, SearchRequest request, SearchOptions options, java.time.Duration keepAlive,
            boolean requestCache) {
        ensureOpen();
        return scrolls.open(scrollIndex(name), request, options, keepAlive, requestCache);
    }

    /**
     * The one index a scroll reads: {@code expression} may be a pattern or list that names exactly one; a scroll over
     * several indices (which Elasticsearch serves) is refused by name rather than answered as a missing index.
     */
    private String scrollIndex(String expression) {
        var names = resolveIndices(expression, IndicesOptions.DEFAULT);
        if (names.size() == 1) {
            return names.getFirst();
        }
        if (names.isEmpty()) {
            throw EngineException.indexNotFound(expression);
        }
        throw EngineException.illegalArgument("rankql does not support a scroll over several indices " + names
                + ": scroll each index on its own");
    }

    /**
     * {@link #searchScroll} for a process that ends after each page: the scroll id carries the whole state (index,
     * request, position, commit, deadline) and nothing stays open; a later page is refused once the index has changed.
     */
    public ScrollResponse searchScrollDetached(String name, SearchRequest request, SearchOptions options,
            java.time.Duration keepAlive) {
        ensureOpen();
        return scrolls.openCursor(scrollIndex(name), request, options, keepAlive);
    }

    /**
     * Elasticsearch's {@code POST /_search/scroll}: the next page of scroll {@code scrollId} (either kind); a given
     * {@code keepAlive} replaces the scroll's, which each page renews. A missing or expired scroll is Elasticsearch's
     * 404 {@code search_context_missing_exception}.
     */
    public ScrollResponse scroll(String scrollId, Optional<java.time.Duration> keepAlive) {
        ensureOpen();
        return scrolls.next(scrollId, keepAlive);
    }

    /** Elasticsearch's {@code DELETE /_search/scroll}: frees the scrolls {@code scrollIds} ({@code _all}: every one). */
    public ClearScrollResponse clearScroll(List<String> scrollIds) {
        return scrolls.clear(scrollIds);
    }

    /** Elasticsearch's {@code DELETE /_search/scroll/_all}: frees every open scroll. */
    public ClearScrollResponse clearAllScrolls() {
        return scrolls.clearAll();
    }

    /** Sets Elasticsearch's {@code search.max_open_scroll_context} (default 500). */
    public void maxOpenScrollContexts(int max) {
        scrolls.contexts().maxOpen(max);
    }

    /** Sets Elasticsearch's {@code search.max_keep_alive} (default 24h). */
    public void maxScrollKeepAlive(java.time.Duration max) {
        scrolls.maxKeepAlive(max);
    }

    /** The number of open scroll contexts. */
    public int openScrollContexts() {
        return scrolls.contexts().size();
    }

    /** The clock scroll keep-alives are measured on, in epoch milliseconds; for tests. */
    void scrollClock(LongSupplier millis) {
        scrolls.contexts().clock(millis);
    }

    /** Work done on one index's current searcher, for tools, benchmarks and tests that run Lucene queries directly. */
    @FunctionalInterface
    public interface SearcherWork<T> {
        /** Runs with the index's view and a searcher that stays valid until this returns. */
        T run(IndexView index, org.apache.lucene.search.IndexSearcher searcher) throws IOException;
    }

    /** Runs {@code work} on the current searcher of index {@code name}. */
    public <T> T withSearcher(String name, SearcherWork<T> work) {
        var handle = handle(name);
        try {
            var searcher = handle.acquireForSearch();
            try {
                return work.run(handle.view(name), searcher);
            } finally {
                handle.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Elasticsearch's explain API for document {@code id} of index {@code name}, as its JSON: {@code _index},
     * {@code _id}, {@code matched} and, when the document exists, the {@code explanation}.
     */
    public ObjectNode explain(String name, String id, dev.rankql.ast.Query query) {
        return explain(name, id, query, Optional.empty(), false).toJson();
    }

    /**
     * Elasticsearch's {@code GET|POST /<index>/_explain/<id>}: whether {@code query} matches document {@code id} of
     * index {@code name} and why, explained exactly as a search with {@code explain: true} explains that hit. The
     * document is looked up among the searchable (refreshed) documents, as Elasticsearch's explain does; a missing
     * one answers {@link ExplainResponse#status()} 404. {@code source} (the {@code _source},
     * {@code _source_includes} and {@code _source_excludes} URL parameters) and {@code storedFields} (whether
     * {@code stored_fields} was given) add the document's {@code get} part as Elasticsearch does.
     *
     * @throws EngineException 404 for a missing index, 400 for a query that cannot run on this index
     */
    public ExplainResponse explain(String name, String id, dev.rankql.ast.Query query,
            Optional<dev.rankql.ast.SourceFilter> source, boolean storedFields) {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(query, "query");
        var handle = handle(name);
        try {
            var searcher = handle.acquireForSearch();
            try {
                var context = handle.searchContext(name);
                return SearchExecutor.explain(context.view(), searcher, query, id, context.queries(), source, storedFields);
            } finally {
                handle.release(searcher);
            }
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw EngineException.indexNotFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Logs model {@code modelId}'s features on index {@code name} for the top {@code topK} hits of {@code query} and
     * the documents {@code extraIds} (typically the judged ones), for training data.
     */
    public List<SearchExecutor.LoggedRow> logFeatures(String name, dev.rankql.ast.Query query, String modelId,
            Map<String, dev.rankql.ast.Value> params, List<String> extraIds, int topK) {
        return logFeatures(name, query, models.require(modelId), params, extraIds, topK);
    }

    /** {@link #logFeatures(String, dev.rankql.ast.Query, String, Map, List, int)} with a given deployment. */
    public List<SearchExecutor.LoggedRow> logFeatures(String name, dev.rankql.ast.Query query,
            dev.rankql.engine.ltr.DeployedModel deployed, Map<String, dev.rankql.ast.Value> params, List<String> extraIds,
            int topK) {
        var handle = handle(name);
        try {
            var searcher = handle.acquireForSearch();
            try {
                return SearchExecutor.logFeatures(handle.view(name), searcher, query, deployed, params, extraIds, topK);
            } finally {
                handle.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Elasticsearch's {@code POST <index>/_rank_eval}: runs each rated request of {@code body} for the metric's k hits
     * and answers with {@code metric_score}, {@code details} and {@code failures} (see
     * {@link dev.rankql.engine.eval.rankeval.RankEval}).
     *
     * @throws EngineException 404 when the index does not exist, 400 (with the JSON {@code path}) for a malformed body
     */
    public ObjectNode rankEval(String index, JsonNode body) {
        handle(index);
        return dev.rankql.engine.eval.rankeval.RankEval.evaluate(index, body,
                (request, size) -> search(index, request, SearchOptions.NONE.withSize(size)));
    }

    /** Runs a search with no URL-parameter overrides. */
    public SearchResponse search(String name, SearchRequest request) {
        return search(name, request, SearchOptions.NONE);
    }

    /** The deployed LTR models of this data directory ({@code _ml/trained_models}). */
    public ModelRegistry models() {
        return models;
    }

    /** {@code PUT _ml/trained_models/<id>} with an Elasticsearch body; {@code replace} swaps an existing model. */
    public ObjectNode putModel(String id, String bodyJson, boolean replace) {
        ensureOpen();
        return models.putElasticsearch(id, bodyJson, replace);
    }

    /** Deploys a model file of any format with a feature set (a JSON list of extractors). */
    public ObjectNode putModel(String id, String format, String modelText, String featureSetJson, boolean replace) {
        ensureOpen();
        return models.putWithFeatures(id, format, modelText, featureSetJson, "", replace);
    }

    /** {@code GET _ml/trained_models/<ids>}; null or {@code _all} lists every model. */
    public ObjectNode getModels(String ids) {
        return models.get(ids);
    }

    /** {@code GET _ml/trained_models/<ids>?tags=<tags>}: only the models that carry every one of {@code tags}. */
    public ObjectNode getModels(String ids, List<String> tags) {
        return models.get(ids, tags);
    }

    /** {@code DELETE _ml/trained_models/<id>}. */
    public ObjectNode deleteModel(String id) {
        ensureOpen();
        return models.delete(id);
    }

    IndexHandle handle(String name) {
        var handle = indices.get(name);
        if (handle == null) {
            throw EngineException.indexNotFound(name);
        }
        return handle;
    }

    private void scheduleRefresh(String name, IndexHandle handle) {
        if (handle.asyncDurability()) {
            long sync = handle.metadata().settings().syncIntervalMillis();
            syncers.put(name, scheduler.scheduleWithFixedDelay(() -> {
                try {
                    handle.syncIfUncommitted();
                } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
                    // A closed or failing index is skipped; the next write or refresh reports real errors.
                }
            }, sync, sync, TimeUnit.MILLISECONDS));
        }
        long interval = handle.metadata().settings().refreshIntervalMillis();
        if (interval <= 0) {
            return;
        }
        refreshers.put(name, scheduler.scheduleWithFixedDelay(() -> {
            try {
                handle.scheduledRefresh();
            } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
                // A closed or failing index is skipped; the next explicit refresh reports real errors.
            }
        }, interval, interval, TimeUnit.MILLISECONDS));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var walk = Files.walk(folder)) {
            for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Document counts by index, as refreshed; for listings. */
    public Map<String, Integer> docCounts() throws IOException {
        var counts = new TreeMap<String, Integer>();
        for (var entry : indices.entrySet()) {
            counts.put(entry.getKey(), entry.getValue().docCount());
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            scheduler.shutdownNow();
            scrolls.contexts().freeAll();
            IOException failure = null;
            for (var handle : indices.values()) {
                handle.lock();
                try {
                    handle.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                } finally {
                    handle.unlock();
                }
            }
            indices.clear();
            try {
                dataLock.close();
            } finally {
                lockDirectory.close();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
