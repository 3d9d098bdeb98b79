package dev.rankql.engine;

import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Applies one bulk operation to an index under its write lock and describes the outcome as a bulk item. */
final class BulkWriter {

    private BulkWriter() {}

    static BulkResponse.Item apply(IndexHandle handle, BulkParser.Operation op, boolean forcedRefresh) throws IOException {
        boolean generated = op.id().isEmpty();
        var id = op.id().orElseGet(Ids::next);
        try {
            if (id.isEmpty()) {
                throw new EngineException("action_request_validation_exception", "Validation Failed: 1: id is too short, must be no shorter than 1 bytes but was: 0;", 400);
            }
            if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 512) {
                throw new EngineException("action_request_validation_exception", "Validation Failed: 1: id [" + id + "] is too long, must be no longer than 512 bytes but was: " + id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ";", 400);
            }
            return switch (op.action()) {
                case "index" -> generated && op.externalVersion().isEmpty()
                        ? append(handle, op, id, forcedRefresh)
                        : index(handle, op, id, op.body(), op.document(), false, forcedRefresh);
                case "create" -> index(handle, op, id, op.body(), op.document(), true, forcedRefresh);
                case "update" -> update(handle, op, id, forcedRefresh);
                case "delete" -> delete(handle, op, id, forcedRefresh);
                default -> throw new IllegalStateException("unknown bulk action " + op.action());
            };
        } catch (EngineException e) {
            return BulkResponse.Item.failure(op.action(), op.index(), id, withIndex(e, handle));
        } catch (IllegalArgumentException e) {
            // Lucene refuses a document it cannot index (an immense term, say) without adding it, as ES fails the item;
            // failing the whole request instead would leave the earlier items to be committed by the next request.
            return BulkResponse.Item.failure(op.action(), op.index(), id, EngineException.illegalArgument(e.getMessage()));
        }
    }

    private static EngineException withIndex(EngineException e, IndexHandle handle) {
        if (!e.type().equals("version_conflict_engine_exception") && !e.type().equals("document_missing_exception")) {
            return e;
        }
        return new EngineException(e.type(), e.reason(), e.status(),
                orderedOf("index_uuid", handle.metadata().uuid(), "shard", "0", "index", handle.metadata().name()),
                e.causedBy());
    }

    private static Map<String, String> orderedOf(String... kv) {
        var map = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    private static BulkResponse.Item index(
            IndexHandle handle, BulkParser.Operation op, String id, byte[] source, ObjectNode document, boolean create,
            boolean forcedRefresh) throws IOException {
        var current = handle.current(id);
        if (create && current.isPresent()) {
            throw new EngineException("version_conflict_engine_exception",
                    "[" + id + "]: version conflict, document already exists (current version [" + current.get().version() + "])", 409);
        }
        long version = current.map(c -> c.version() + 1).orElse(1L);
        if (op.externalVersion().isPresent()) {
            long given = op.externalVersion().get();
            if (current.isPresent() && (op.externalGte() ? given < current.get().version() : given <= current.get().version())) {
                throw new EngineException("version_conflict_engine_exception", "[" + id + "]: version conflict, current version ["
                        + current.get().version() + "] is higher" + (op.externalGte() ? " than" : " or equal to") + " the one provided ["
                        + given + "]", 409);
            }
            version = given;
        }
        long seqNo = handle.index(id, source, document, version);
        return success(op, handle, id, version, current.isPresent() ? "updated" : "created", seqNo,
                current.isPresent() ? 200 : 201, forcedRefresh);
    }

    /** A document with a generated id cannot exist yet, so it is appended without a version lookup, as in ES. */
    private static BulkResponse.Item append(IndexHandle handle, BulkParser.Operation op, String id, boolean forcedRefresh)
            throws IOException {
        long seqNo = handle.append(id, op.body(), op.document());
        return success(op, handle, id, 1, "created", seqNo, 201, forcedRefresh);
    }

    private static BulkResponse.Item update(IndexHandle handle, BulkParser.Operation op, String id, boolean forcedRefresh)
            throws IOException {
        JsonNode body;
        try {
            body = Json.readSource(op.body());
        } catch (JacksonException e) {
            throw EngineException.parsing("Failed to parse update request: " + e.getOriginalMessage());
        }
        if (!(body instanceof ObjectNode request)) {
            throw EngineException.parsing("Failed to parse update request: expected an object");
        }
        for (var key : request.propertyNames()) {
            switch (key) {
                case "doc", "doc_as_upsert", "upsert", "detect_noop", "_source" -> {
                    // Known update fields.
                }
                case "script", "scripted_upsert" -> throw EngineException.illegalArgument(
                        "rankql does not support scripted updates; send a partial [doc]");
                default -> throw EngineException.parsing("[UpdateRequest] unknown field [" + key + "]");
            }
        }
        var doc = request.get("doc");
        var upsert = request.get("upsert");
        boolean docAsUpsert = request.path("doc_as_upsert").asBoolean(false);
        boolean detectNoop = request.path("detect_noop").asBoolean(true);
        if (doc == null && upsert == null) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: script or doc is missing;", 400);
        }
        if (doc != null && !doc.isObject() || upsert != null && !upsert.isObject()) {
            throw EngineException.parsing("[UpdateRequest] [doc] and [upsert] must be objects");
        }
        var current = handle.current(id);
        if (current.isEmpty()) {
            JsonNode initial = docAsUpsert ? doc : upsert;
            if (initial == null) {
                throw new EngineException("document_missing_exception", "[" + id + "]: document missing", 404);
            }
            long seqNo = handle.index(id, Json.SOURCE_MAPPER.writeValueAsBytes(initial), null, 1);
            return success(op, handle, id, 1, "created", seqNo, 201, forcedRefresh);
        }
        if (doc == null) {
            return success(op, handle, id, current.get().version(), "noop", current.get().seqNo(), 200, false);
        }
        JsonNode existing;
        try {
            existing = Json.readSource(current.get().source());
        } catch (JacksonException e) {
            throw EngineException.parsing("stored source of [" + id + "] cannot be read: " + e.getOriginalMessage());
        }
        var merged = ((ObjectNode) existing).deepCopy();
        boolean changed = merge(merged, (ObjectNode) doc);
        if (!changed && detectNoop) {
            return success(op, handle, id, current.get().version(), "noop", current.get().seqNo(), 200, false);
        }
        long version = current.get().version() + 1;
        long seqNo = handle.index(id, Json.SOURCE_MAPPER.writeValueAsBytes(merged), null, version);
        return success(op, handle, id, version, "updated", seqNo, 200, forcedRefresh);
    }

    /** Merges {@code update} into {@code target} as Elasticsearch does (objects recursively); true if anything changed. */
    private static boolean merge(ObjectNode target, ObjectNode update) {
        boolean changed = false;
        for (var entry : update.properties()) {
            var old = target.get(entry.getKey());
            if (old instanceof ObjectNode oldObject && entry.getValue() instanceof ObjectNode newObject) {
                changed |= merge(oldObject, newObject);
            } else if (old == null || !old.equals(entry.getValue())) {
                target.set(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        return changed;
    }

    private static BulkResponse.Item delete(IndexHandle handle, BulkParser.Operation op, String id, boolean forcedRefresh)
            throws IOException {
        var current = handle.current(id);
        if (current.isEmpty()) {
            return success(op, handle, id, 1, "not_found", handle.noopSeqNo(), 404, forcedRefresh);
        }
        long version = current.get().version() + 1;
        long seqNo = handle.delete(id, version);
        return success(op, handle, id, version, "deleted", seqNo, 200, forcedRefresh);
    }

    private static BulkResponse.Item success(
            BulkParser.Operation op, IndexHandle handle, String id, long version, String result, long seqNo, int status,
            boolean forcedRefresh) {
        return new BulkResponse.Item(op.action(), handle.metadata().name(), id, Optional.of(version), Optional.of(result),
                Optional.of(seqNo), status, forcedRefresh, Optional.empty());
    }
}
