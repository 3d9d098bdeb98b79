package dev.rankql.engine.search;

import dev.rankql.ast.Query;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lucene queries compiled for one index's mappings, by AST query, so that a query text sent again skips analysis
 * and compilation, as an application that builds its Lucene query once would.
 *
 * <p>Only compilations that depend on nothing but the AST and the mappings are kept (not those that read the index,
 * the clock or record a {@code _name}); see {@link QueryCompiler#compileCached}. Lucene queries are immutable, so one
 * compiled query serves concurrent searches. The owner makes a new cache whenever the mappings or settings change.
 */
public final class CompiledQueries {

    /** The most queries kept; past it the cache starts again empty, which bounds its memory without an LRU's locking. */
    public static final int MAX_ENTRIES = 1024;

    private final ConcurrentHashMap<Query, org.apache.lucene.search.Query> compiled = new ConcurrentHashMap<>();

    org.apache.lucene.search.Query get(Query query) {
        return compiled.get(query);
    }

    void put(Query query, org.apache.lucene.search.Query lucene) {
        if (compiled.size() >= MAX_ENTRIES) {
            compiled.clear();
        }
        compiled.put(query, lucene);
    }

    /** The number of queries kept. */
    public int size() {
        return compiled.size();
    }
}
