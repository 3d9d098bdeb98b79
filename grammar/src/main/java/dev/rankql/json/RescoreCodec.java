package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION;
import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;
import static dev.rankql.json.Diagnostic.X_CONTENT_PARSE_EXCEPTION;

import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.Script;
import dev.rankql.ast.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes rescore lists and their elements ({@code query}, {@code learning_to_rank}, {@code script}). */
final class RescoreCodec {

    static final String WINDOW_SIZE = "window_size";
    static final String QUERY = "query";
    static final String LEARNING_TO_RANK = "learning_to_rank";
    static final String SCRIPT = "script";
    static final String RESCORE_QUERY = "rescore_query";
    static final String QUERY_WEIGHT = "query_weight";
    static final String RESCORE_QUERY_WEIGHT = "rescore_query_weight";
    static final String SCORE_MODE = "score_mode";
    static final String MODEL_ID = "model_id";
    static final String PARAMS = "params";

    private static final List<String> QUERY_FIELDS = List.of(RESCORE_QUERY, QUERY_WEIGHT, RESCORE_QUERY_WEIGHT,
            SCORE_MODE);
    private static final List<String> LTR_FIELDS = List.of(MODEL_ID, PARAMS);

    private final Problems problems;
    private final QueryCodec queries;

    RescoreCodec(Problems problems, QueryCodec queries) {
        this.problems = problems;
        this.queries = queries;
    }

