package dev.rankql.engine;

import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.Diagnostic;
import dev.rankql.json.InvalidRequestException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns every request error into Elasticsearch's error body, so that the CLI and the HTTP server answer with one
 * shape whether the engine, the DSL parser or the JSON reader found the problem.
 */
public final class EsErrors {

    private EsErrors() {}

    /** The engine's own error, rendered as the engine renders it. */
    public static EsError of(EngineException e) {
        return new EsError(e.status(), e.toJson(), e.rootCause().type() + ": " + e.rootCause().reason());
    }

    /**
     * A DSL error as the {@code parsing_exception} Elasticsearch raises for a malformed body, with the DSL's line and
     * column both in the reason and as ES's {@code line}/{@code col} fields.
     */
    public static EsError of(DslSyntaxException e) {
        var cause = Json.object();
        cause.put("type", Diagnostic.PARSING_EXCEPTION);
        cause.put("reason", e.getMessage());
        cause.put("line", e.line());
        cause.put("col", e.column());
        return new EsError(400, body(cause, 400, cause), e.getMessage());
    }

    /**
     * Every problem of a JSON body as a root cause, the first one also as the error itself. Where Elasticsearch puts
     * a position in the reason (its parsing errors start with {@code [line:col]}) the JSON path takes its place;
     * other reasons are Elasticsearch's text exactly, so that scripts matching ES's messages match rankql's, and the
     * path is in a {@code path} field.
     */
    public static EsError of(InvalidRequestException e) {
        var causes = e.diagnostics().stream().map(EsErrors::cause).toList();
        var first = causes.getFirst();
        var body = body(first, 400, causes.toArray(ObjectNode[]::new));
        return new EsError(400, body, first.get("type").asString() + ": " + e.getMessage().replace("\n", "\n  "));
    }

    /** A bad value in the request, as Elasticsearch's {@code illegal_argument_exception} with status 400. */
    public static EsError illegalArgument(String reason) {
        return of(EngineException.illegalArgument(reason));
    }

    private static ObjectNode cause(Diagnostic d) {
        var cause = Json.object();
        cause.put("type", d.type());
        switch (d.type()) {
            case Diagnostic.PARSING_EXCEPTION, Diagnostic.X_CONTENT_PARSE_EXCEPTION -> cause.put("reason", d.toString());
            case Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION ->
                    cause.put("reason", "Validation Failed: 1: " + d.message() + ";");
            default -> cause.put("reason", d.message());
        }
        cause.put("path", d.path());
        return cause;
    }

    private static ObjectNode body(ObjectNode error, int status, ObjectNode... rootCauses) {
        var inner = Json.object();
        var array = inner.putArray("root_cause");
        for (var cause : rootCauses) {
            array.add(cause.deepCopy());
        }
        error.properties().forEach(entry -> inner.set(entry.getKey(), entry.getValue()));
        var node = Json.object();
        node.set("error", inner);
        node.put("status", status);
        return node;
    }
}
