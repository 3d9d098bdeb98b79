package dev.rankql.engine;

import dev.rankql.engine.mapping.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code _bulk} NDJSON and JSON Lines into operations. A malformed action line fails the whole request, as in
 * Elasticsearch; a malformed source line becomes that item's error when it is applied.
 */
final class BulkParser {

    /** One write: its action, target, id (absent: generated) and the raw source or update body line. */
    record Operation(String action, String index, Optional<String> id, byte[] body, int line) {}

    private static final Set<String> ACTIONS = Set.of("index", "create", "update", "delete");
    private static final Set<String> METADATA = Set.of(
            "_index", "_id", "routing", "_routing", "version", "version_type", "if_seq_no", "if_primary_term",
            "pipeline", "require_alias", "require_data_stream", "retry_on_conflict", "dynamic_templates", "_source",
            "list_executed_pipelines", "op_type");

    private BulkParser() {}

    static List<Operation> parse(BufferedReader reader, String defaultIndex) {
        var operations = new ArrayList<Operation>();
        try {
            int lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int actionLine = lineNumber;
                JsonNode action;
                try {
                    action = Json.MAPPER.readTree(line);
                } catch (JacksonException e) {
                    throw malformed(actionLine, "expected START_OBJECT but found [" + e.getOriginalMessage() + "]");
                }
                if (action == null || !action.isObject()) {
                    throw malformed(actionLine, "expected START_OBJECT but found [" + (action == null ? "null" : Json.tokenName(action)) + "]");
                }
                if (action.size() != 1) {
                    throw malformed(actionLine, "expected one action but found " + action.size());
                }
                var type = action.propertyNames().iterator().next();
                if (!ACTIONS.contains(type)) {
                    throw malformed(actionLine, "expected field [create], [delete], [index] or [update] but found [" + type + "]");
                }
                var meta = action.get(type);
                if (!meta.isObject()) {
                    throw malformed(actionLine, "expected START_OBJECT but found [" + Json.tokenName(meta) + "]");
                }
                for (var key : meta.propertyNames()) {
                    if (!METADATA.contains(key)) {
                        throw EngineException.illegalArgument(
                                "Action/metadata line [" + actionLine + "] contains an unknown parameter [" + key + "]");
                    }
                }
                var index = meta.has("_index") ? meta.get("_index").asString() : defaultIndex;
                if (index == null) {
                    throw new EngineException("action_request_validation_exception", "Validation Failed: 1: index is missing;", 400);
                }
                var id = meta.hasNonNull("_id") ? Optional.of(meta.get("_id").asString()) : Optional.<String>empty();
                if (type.equals("delete") || type.equals("update")) {
                    if (id.isEmpty()) {
                        throw new EngineException("action_request_validation_exception", "Validation Failed: 1: id is missing;", 400);
                    }
                }
                byte[] body = new byte[0];
                if (!type.equals("delete")) {
                    var source = reader.readLine();
                    lineNumber++;
                    if (source == null) {
                        throw EngineException.illegalArgument("The bulk request must be terminated by a newline [\\n]");
                    }
                    body = source.getBytes(StandardCharsets.UTF_8);
                }
                operations.add(new Operation(type, index, id, body, actionLine));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return operations;
    }

    private static EngineException malformed(int line, String detail) {
        return EngineException.illegalArgument("Malformed action/metadata line [" + line + "], " + detail);
    }

    /** JSON Lines as operations, read lazily: each line is independent, so nothing needs to be buffered. */
    static Iterable<Operation> parseJsonLines(BufferedReader reader, String index) {
        return () -> new java.util.Iterator<>() {
            private int lineNumber;
            private Operation next = advance();

            private Operation advance() {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lineNumber++;
                        if (!line.isBlank()) {
                            return jsonLine(line, index, lineNumber);
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Operation next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                var current = next;
                next = advance();
                return current;
            }
        };
    }

    private static Operation jsonLine(String line, String index, int lineNumber) {
        var bytes = line.getBytes(StandardCharsets.UTF_8);
        Optional<String> id = Optional.empty();
        try {
            var node = Json.SOURCE_MAPPER.readTree(bytes);
            if (node instanceof ObjectNode object) {
                var given = object.get("_id");
                if (given != null && given.isValueNode() && !given.isNull()) {
                    id = Optional.of(given.asString());
                    object.remove("_id");
                    bytes = Json.SOURCE_MAPPER.writeValueAsBytes(object);
                } else if (object.get("id") != null && object.get("id").isValueNode() && !object.get("id").isNull()) {
                    id = Optional.of(object.get("id").asString());
                }
            }
        } catch (JacksonException e) {
            // The document parser reports the malformed line as this item's error.
        }
        return new Operation("index", index, id, bytes, lineNumber);
    }
}
