package dev.rankql.models.formats;

import java.util.Optional;

/** Unwraps the o19s/OpenSearch stored-model envelope {@code {"model": {"model": {"type", "definition"}}}}. */
final class StoredModel {

    private StoredModel() {}

    /**
     * The {@code definition} of an envelope of the given {@code type} (parsed when it is a JSON string), or empty
     * when {@code root} is not an envelope.
     */
    static Optional<Json> definition(Json root, String type) {
        Json current = root;
        for (int depth = 0; depth < 2 && current.has("model") && current.field("model").isObject(); depth++) {
            current = current.field("model");
        }
        if (!current.isObject() || !current.has("definition") || !current.has("type")) {
            return Optional.empty();
        }
        Json typeNode = current.field("type");
        if (!typeNode.string().equals(type)) {
            throw typeNode.error("expected type [" + type + "], got [" + typeNode.string() + "]");
        }
        Json definition = current.field("definition");
        return Optional.of(definition.isString() ? Json.parse(definition.string()) : definition);
    }
}
