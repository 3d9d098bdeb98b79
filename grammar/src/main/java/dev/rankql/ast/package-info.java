/**
 * The rankql abstract syntax tree: one immutable description of a search request, shared by the DSL and the
 * Elasticsearch JSON codec.
 *
 * <p>Every node is a record in a sealed hierarchy ({@link dev.rankql.ast.Retriever}, {@link dev.rankql.ast.Rescore},
 * {@link dev.rankql.ast.Query}, {@link dev.rankql.ast.Value}, {@link dev.rankql.ast.Aggregation}), validated in its
 * compact constructor. Retrievers form trees: {@code rescorer}, {@code rrf} and {@code linear} hold children, and
 * {@link dev.rankql.ast.RequestValidation} checks their windows the way Elasticsearch validates a request. Query
 * vectors are {@link dev.rankql.ast.QueryVector}s, arrays that compare by value. Optional
 * settings are {@link java.util.Optional}s that record whether the user wrote them, so that printers write back
 * exactly what was given and leave defaults to the engine; lists and maps are empty when absent. Each node carries
 * the {@link dev.rankql.ast.Span} it was parsed from, and {@code Span} is equal to every other span so that trees
 * compare by content alone.
 *
 * <p>Passes over the tree are exhaustive {@code switch} expressions without {@code default}: adding a node type breaks
 * compilation in every printer and interpreter until each handles it.
 */
package dev.rankql.ast;
