package dev.rankql.engine.ltr;

import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Template parameters as plain Java values, the form mustache reads: request params merged over defaults. */
public final class Params {

    private Params() {}

    /** {@code request} over {@code defaults}: the request's value wins, defaults fill the rest, as Elasticsearch. */
    public static Map<String, Object> merge(Map<String, Value> request, Map<String, Object> defaults) {
        var merged = new LinkedHashMap<String, Object>();
        request.forEach((k, v) -> merged.put(k, toJava(v)));
        defaults.forEach(merged::putIfAbsent);
        return merged;
    }

    /** A JSON object as plain Java values. */
    public static Map<String, Object> toJava(JsonNode object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(object, LinkedHashMap.class);
        return map;
    }

    /** An AST value as a plain Java value: String, Long, Double, Boolean, List, Map or null. */
    public static Object toJava(Value value) {
        return switch (value) {
            case Value.Null n -> null;
            case Value.Bool b -> b.value();
            case Value.Int i -> i.value();
            case Value.Dbl d -> d.value();
            case Value.Str s -> s.value();
            case Value.Arr a -> {
                List<Object> list = new ArrayList<>();
                a.values().forEach(v -> list.add(toJava(v)));
                yield list;
            }
            case Value.Obj o -> {
                Map<String, Object> map = new LinkedHashMap<>();
                o.entries().forEach((k, v) -> map.put(k, toJava(v)));
                yield map;
            }
        };
    }
}
