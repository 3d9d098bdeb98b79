/**
 * The whole benchmark suite, {@code rankql bench [--quick]}: one deterministic workload (the engine suite's Zipf
 * corpus and queries, the rescore suite's feature sets and generated judgments, models trained by xgboost4j and
 * lightgbmlib on the same data), a correctness gate that every optimized path must pass before anything is timed, and
 * every stage of an LTR query measured against its peer in the same JVM, interleaved query by query: the first pass
 * against a raw {@code IndexSearcher}, feature extraction against a hand-written Lucene loop, the model stage against
 * xgboost4j and lightgbmlib pinned to one thread, the whole rescore against Elasticsearch- and Solr-style pipelines,
 * and ingest against a raw {@code IndexWriter}. The model-only figures come from the models suite's JMH benchmark, run
 * per shape in forked JVMs ({@code ModelJmh}). The corpus may instead be real ({@code GcideWordnet} converts the
 * Debian packages of GCIDE and WordNet, {@code CorpusFiles} reads any such files and draws queries from their
 * vocabulary), and built indexes are kept between runs ({@code IndexCache}) so that the full grid stays within its time.
 */
package dev.rankql.bench.suite;
