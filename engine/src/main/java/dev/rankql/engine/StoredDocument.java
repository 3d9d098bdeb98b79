package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A document as Elasticsearch's get API returns it: its latest version, sequence number and source. */
public record StoredDocument(String index, String id, long version, long seqNo, JsonNode source) {

    public StoredDocument {
        requireNonNull(index, "index");
        requireNonNull(id, "id");
        requireNonNull(source, "source");
    }

    /** Elasticsearch's {@code GET /<index>/_doc/<id>} body for a found document. */
    public ObjectNode toJson() {
        var node = Json.object();
        node.put("_index", index);
        node.put("_id", id);
        node.put("_version", version);
        node.put("_seq_no", seqNo);
        node.put("_primary_term", 1);
        node.put("found", true);
        node.set("_source", source);
        return node;
    }

    /** Elasticsearch's {@code GET /<index>/_doc/<id>} body for a document that does not exist (status 404). */
    public static ObjectNode notFoundJson(String index, String id) {
        var node = Json.object();
        node.put("_index", index);
        node.put("_id", id);
        node.put("found", false);
        return node;
    }
}
