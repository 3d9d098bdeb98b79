/**
 * {@code rankql repl}: searches and {@code :commands} typed at a prompt, or read as a script.
 *
 * <p>{@link dev.rankql.cli.repl.ReplCommand} opens the engine once for the whole session and decides how input
 * arrives. On a terminal, {@code InteractiveRepl} reads it with JLine: {@code ReplParser} asks for more lines until
 * an input is complete and finds the word to complete, {@code ReplHighlighter} colours the DSL's token kinds
 * ({@link dev.rankql.dsl.DslTokens}) as they are typed, and {@code ReplCompleter} offers keywords, functions, index
 * names, the current index's fields and model ids. Otherwise the same inputs are read line by line, with no
 * prompts or colours, and the exit code says whether any failed. Both hand each complete input to one
 * {@code Session}, which keeps the current index and display settings, runs statements and commands, and writes
 * results and errors (with a caret under a DSL error's column) to one writer, so that a transcript reads in order.
 * {@code Statements} holds the one rule both readers share: a command ends with its line, a statement with a
 * {@code ;} at the end of a line or with a blank line.
 */
package dev.rankql.cli.repl;
