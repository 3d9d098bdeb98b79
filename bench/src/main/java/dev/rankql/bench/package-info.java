/**
 * Benchmarks for rankql, started by {@code rankql bench}: JMH micro-benchmarks of the hot loops and end-to-end runs
 * with peer engines measured in the same run.
 */
package dev.rankql.bench;
