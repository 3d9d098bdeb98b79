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

    /**
     * One write: its action, target, id (absent: generated), the raw source or update body line, and {@code
     * document}, the body already parsed by {@link Json#MAPPER} when reading it found the id (null: parsed when the
     * write is applied). {@code externalVersion} is the version an {@code index} or {@code create} action sets with
     * {@code version_type: external} ({@code externalGte} for {@code external_gte}), as an external system of record
     * numbers its documents.
     */
    record Operation(String action, String index, Optional<String> id, byte[] body, int line, ObjectNode document,
            Optional<Long> externalVersion, boolean externalGte) {

        Operation(String action, String index, Optional<String> id, byte[] body, int line, ObjectNode document) {
            this(action, index, id, body, line, document, Optional.empty(), false);
        }
    }

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
                // Checked before the item is read, so an oversized body is refused without parsing the rest.
                EngineLimits.bulkItems(operations.size() + 1);
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
                operations.add(new Operation(type, index, id, body, actionLine, null, externalVersion(meta, actionLine),
                        "external_gte".equals(meta.path("version_type").asString(""))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return operations;
    }

    /**
     * The version an action's metadata sets with {@code version_type} {@code external} (or its alias
     * {@code external_gt}) or {@code external_gte}; empty for internal versioning, where rankql numbers versions itself.
     */
    private static Optional<Long> externalVersion(tools.jackson.databind.JsonNode meta, int line) {
        var type = meta.path("version_type").asString("internal");
        switch (type) {
            case "internal" -> {
                return Optional.empty();
            }
            case "external", "external_gt", "external_gte" -> {
                var version = meta.get("version");
                if (version == null || !version.canConvertToLong() || version.longValue() < 0) {
                    throw new EngineException("action_request_validation_exception",
                            "Validation Failed: 1: illegal version value [" + (version == null ? -3 : version.asString()) + "] for version type ["
                                    + type.toUpperCase(java.util.Locale.ROOT) + "];", 400);
                }
                return Optional.of(version.longValue());
            }
            default -> throw EngineException.illegalArgument("No version type match [" + type + "]");
        }
    }

    private static EngineException malformed(int line, String detail) {
        return EngineException.illegalArgument("Malformed action/metadata line [" + line + "], " + detail);
    }

    /**
     * JSON Lines as operations. The lines are read first, so that a request over {@link EngineLimits#MAX_BULK_ITEMS}
     * is refused before anything of it is written; each line is parsed only when its operation is taken.
     */
    static Iterable<Operation> parseJsonLines(BufferedReader reader, String index) {
        var lines = new ArrayList<String>();
        var numbers = new ArrayList<Integer>();
        try {
            int lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    EngineLimits.bulkItems(lines.size() + 1);
                    lines.add(line);
                    numbers.add(lineNumber);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return () -> new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < lines.size();
            }

            @Override
            public Operation next() {
                if (next >= lines.size()) {
                    throw new java.util.NoSuchElementException();
                }
                var line = lines.get(next);
                // Dropped once taken: the parsed operation holds the line's bytes from here on.
                lines.set(next, null);
                return jsonLine(line, index, numbers.get(next++));
            }
        };
    }

    /**
     * One JSON line as an index operation. The line is parsed once, as the document parser would parse it, and
     * that tree both gives the id and becomes the document; only a line with {@code _id} (which is taken out of the
     * stored source) or with a decimal {@code id} is read again, keeping decimals exactly as written.
     */
    private static Operation jsonLine(String line, String index, int lineNumber) {
        var bytes = line.getBytes(StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            // The document parser reports the malformed line as this item's error.
            return new Operation("index", index, Optional.empty(), bytes, lineNumber, null);
        }
        if (!(node instanceof ObjectNode object)) {
            return new Operation("index", index, Optional.empty(), bytes, lineNumber, null);
        }
        if (isId(object.get("_id"))) {
            return withIdTakenOut(bytes, index, lineNumber);
        }
        var id = object.get("id");
        if (!isId(id)) {
            return new Operation("index", index, Optional.empty(), bytes, lineNumber, object);
        }
        if (!id.isFloatingPointNumber()) {
            return new Operation("index", index, Optional.of(id.asString()), bytes, lineNumber, object);
        }
        try {
            return new Operation("index", index, Optional.of(Json.readSource(bytes).get("id").asString()), bytes,
                    lineNumber, object);
        } catch (JacksonException e) {
            return new Operation("index", index, Optional.empty(), bytes, lineNumber, null);
        }
    }

    private static boolean isId(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull();
    }

    private static Operation withIdTakenOut(byte[] bytes, String index, int lineNumber) {
        ObjectNode object;
        try {
            object = (ObjectNode) Json.readSource(bytes);
        } catch (JacksonException e) {
            return new Operation("index", index, Optional.empty(), bytes, lineNumber, null);
        }
        var id = object.get("_id").asString();
        object.remove("_id");
        return new Operation("index", index, Optional.of(id), Json.SOURCE_MAPPER.writeValueAsBytes(object), lineNumber, null);
    }
}
