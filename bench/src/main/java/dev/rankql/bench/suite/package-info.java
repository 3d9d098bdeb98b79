/**
 * The whole benchmark suite, {@code rankql bench [--quick]}: one deterministic workload (the engine suite's Zipf
 * corpus and queries, the rescore suite's feature sets and generated judgments, models trained by xgboost4j and
 * lightgbmlib on the same data), a correctness gate that every optimized path must pass before anything is timed, and
 * every stage of an LTR query measured against its peer in the same JVM, interleaved query by query: the first pass
 * against a raw {@code IndexSearcher}, feature extraction against a hand-written Lucene loop, the model stage against
 * xgboost4j and lightgbmlib pinned to one thread, the whole rescore against Elasticsearch- and Solr-style pipelines,
 * and ingest against a raw {@code IndexWriter}.
 */
package dev.rankql.bench.suite;
