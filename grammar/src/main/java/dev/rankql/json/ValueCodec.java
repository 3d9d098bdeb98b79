package dev.rankql.json;

import dev.rankql.ast.Value;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writes {@link Value}s as JSON; whole numbers stay integers and decimals keep a fraction so they read back equal. */
final class ValueCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ValueCodec() {}

    static JsonNode write(Value value) {
        return switch (value) {
            case Value.Null n -> NODES.nullNode();
            case Value.Bool b -> NODES.booleanNode(b.value());
            case Value.Int i -> NODES.numberNode(i.value());
            case Value.Dbl d -> NODES.numberNode(d.value());
            case Value.Str s -> NODES.stringNode(s.value());
            case Value.Arr a -> {
                var array = NODES.arrayNode(a.values().size());
                a.values().forEach(v -> array.add(write(v)));
                yield array;
            }
            case Value.Obj o -> write(o.entries());
        };
    }

    static ObjectNode write(Map<String, Value> entries) {
        var object = NODES.objectNode();
        entries.forEach((key, v) -> object.set(key, write(v)));
        return object;
    }
}
