package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints any tree node as an indented outline, one record component per line, for {@code rankql translate --to ast}.
 *
 * <p>The printer walks records by reflection rather than by a switch over the node types, because it shows the tree
 * exactly as built: a new node or component appears in the output without a change here. It leaves out what the
 * user did not write (empty {@code Optional}s, lists and maps) and spans, so that the output of the DSL and of the
 * equivalent JSON are the same text. Line shapes:
 *
 * <pre>
 * SearchRequest
 *   index: "products"
 *   retriever: Retriever.Standard
 *     query: Query.MultiMatch
 *       query: "the quick brown fox"
 *       fields[0]: title^2
 * </pre>
 *
 * <p>Strings are quoted as JSON strings, {@link Value}s are compact JSON, {@link FieldRef}s read as in the DSL and
 * {@link Keyword} enums print their keyword.
 */
public final class TreePrinter {

    private static final String INDENT = "  ";

    private TreePrinter() {}

    /** The outline of {@code node}: a record with its components below it, or a single literal; ends in a newline. */
    public static String print(Object node) {
        requireNonNull(node, "node");
        var out = new StringBuilder();
        line(out, 0, null, node);
        return out.toString();
    }

    private static void line(StringBuilder out, int depth, String label, Object value) {
        switch (value) {
            case null -> start(out, depth, label).append("null\n");
            case Optional<?> optional -> optional.ifPresent(v -> line(out, depth, label, v));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    line(out, depth, (label == null ? "" : label) + "[" + i + "]", list.get(i));
                }
            }
            case Map<?, ?> map when !map.isEmpty() && !isValueMap(map) -> map.forEach(
                    (key, v) -> line(out, depth, (label == null ? "" : label) + "[" + literal(key) + "]", v));
            case Map<?, ?> map when map.isEmpty() -> {}
            // Hit options at their defaults are as unset as an empty Optional, and as noisy to print.
            case HitOptions options when options.isDefault() -> {}
            case Record node when !isLeaf(node) -> {
                start(out, depth, label).append(typeName(node.getClass())).append('\n');
                for (var component : node.getClass().getRecordComponents()) {
                    if (component.getType() != Span.class) {
                        line(out, depth + 1, component.getName(), read(node, component));
                    }
                }
            }
            default -> start(out, depth, label).append(literal(value)).append('\n');
        }
    }

    private static StringBuilder start(StringBuilder out, int depth, String label) {
        out.append(INDENT.repeat(depth));
        if (label != null) {
            out.append(label).append(": ");
        }
        return out;
    }

    /** Records that read best on one line: literals and field references. */
    private static boolean isLeaf(Record node) {
        return node instanceof Value || node instanceof FieldRef || node instanceof QueryVector;
    }

    private static boolean isValueMap(Map<?, ?> map) {
        return map.values().stream().allMatch(Value.class::isInstance);
    }

    private static Object read(Record node, RecordComponent component) {
        try {
            return component.getAccessor().invoke(node);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(
                    "cannot read [" + component.getName() + "] of " + node.getClass().getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "reading [" + component.getName() + "] of " + node.getClass().getName() + " failed", e.getCause());
        }
    }

    /** The name of a node type within its package, nested types after their enclosing type: {@code Query.Match}. */
    private static String typeName(Class<?> type) {
        var name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    private static String literal(Object value) {
        return switch (value) {
            case String s -> quote(s);
            case Float f -> Numbers.format(f);
            case Double d -> Numbers.format(d);
            case Value v -> json(v);
            case Map<?, ?> map -> objectJson(map);
            case Keyword k -> k.keyword();
            case Enum<?> e -> e.name();
            default -> String.valueOf(value);
        };
    }

    private static String json(Value value) {
        return switch (value) {
            case Value.Null n -> "null";
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Int i -> Long.toString(i.value());
            case Value.Dbl d -> Numbers.format(d.value());
            case Value.Str s -> quote(s.value());
            case Value.Arr a -> {
                var out = new StringBuilder("[");
                for (var item : a.values()) {
                    out.append(out.length() > 1 ? "," : "").append(json(item));
                }
                yield out.append(']').toString();
            }
            case Value.Obj o -> objectJson(o.entries());
        };
    }

    private static String objectJson(Map<?, ?> entries) {
        var out = new StringBuilder("{");
        entries.forEach((key, v) ->
                out.append(out.length() > 1 ? "," : "").append(quote(key.toString())).append(':').append(json((Value) v)));
        return out.append('}').toString();
    }

    /** {@code text} as a JSON string literal. */
    private static String quote(String text) {
        var out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
