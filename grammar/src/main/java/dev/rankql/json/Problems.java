package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.X_CONTENT_PARSE_EXCEPTION;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** The diagnostics of one read and the nesting depth reached so far; one instance per body. */
final class Problems {

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int depth;

    void add(String path, String message, String type) {
        diagnostics.add(new Diagnostic(path, message, type));
    }

    /** The one wording for a value of the wrong kind: {@code expected integer, got string "ten"}. */
    void expected(String path, String expected, JsonNode got) {
        add(path, "expected " + expected + ", got " + Json.describe(got), X_CONTENT_PARSE_EXCEPTION);
    }

    /** An option that Elasticsearch knows but rankql does not execute. */
    void unsupported(String path, String what) {
        add(path, what + " is not supported by rankql", ILLEGAL_ARGUMENT_EXCEPTION);
    }

    boolean isEmpty() {
        return diagnostics.isEmpty();
    }

    int size() {
        return diagnostics.size();
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    /**
     * Enters one level of retriever or query nesting; false (with a diagnostic) when the level would pass
     * {@link EsJson#MAX_DEPTH}, so that the caller does not descend.
     */
    boolean enter(String path, String what) {
        if (depth >= EsJson.MAX_DEPTH) {
            add(path, "[" + what + "] is nested deeper than the maximum of [" + EsJson.MAX_DEPTH + "]",
                    Diagnostic.PARSING_EXCEPTION);
            return false;
        }
        depth++;
        return true;
    }

    void leave() {
        depth--;
    }

    /**
     * Builds an AST node, turning a check the reader did not anticipate into a diagnostic at the node's path, so that
     * no constructor exception escapes; returns null on failure.
     */
    <T> T build(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            add(path, String.valueOf(e.getMessage()), ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
    }
}
