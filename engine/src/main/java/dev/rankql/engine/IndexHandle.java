package dev.rankql.engine;

import dev.rankql.engine.mapping.Analyzers;
import dev.rankql.engine.mapping.DocumentParser;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.Mappings;
import dev.rankql.engine.search.CompiledQueries;
import dev.rankql.engine.search.IndexView;
import dev.rankql.engine.search.PerFieldSimilarity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * One open index: its metadata, its Lucene writer and the two searcher managers (the user-visible one over the
 * latest commit, refreshed by refresh policies, and an internal near-real-time one used to look up current document
 * versions).
 *
 * <p>Writes are serialized by one lock, so documents enter Lucene in ingest order through a single writer thread at
 * a time; {@link LogByteSizeMergePolicy} only merges adjacent segments, so that order survives merges.
 *
 * <p>Searches read a {@link DirectoryReader} of the latest commit, not the writer's near-real-time reader: every
 * write request commits before it is acknowledged, so a refresh that reopens the latest commit shows every
 * acknowledged write, without flushing the indexing buffer into a small segment the way a near-real-time reopen
 * does (which cost a bulk load about 15% of its speed).
 */
final class IndexHandle implements Closeable {

    static final String METADATA_FILE = "index.json";
    static final String LUCENE_DIR = "lucene";
    private static final String SEQ_NO_KEY = "rankql.max_seq_no";

    /** A document's current state as seen by writes: version, sequence number and source (null when deleted). */
    record Current(long version, long seqNo, byte[] source) {}

    private final Path folder;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final SearcherManager internal;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Current> liveVersions = new HashMap<>();
    private final LongSupplier nanoClock;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile long lastSearchNanos;
    private boolean internalStale = true;
    private volatile IndexMetadata metadata;
    private volatile Map<String, FieldMapping> fields;
    private volatile boolean metadataDirty;
    /** Writes not yet committed; only an {@code async} index acknowledges such writes (guarded by the write lock). */
    private boolean uncommitted;
    private long nextSeqNo;

