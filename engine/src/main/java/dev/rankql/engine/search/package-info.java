/**
 * Search: the AST compiled to Lucene queries and the request interpreted as Elasticsearch runs it.
 *
 * <p>{@link dev.rankql.engine.search.QueryCompiler} turns each {@link dev.rankql.ast.Query} into a Lucene query with
 * Elasticsearch's semantics (BM25 with its defaults, match and multi_match variants, bool defaults, exact-value queries
 * per field type, scripts through Lucene expressions). {@link dev.rankql.engine.search.SearchExecutor} runs the first
 * pass over {@code max(from + size, windows)} hits, then each rescorer of the list in order; a rescorer is a
 * {@code WindowRescorer}, which owns what happens to hits outside its window (the query rescorer weighs them, the
 * script rescorer keeps them, a learning-to-rank rescorer drops them). The {@code rescorer} retriever runs its child as
 * a sub-search with the rescorers appended and keeps only the smallest window. Results come back as a
 * {@link dev.rankql.engine.search.SearchResponse} that renders Elasticsearch's response body. First-pass queries
 * that depend only on the AST and the mappings are compiled once per index and mappings and reused
 * ({@link dev.rankql.engine.search.CompiledQueries}), as an application that builds its Lucene query once would.
 * Elasticsearch's explain API ({@link dev.rankql.engine.search.ExplainResponse}) explains one document through the
 * same compilation and the same chain of explanations as a search's hits, so the two never disagree.
 * {@code terminate_after} cuts the first pass to its first matches in index order ({@code TerminateAfterQuery}), so
 * that every later step sees only the documents Elasticsearch's collector would have let through; what each hit
 * carries beyond its source ({@code fields}, {@code docvalue_fields}, {@code stored_fields}, inner hits, version) is
 * read by {@code HitExtras}.
 * Field names pass through the index's field aliases first ({@code FieldAliases}, {@link
 * dev.rankql.engine.mapping.Mappings#resolve}), so an alias answers as its target everywhere.
 *
 * <p>The learning-to-rank rescorer binds its model's extractors once per (model, reader, mappings, params) and keeps
 * the binding in the model's cache; it fills one feature matrix column by column in doc-id order, evaluating the
 * extractors that are only term queries (match, multi_match and their variants) together from one postings enum per
 * distinct term ({@code SharedTermColumns}, whose enums each pooled workspace keeps per segment between requests), and
 * works on the search's own hits in place with pooled arrays, so that the stage allocates nothing per window document.
 */
package dev.rankql.engine.search;
