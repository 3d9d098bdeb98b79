/**
 * The Elasticsearch JSON codec: search bodies, retrievers and queries to and from the rankql AST.
 *
 * <p>{@link dev.rankql.json.EsJson} is the only entry point; retrievers (with the top-level {@code knn}, which shares
 * the knn retriever's fields), rescores, queries, options and aggregations each have their codec class. Reading parses the text into a Jackson tree (strict
 * about duplicate keys, trailing tokens and nesting depth), then walks the tree once: each construct's codec class
 * reads its fields through a {@code Scope}, reports every problem with its JSON path into one {@code Problems}
 * collector and carries on, so one call returns all the diagnostics of a body, worded as Elasticsearch words them.
 * Writing is the mirror image: each codec class builds the canonical JSON of its construct, field order fixed,
 * short forms where nothing but a field and its value is set, and exactly the options the AST holds.
 *
 * <p>The subset, the accepted alternative forms and the differences from Elasticsearch are in {@code docs/json.md}.
 * The lengths and nesting the parser accepts are {@link dev.rankql.json.JsonLimits}, which the engine's JSON readers
 * share.
 */
package dev.rankql.json;
