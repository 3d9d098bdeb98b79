package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.mapping.IndexSettings;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.Mappings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What {@code index.json} holds for one index: its name, identity, settings and mappings. */
public record IndexMetadata(String name, String uuid, long creationDate, IndexSettings settings, Mappings mappings) {

    public IndexMetadata {
        requireNonNull(name, "name");
        requireNonNull(uuid, "uuid");
        requireNonNull(settings, "settings");
        requireNonNull(mappings, "mappings");
    }

    /** The same index with other mappings. */
    public IndexMetadata withMappings(Mappings newMappings) {
        return new IndexMetadata(name, uuid, creationDate, settings, newMappings);
    }

    /** The {@code index.json} document. */
    public ObjectNode toStorageJson() {
        var node = Json.object();
        node.put("name", name);
        node.put("uuid", uuid);
        node.put("creation_date", creationDate);
        node.set("settings", settings.toJson());
        node.set("mappings", mappings.toJson());
        return node;
    }

    /** Reads an {@code index.json} document. */
    public static IndexMetadata fromStorageJson(JsonNode node) {
        return new IndexMetadata(
                node.path("name").asString(),
                node.path("uuid").asString(),
                node.path("creation_date").asLong(),
                IndexSettings.parse(node.get("settings")),
                Mappings.parse(node.get("mappings")));
    }

    /** Elasticsearch's {@code GET /<index>} body: {@code {"<index>": {"aliases", "mappings", "settings"}}}. */
    public ObjectNode toJson() {
        var inner = Json.object();
        inner.putObject("aliases");
        inner.set("mappings", mappings.toJson());
        var settingsNode = settings.toJson();
        var index = settingsNode.get("index") instanceof ObjectNode o ? o : settingsNode.putObject("index");
        index.put("provided_name", name);
        index.put("creation_date", Long.toString(creationDate));
        index.put("uuid", uuid);
        inner.set("settings", settingsNode);
        var node = Json.object();
        node.set(name, inner);
        return node;
    }

    /** Elasticsearch's {@code GET /<index>/_mapping} body: {@code {"<index>": {"mappings": {...}}}}. */
    public ObjectNode toMappingJson() {
        var node = Json.object();
        node.putObject(name).set("mappings", mappings.toJson());
        return node;
    }
}
