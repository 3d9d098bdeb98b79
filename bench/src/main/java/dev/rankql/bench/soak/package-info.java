/**
 * The concurrency soak ({@code rankql bench soak}): one engine under concurrent searches, LTR rescoring, ingest,
 * refreshes and atomic model replacement, every answer checked for consistency with the writes made so far, and the
 * heap after GC sampled for growth. It is a correctness run under load, not a speed measurement.
 */
package dev.rankql.bench.soak;
