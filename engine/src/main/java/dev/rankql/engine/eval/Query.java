package dev.rankql.engine.eval;

import static java.util.Objects.requireNonNull;

import dev.rankql.ast.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One evaluation query: its id, as used in qrels and run files, its text, and extra template parameters of its own.
 *
 * @param id the query id
 * @param text the query text, the {@code query_text} parameter
 * @param params more template parameters of this query (for example the cross-validation fold a judgment-derived
 *     feature must read when this query trains, or its embedding for a {@code vector_similarity} feature): strings,
 *     numbers, booleans or arrays of numbers, never {@code query_text} or {@code query_id}
 */
public record Query(String id, String text, Map<String, Value> params) {

    /** The parameters every query defines itself; {@link #params} cannot redefine them. */
    public static final Set<String> RESERVED_PARAMS = Set.of("query_text", "query_id");

    public Query {
        Qrels.checkId(id, "query id");
        requireNonNull(text, "text");
        params = Map.copyOf(params);
        for (var param : params.entrySet()) {
            if (param.getKey().isEmpty() || RESERVED_PARAMS.contains(param.getKey())) {
                throw new IllegalArgumentException("query [" + id + "]: a parameter cannot be named [" + param.getKey()
                        + "]");
            }
            if (!param.getValue().isScalar() && !isNumberArray(param.getValue())) {
                throw new IllegalArgumentException("query [" + id + "]: parameter [" + param.getKey()
                        + "] must be a string, a number, a boolean or an array of numbers");
            }
        }
    }

    /** Whether {@code value} is an array whose elements are all numbers (a query vector, for example). */
    public static boolean isNumberArray(Value value) {
        return value instanceof Value.Arr array
                && array.values().stream().allMatch(v -> v instanceof Value.Int || v instanceof Value.Dbl);
    }

    /** A query without parameters of its own. */
    public Query(String id, String text) {
        this(id, text, Map.of());
    }

    /** The template parameters of this query: {@code query_text}, {@code query_id} and {@link #params}. */
    public Map<String, Value> templateParams() {
        var all = new LinkedHashMap<String, Value>(params);
        all.put("query_text", Value.of(text));
        all.put("query_id", Value.of(id));
        return all;
    }
}
