/** Benchmarks of the pretrained text encoder against LangChain4j's run of the same model. */
package dev.rankql.bench.embed;