    private IndexHandle(Path folder, IndexMetadata metadata, boolean create, LongSupplier nanoClock) throws IOException {
        this.folder = folder;
        this.nanoClock = nanoClock;
        // As in Elasticsearch, a newly opened index counts as just searched, so it is not search-idle at once.
        this.lastSearchNanos = nanoClock.getAsLong();
        this.metadata = metadata;
        this.fields = metadata.mappings().flatten();
        this.directory = FSDirectory.open(folder.resolve(LUCENE_DIR));
        var similarity = new PerFieldSimilarity(metadata.settings().k1(), metadata.settings().b());
        var config = new IndexWriterConfig(new FieldAnalyzer());
        config.setSimilarity(similarity);
        config.setCodec(new dev.rankql.engine.mapping.VectorCodec(() -> fields));
        config.setMergePolicy(new LogByteSizeMergePolicy());
        config.setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND);
        config.setCommitOnClose(false);
        IndexWriter opened = new IndexWriter(directory, config);
        try {
            if (create) {
                opened.commit();
            }
            var commitData = opened.getLiveCommitData();
            long maxSeqNo = -1;
            if (commitData != null) {
                for (var entry : commitData) {
                    if (entry.getKey().equals(SEQ_NO_KEY)) {
                        maxSeqNo = Long.parseLong(entry.getValue());
                    }
                }
            }
            this.nextSeqNo = maxSeqNo + 1;
            var factory = new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                    var searcher = new IndexSearcher(reader);
                    searcher.setSimilarity(similarity);
                    return searcher;
                }
            };
            this.searchers = new SearcherManager(directory, factory);
            this.internal = new SearcherManager(opened, true, false, factory);
            this.writer = opened;
        } catch (IOException | RuntimeException e) {
            opened.rollback();
            directory.close();
            throw e;
        }
    }

    /** Creates a new index in {@code folder}; the metadata file is written last, so a crash leaves no half index. */
    static IndexHandle create(Path folder, IndexMetadata metadata, LongSupplier nanoClock) throws IOException {
        Files.createDirectories(folder);
        var handle = new IndexHandle(folder, metadata, true, nanoClock);
        try {
            handle.writeMetadata(metadata);
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /** Opens an existing index folder. */
    static IndexHandle open(Path folder, LongSupplier nanoClock) throws IOException {
        var metadata = IndexMetadata.fromStorageJson(Json.MAPPER.readTree(Files.readAllBytes(folder.resolve(METADATA_FILE))));
        return new IndexHandle(folder, metadata, false, nanoClock);
    }

    IndexMetadata metadata() {
        return metadata;
    }

    /** Every mapped field by full path. */
    Map<String, FieldMapping> fields() {
        return fields;
    }

    /**
     * A search's view of this index with the compiled-query cache of its mappings, and the metadata and fields both
     * were made from (compared by identity to see whether they are still current).
     */
    record SearchContext(IndexMetadata metadata, Map<String, FieldMapping> fields, IndexView view, CompiledQueries queries) {}

    private volatile SearchContext searchContext;

    /**
     * What a search of this index (named {@code name}) needs besides its searcher; made once per change of the
     * mappings or settings rather than per request, since the view copies every mapped field and compiled queries
     * hold for one set of mappings only.
     */
    SearchContext searchContext(String name) {
        var m = metadata;
        var f = fields;
        var context = searchContext;
        if (context == null || context.metadata() != m || context.fields() != f || !context.view().name().equals(name)) {
            context = new SearchContext(m, f, new IndexView(name, m.settings(), m.mappings(), f), new CompiledQueries());
            searchContext = context;
        }
        return context;
    }

    /** {@link #searchContext}'s view. */
    IndexView view(String name) {
        return searchContext(name).view();
    }

    Path folder() {
        return folder;
    }

    IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    /**
     * The searcher for a user's search: marks the index as searched and, when a periodic refresh was skipped because
     * the index was search-idle, refreshes first, as Elasticsearch makes such a search wait for a refresh.
     */
    IndexSearcher acquireForSearch() throws IOException {
        lastSearchNanos = nanoClock.getAsLong();
        if (refreshPending.getAndSet(false)) {
            syncIfUncommitted();
            searchers.maybeRefreshBlocking();
        }
        return searchers.acquire();
    }

    /** Whether no search has come for {@code index.search.idle.after}. */
    boolean searchIdle() {
        long idleAfter = TimeUnit.MILLISECONDS.toNanos(metadata.settings().searchIdleAfterMillis());
        return nanoClock.getAsLong() - lastSearchNanos >= idleAfter;
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Makes every write so far visible to searches; searches read commits, so an {@code async} index commits first. */
    void refresh() throws IOException {
        syncIfUncommitted();
        searchers.maybeRefreshBlocking();
    }

    /** Whether writes are acknowledged before their commit ({@code index.translog.durability: async}). */
    boolean asyncDurability() {
        return metadata.settings().asyncDurability();
    }

    /** Records that acknowledged writes wait for a commit (the caller holds the lock). */
    void markUncommitted() {
        uncommitted = true;
    }

    /** Commits the writes an {@code async} index acknowledged without committing; the periodic sync calls this. */
    void syncIfUncommitted() throws IOException {
        if (!asyncDurability()) {
            return;
        }
        lock();
        try {
            if (uncommitted) {
                commit();
            }
        } finally {
            unlock();
        }
    }

    /**
     * The periodic refresh, unless the index is search-idle and its refresh interval was left to the default, in
     * which case the refresh is left to the next search, as in Elasticsearch. Returns whether it refreshed; when it
     * did, every write committed before the call is visible.
     */
    boolean scheduledRefresh() throws IOException {
        if (searchIdle() && !metadata.settings().refreshIntervalExplicit()) {
            refreshPending.set(true);
            return false;
        }
        syncIfUncommitted();
        searchers.maybeRefreshBlocking();
        return true;
    }

    void lock() {
        writeLock.lock();
    }

    void unlock() {
        writeLock.unlock();
    }

    /**
     * Starts a batch of writes (the caller holds the lock): version lookups now see every earlier write. The internal
     * reader is reopened on the batch's first lookup, so batches of appends never open a near-real-time reader.
     */
    void beginBatch() {
        internalStale = true;
        liveVersions.clear();
    }

    /** The document's current state, if it exists (the caller holds the lock). */
    Optional<Current> current(String id) throws IOException {
        var live = liveVersions.get(id);
        if (live != null) {
            return live.source() == null ? Optional.empty() : Optional.of(live);
        }
        if (internalStale) {
            internal.maybeRefreshBlocking();
            internalStale = false;
        }
        var searcher = internal.acquire();
        try {
            var term = new BytesRef(id);
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                var terms = leaf.reader().terms(FieldNames.ID);
                if (terms == null) {
                    continue;
                }
                var termsEnum = terms.iterator();
                if (!termsEnum.seekExact(term)) {
                    continue;
                }
                var postings = termsEnum.postings(null, 0);
                var liveDocs = leaf.reader().getLiveDocs();
                for (int doc = postings.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (liveDocs != null && !liveDocs.get(doc)) {
                        continue;
                    }
                    var versions = leaf.reader().getNumericDocValues(FieldNames.VERSION);
                    var seqNos = leaf.reader().getNumericDocValues(FieldNames.SEQ_NO);
                    long version = versions != null && versions.advanceExact(doc) ? versions.longValue() : 1;
                    long seqNo = seqNos != null && seqNos.advanceExact(doc) ? seqNos.longValue() : 0;
                    var stored = leaf.reader().storedFields().document(doc);
                    var source = stored.getBinaryValue(FieldNames.SOURCE);
                    return Optional.of(new Current(version, seqNo, source == null ? new byte[0] : BytesRef.deepCopyOf(source).bytes));
                }
            }
            return Optional.empty();
        } finally {
            internal.release(searcher);
        }
    }

    /**
     * Indexes {@code source} as document {@code id} with {@code version}, replacing any earlier document with that
     * id; the document is fully parsed before Lucene sees it, so a bad document changes nothing. {@code document} is
     * {@code source} already parsed by {@link Json#MAPPER}, or null to parse it here.
     */
    long index(String id, byte[] source, tools.jackson.databind.node.ObjectNode document, long version) throws IOException {
        var parsed = parse(id, source, document);
        long seqNo = nextSeqNo;
        var doc = parsed.document();
        doc.add(new NumericDocValuesField(FieldNames.VERSION, version));
        doc.add(new NumericDocValuesField(FieldNames.SEQ_NO, seqNo));
        if (parsed.mappingsChanged()) {
            updateMappings(parsed.mappings());
        }
        writer.updateDocument(new Term(FieldNames.ID, id), doc);
        nextSeqNo++;
        liveVersions.put(id, new Current(version, seqNo, source));
        return seqNo;
    }

    /** Appends a new document whose id is known to be new (generated), with version 1; see {@link #index}. */
    long append(String id, byte[] source, tools.jackson.databind.node.ObjectNode document) throws IOException {
        var parsed = parse(id, source, document);
        long seqNo = nextSeqNo;
        var doc = parsed.document();
        doc.add(new NumericDocValuesField(FieldNames.VERSION, 1));
        doc.add(new NumericDocValuesField(FieldNames.SEQ_NO, seqNo));
        if (parsed.mappingsChanged()) {
            updateMappings(parsed.mappings());
        }
        writer.addDocument(doc);
        nextSeqNo++;
        return seqNo;
    }

    private DocumentParser.Parsed parse(String id, byte[] source, tools.jackson.databind.node.ObjectNode document) {
        return document == null
                ? DocumentParser.parse(metadata.mappings(), fields, id, source)
                : DocumentParser.parse(metadata.mappings(), fields, id, document, source);
    }

    /** Deletes document {@code id}, returning its sequence number. */
    long delete(String id, long version) throws IOException {
        long seqNo = nextSeqNo++;
        writer.deleteDocuments(new Term(FieldNames.ID, id));
        liveVersions.put(id, new Current(version, seqNo, null));
        return seqNo;
    }

    /** A sequence number for an operation that changed nothing, such as deleting a missing document. */
    long noopSeqNo() {
        return nextSeqNo++;
    }

    private void updateMappings(Mappings mappings) {
        metadata = metadata.withMappings(mappings);
        fields = mappings.flatten();
        metadataDirty = true;
    }

    /** Makes every write so far durable: new mappings first, then the Lucene commit (the caller holds the lock). */
    void commit() throws IOException {
        if (metadataDirty) {
            writeMetadata(metadata);
            metadataDirty = false;
        }
        writer.setLiveCommitData(Map.of(SEQ_NO_KEY, Long.toString(nextSeqNo - 1)).entrySet());
        writer.commit();
        uncommitted = false;
    }

    private void writeMetadata(IndexMetadata value) throws IOException {
        writeAtomically(folder.resolve(METADATA_FILE), Json.writePretty(value.toStorageJson()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes a file through a fsynced temporary file and an atomic rename, then fsyncs the folder. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        var temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.getParent());
    }

    /** Makes the entries of {@code folder} (files created, renamed or deleted in it) durable. */
    static void fsyncDirectory(Path folder) {
        try (var dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; renames there are still atomic.
        }
    }

    /** The number of live documents in the latest committed-or-refreshed view; for tests and listings. */
    int docCount() throws IOException {
        var searcher = acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            release(searcher);
        }
    }

    /** Closes the index (the caller holds the lock); a clean close commits what an {@code async} index acknowledged. */
    @Override
    public void close() throws IOException {
        try {
            if (uncommitted) {
                commit();
            }
            searchers.close();
            internal.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    /** Analyzes each text field with its mapped index analyzer; unknown fields get the standard analyzer. */
    private final class FieldAnalyzer extends DelegatingAnalyzerWrapper {
        FieldAnalyzer() {
            super(PER_FIELD_REUSE_STRATEGY);
        }

        @Override
        protected Analyzer getWrappedAnalyzer(String fieldName) {
            if (fields.get(fieldName) instanceof FieldMapping.Text text) {
                return Analyzers.require(text.analyzer());
            }
            return Analyzers.require("standard");
        }
    }
}
