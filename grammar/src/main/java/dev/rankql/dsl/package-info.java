/**
 * The rankql DSL: a compact text form of a search request that parses into the same AST as its Elasticsearch JSON.
 *
 * <p>{@link dev.rankql.dsl.Dsl} is the public surface for parsing and printing; {@link dev.rankql.dsl.DslTokens}
 * gives editors and the REPL the token kinds and spans (never failing on half-typed text) and the names to complete. Text flows through {@code DslLexer}, a hand-written
 * scanner that yields exactly the tokens of the grammar's lexer rules (a test holds it to the generated lexer, which
 * stays the specification), the generated ANTLR parser (package-private, so no ANTLR type escapes), a token
 * pre-check for nesting depth and string escapes (each string is decoded once, there), and the
 * {@code AstBuilder}, which resolves function names and arguments against fixed signatures so that the grammar
 * stays small and new query types need no grammar change. Every problem becomes one
 * {@link dev.rankql.dsl.DslSyntaxException} with a 1-based line and column; syntax errors list the expected input,
 * naming whole rules by placeholders such as {@code <query>}. {@code Printer} writes the canonical text back, and
 * parsing that text yields an equal tree.
 */
package dev.rankql.dsl;
