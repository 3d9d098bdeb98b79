/**
 * The embedded engine: a data directory of Elasticsearch-like indices on Lucene, and its Java API.
 *
 * <p>{@link dev.rankql.engine.Engine} opens a data directory in which every index is a folder named after it (names
 * follow Elasticsearch's rules, checked by {@link dev.rankql.engine.IndexNames}, so a name is always one plain folder)
 * holding {@code index.json} (settings and mappings, rewritten atomically) and a {@code lucene/} index. Writes go
 * through {@code _bulk} NDJSON or JSON Lines: each item is parsed completely before Lucene sees it, so a bad document
 * fails alone and never half-writes; one lock per index keeps documents in ingest order, and every bulk request ends
 * with a Lucene commit before it is acknowledged. Searches run on a refreshed point-in-time view, so they are safe
 * during ingest. Every request error is an {@link dev.rankql.engine.EngineException} that carries Elasticsearch's
 * error type, reason and HTTP status and renders Elasticsearch's error body. What one request may ask for (clauses,
 * script and template size, rendered template size) is bounded by {@link dev.rankql.engine.EngineLimits}.
 *
 * <p>Scrolls are Elasticsearch's: a live context ({@code ScrollContexts}) pins the searcher of its first page and
 * remembers that page's last hit, and each continuation collects the hits ranked after it, as Lucene's search-after
 * does; a process that ends after each page gets a {@code ScrollCursor} instead, an id that carries the whole state
 * and is served only while the index is still at the commit its first page read.
 * <p>A search may name several indices with an Elasticsearch index expression ({@code IndexExpressions}); each index
 * then runs as one shard and {@code MultiIndexSearch} merges their answers as Elasticsearch's coordinator merges
 * shards' answers.
 */
package dev.rankql.engine;
