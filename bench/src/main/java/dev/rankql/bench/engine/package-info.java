/**
 * The engine benchmark ({@code rankql bench engine}): rankql's ingest and first pass measured against raw Lucene doing
 * the same Lucene work, in one JVM, on a generated corpus.
 *
 * <p>{@link dev.rankql.bench.engine.Corpus} writes a deterministic Zipf corpus as JSON Lines and draws the queries.
 * {@link dev.rankql.bench.engine.LuceneIngest} is the ingest peer: the same Lucene document rankql builds, from the
 * same lines, with the same analyzers, norms, merge policy and commit cadence. {@link
 * dev.rankql.bench.engine.FirstPass} is the search pair: rankql's {@code standard} retriever and a hand-built
 * dis_max of term disjunctions on a reader of the same directory, checked hit for hit before any timing. {@link
 * dev.rankql.bench.engine.EngineBench} interleaves the sides round by round and reports medians of per-round values;
 * {@link dev.rankql.bench.engine.EngineSuite} is the command.
 */
package dev.rankql.bench.engine;
