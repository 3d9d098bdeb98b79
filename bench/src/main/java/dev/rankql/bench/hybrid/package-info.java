/**
 * {@code rankql bench hybrid}: vector and fused retrieval through rankql, measured against raw Lucene in the same run.
 *
 * <p>{@link dev.rankql.bench.hybrid.HybridBench} indexes random unit vectors (and a short random text per document)
 * through the engine, then times, query by query and interleaved, a {@code knn} retriever through rankql against a
 * raw Lucene {@code KnnFloatVectorQuery} on the same searcher, checks the recall of both against a brute-force scan,
 * and times an {@code rrf} retriever over a {@code standard} and a {@code knn} child against its two children run
 * alone. {@link dev.rankql.bench.hybrid.HybridSuite} reads the options and prints the results.
 */
package dev.rankql.bench.hybrid;