    /** The top-level {@code rescore}: one element object or an array of them (an empty array means none). */
    List<Rescore> readTopLevel(JsonNode node, String path) {
        var list = new ArrayList<Rescore>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                add(list, readElement(node.get(i), Json.index(path, i)));
            }
        } else {
            add(list, readElement(node, path));
        }
        return list;
    }

    /** The {@code rescore} of a {@code rescorer} retriever, which must hold at least one element. */
    List<Rescore> readForRetriever(JsonNode node, String path) {
        if (!node.isObject() && !node.isArray()) {
            problems.add(path, "Unknown format for [rescorer.rescore], expects an object or an array of objects, "
                    + "got: " + Json.token(node), ILLEGAL_ARGUMENT_EXCEPTION);
            return List.of();
        }
        if (node.isArray() && node.isEmpty()) {
            problems.add(path, "Missing rescore definition", ILLEGAL_ARGUMENT_EXCEPTION);
            return List.of();
        }
        return readTopLevel(node, path);
    }

    private static void add(List<Rescore> list, Rescore rescore) {
        if (rescore != null) {
            list.add(rescore);
        }
    }

    /** One {@code {"window_size": N, "<type>": {...}}} element, checked as RescorerBuilder does. */
    Rescore readElement(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "rescore object", node);
            return null;
        }
        int mark = problems.size();
        Optional<Integer> window = Optional.empty();
        String type = null;
        JsonNode body = null;
        for (var entry : node.properties()) {
            String key = entry.getKey();
            var value = entry.getValue();
            String at = Json.field(path, key);
            if (Json.isValue(value)) {
                if (!key.equals(WINDOW_SIZE)) {
                    problems.add(at, "rescore doesn't support [" + key + "]", PARSING_EXCEPTION);
                    continue;
                }
                var size = Scope.integer(value, at, problems);
                if (size != null && size < 0) {
                    problems.add(at, Rescore.negativeWindowMessage(size),
                            ACTION_REQUEST_VALIDATION_EXCEPTION);
                } else {
                    window = Optional.ofNullable(size);
                }
            } else if (value.isObject()) {
                if (!key.equals(QUERY) && !key.equals(LEARNING_TO_RANK) && !key.equals(SCRIPT)) {
                    problems.add(at, "unknown field [" + key + "]", X_CONTENT_PARSE_EXCEPTION);
                } else if (type != null) {
                    problems.add(at, "rescore element defines both [" + type + "] and [" + key
                            + "]; give each rescorer its own element", PARSING_EXCEPTION);
                } else {
                    type = key;
                    body = value;
                }
            } else {
                problems.add(at, "unexpected token [" + Json.token(value) + "] after [" + key + "]",
                        PARSING_EXCEPTION);
            }
        }
        if (type == null) {
            problems.add(path, "missing rescore type", PARSING_EXCEPTION);
            return null;
        }
        if (type.equals(LEARNING_TO_RANK) && window.isEmpty() && !node.has(WINDOW_SIZE)) {
            problems.add(path, "window_size is required for rescorer of type [learning_to_rank]", PARSING_EXCEPTION);
        }
        String at = Json.field(path, type);
        var size = window;
        var scope = new Scope(body, at, problems);
        Rescore rescore = switch (type) {
            case QUERY -> readQueryRescore(scope, size);
            case LEARNING_TO_RANK -> readLearningToRank(scope, size);
            default -> readScriptRescore(scope, size);
        };
        return problems.size() > mark ? null : rescore;
    }

    private Rescore readQueryRescore(Scope o, Optional<Integer> window) {
        int mark = problems.size();
        var node = o.take(RESCORE_QUERY);
        Query query = null;
        if (node == null) {
            o.later("rescore_query cannot be null", ILLEGAL_ARGUMENT_EXCEPTION);
        } else if (!node.isObject()) {
            problems.expected(o.at(RESCORE_QUERY), "query object", node);
        } else {
            query = queries.read(node, o.at(RESCORE_QUERY));
        }
        var queryWeight = o.number(QUERY_WEIGHT);
        var rescoreQueryWeight = o.number(RESCORE_QUERY_WEIGHT);
        var modeNode = o.take(SCORE_MODE);
        Optional<ScoreMode> mode = Optional.empty();
        if (modeNode != null) {
            var text = Scope.string(modeNode, o.at(SCORE_MODE), problems);
            if (text != null) {
                mode = dev.rankql.ast.Keyword.lookup(ScoreMode.class, text);
                if (mode.isEmpty()) {
                    problems.add(o.at(SCORE_MODE), "illegal score_mode [" + text + "]", ILLEGAL_ARGUMENT_EXCEPTION);
                }
            }
        }
        o.rejectRest(QUERY, QUERY_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        Query rescoreQuery = query;
        var scoreMode = mode;
        return problems.build(o.path, () -> new Rescore.QueryRescore(Span.NONE, window, rescoreQuery, queryWeight,
                rescoreQueryWeight, scoreMode));
    }

    private Rescore readLearningToRank(Scope o, Optional<Integer> window) {
        int mark = problems.size();
        var modelId = o.string(MODEL_ID);
        var params = o.params(PARAMS);
        o.rejectRest(LEARNING_TO_RANK, LTR_FIELDS);
        if (!o.has(MODEL_ID)) {
            // ObjectParser's own wording, trailing space included.
            problems.add(o.path, "Required one of fields [model_id], but none were specified. ",
                    ILLEGAL_ARGUMENT_EXCEPTION);
        }
        if (problems.size() > mark || window.isEmpty()) {
            return null;
        }
        return problems.build(o.path, () -> new Rescore.LearningToRank(Span.NONE, window, modelId.get(), params));
    }

    private Rescore readScriptRescore(Scope o, Optional<Integer> window) {
        int mark = problems.size();
        var node = o.take(SCRIPT);
        Script script = null;
        if (node == null) {
            o.later("Required [script]", ILLEGAL_ARGUMENT_EXCEPTION);
        } else {
            script = ScriptCodec.read(node, o.at(SCRIPT), problems);
        }
        o.rejectRest(SCRIPT, List.of(SCRIPT));
        if (problems.size() > mark) {
            return null;
        }
        Script s = script;
        return problems.build(o.path, () -> new Rescore.ScriptRescore(Span.NONE, window, s));
    }

    /** Always an array, one object per rescorer, {@code window_size} first. */
    static ArrayNode write(List<Rescore> rescores) {
        var array = JsonNodeFactory.instance.arrayNode(rescores.size());
        for (var rescore : rescores) {
            ObjectNode element = array.addObject();
            rescore.windowSize().ifPresent(w -> element.put(WINDOW_SIZE, w));
            var body = element.putObject(rescore.type());
            switch (rescore) {
                case Rescore.QueryRescore q -> {
                    body.set(RESCORE_QUERY, QueryCodec.write(q.rescoreQuery()));
                    q.queryWeight().ifPresent(v -> body.put(QUERY_WEIGHT, v));
                    q.rescoreQueryWeight().ifPresent(v -> body.put(RESCORE_QUERY_WEIGHT, v));
                    q.scoreMode().ifPresent(v -> body.put(SCORE_MODE, v.keyword()));
                }
                case Rescore.LearningToRank l -> {
                    body.put(MODEL_ID, l.modelId());
                    if (!l.params().isEmpty()) {
                        body.set(PARAMS, ValueCodec.write(l.params()));
                    }
                }
                case Rescore.ScriptRescore s -> body.set(SCRIPT, ScriptCodec.write(s.script()));
            }
        }
        return array;
    }
}
