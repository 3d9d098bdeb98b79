package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** The answer to a bulk or JSON Lines ingest, in Elasticsearch's {@code _bulk} response shape. */
public record BulkResponse(long tookMillis, List<Item> items) {

    public BulkResponse {
        items = List.copyOf(items);
    }

    /** The outcome of one action: either a result ({@code created}, {@code updated}, ...) or an error. */
    public record Item(
            String action,
            String index,
            String id,
            Optional<Long> version,
            Optional<String> result,
            Optional<Long> seqNo,
            int status,
            boolean forcedRefresh,
            Optional<EngineException> error) {
        public Item {
            requireNonNull(action, "action");
            requireNonNull(index, "index");
            requireNonNull(id, "id");
            requireNonNull(version, "version");
            requireNonNull(result, "result");
            requireNonNull(seqNo, "seqNo");
            requireNonNull(error, "error");
        }

        /** A failed action. */
        static Item failure(String action, String index, String id, EngineException error) {
            return new Item(action, index, id, Optional.empty(), Optional.empty(), Optional.empty(), error.status(), false,
                    Optional.of(error));
        }

        /** This item as Elasticsearch renders it, {@code {"index": {...}}}. */
        public ObjectNode toJson() {
            var inner = Json.object();
            inner.put("_index", index);
            inner.put("_id", id);
            version.ifPresent(v -> inner.put("_version", v));
            result.ifPresent(r -> inner.put("result", r));
            if (forcedRefresh) {
                inner.put("forced_refresh", true);
            }
            if (result.isPresent()) {
                var shards = inner.putObject("_shards");
                shards.put("total", 1);
                shards.put("successful", result.get().equals("noop") ? 0 : 1);
                shards.put("failed", 0);
            }
            seqNo.ifPresent(s -> {
                inner.put("_seq_no", s);
                inner.put("_primary_term", 1);
            });
            inner.put("status", status);
            error.ifPresent(e -> inner.set("error", e.toErrorObject()));
            var node = Json.object();
            node.set(action, inner);
            return node;
        }
    }

    /** Whether any item failed. */
    public boolean errors() {
        return items.stream().anyMatch(i -> i.error().isPresent());
    }

    /** Elasticsearch's body: {@code {"errors": ..., "took": ..., "items": [...]}}. */
    public ObjectNode toJson() {
        var node = Json.object();
        node.put("errors", errors());
        node.put("took", tookMillis);
        var array = node.putArray("items");
        items.forEach(i -> array.add(i.toJson()));
        return node;
    }
}
