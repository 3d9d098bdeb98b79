package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldAndFormat;
import dev.rankql.ast.InnerHits;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the search options shared by the request and the {@code standard} retriever: sort,
 * search_after, collapse, and the request's {@code _source} and {@code track_total_hits}.
 */
final class OptionsCodec {

    static final String ORDER = "order";
    static final String FIELD = "field";
    static final String INCLUDES = "includes";
    static final String EXCLUDES = "excludes";

    private static final Set<String> SORT_ONLY_ES = Set.of("missing", "mode", "unmapped_type", "numeric_type",
            "format", "nested");
    private static final String INNER_HITS = "inner_hits";
    private static final String MAX_CONCURRENT_GROUP_SEARCHES = "max_concurrent_group_searches";
    private static final List<String> COLLAPSE_FIELDS = List.of(FIELD, INNER_HITS, MAX_CONCURRENT_GROUP_SEARCHES);
    private static final List<String> INNER_HITS_FIELDS = List.of("name", "from", "size", "sort", "collapse", "_source",
            "fields", "version", "seq_no_primary_term", "track_scores", "docvalue_fields");
    private static final String FORMAT = "format";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Problems problems;

    OptionsCodec(Problems problems) {
        this.problems = problems;
    }

    /** {@code "f"}, {@code {"f": "asc"}}, {@code {"f": {"order": "asc"}}}, or an array of these. */
    List<SortField> readSort(JsonNode node, String path) {
        var sort = new ArrayList<SortField>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                readSortElement(node.get(i), Json.index(path, i), sort);
            }
        } else {
            readSortElement(node, path, sort);
        }
        return sort;
    }

    private void readSortElement(JsonNode node, String path, List<SortField> sort) {
        if (node.isString()) {
            add(sort, path, node.stringValue(), Optional.empty());
        } else if (node.isObject()) {
            for (var entry : node.properties()) {
                String at = Json.field(path, entry.getKey());
                var value = entry.getValue();
                if (value.isString()) {
                    var order = Scope.keyword(value, at, SortOrder.class, problems);
                    if (order != null) {
                        add(sort, at, entry.getKey(), Optional.of(order));
                    }
                } else if (value.isObject()) {
                    var o = new Scope(value, at, problems);
                    int mark = problems.size();
                    var order = o.keyword(ORDER, SortOrder.class);
                    String parser = entry.getKey().equals("_score") ? "_score" : "field_sort";
                    o.rest((key, v) -> {
                        if (SORT_ONLY_ES.contains(key)) {
                            problems.unsupported(o.at(key), "sort option [" + key + "]");
                        } else {
                            problems.add(o.at(key), "[" + parser + "] unknown field [" + key + "]"
                                    + Json.suggest(key, List.of(ORDER)), Diagnostic.X_CONTENT_PARSE_EXCEPTION);
                        }
                    });
                    if (problems.size() == mark) {
                        add(sort, at, entry.getKey(), order);
                    }
                } else {
                    problems.expected(at, "sort order string or object", value);
                }
            }
        } else {
            problems.expected(path, "field name, sort object or array of them", node);
        }
    }

    private void add(List<SortField> sort, String path, String field, Optional<SortOrder> order) {
        var key = problems.build(path, () -> new SortField(Span.NONE, field, order));
        if (key != null) {
            sort.add(key);
        }
    }

    /** An array of sort values: strings, numbers, booleans or null. */
    List<Value> readSearchAfter(JsonNode node, String path) {
        var values = new ArrayList<Value>();
        if (!node.isArray()) {
            problems.expected(path, "array", node);
            return values;
        }
        if (node.isEmpty()) {
            problems.add(path, "Values must contains at least one value.", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        for (int i = 0; i < node.size(); i++) {
            var item = node.get(i);
            String at = Json.index(path, i);
            if (item.isObject() || item.isArray()) {
                problems.add(at, "Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but "
                        + "found [" + Json.token(item) + "] inside search_after.", PARSING_EXCEPTION);
                continue;
            }
            var value = Scope.value(item, at, problems);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    Collapse readCollapse(JsonNode node, String path) {
        return readCollapse(node, path, true);
    }

    /** A collapse; inside inner hits ({@code nested} false) it may have neither inner hits nor another collapse. */
    private Collapse readCollapse(JsonNode node, String path, boolean top) {
        if (!node.isObject()) {
            problems.expected(path, "object", node);
            return null;
        }
        int mark = problems.size();
        var o = new Scope(node, path, problems);
        var field = o.string(FIELD);
        List<InnerHits> innerHits = List.of();
        var innerNode = o.take(INNER_HITS);
        if (innerNode != null) {
            if (!top) {
                problems.add(o.at(INNER_HITS), "[inner_hits] is not supported for the collapse of inner hits",
                        Diagnostic.X_CONTENT_PARSE_EXCEPTION);
            } else if (innerNode.isArray()) {
                var list = new ArrayList<InnerHits>();
                for (int i = 0; i < innerNode.size(); i++) {
                    var inner = readInnerHits(innerNode.get(i), Json.index(o.at(INNER_HITS), i));
                    if (inner != null) {
                        list.add(inner);
                    }
                }
                innerHits = list;
            } else {
                var inner = readInnerHits(innerNode, o.at(INNER_HITS));
                innerHits = inner == null ? List.of() : List.of(inner);
            }
        }
        var maxConcurrent = top ? o.integer(MAX_CONCURRENT_GROUP_SEARCHES) : Optional.<Integer>empty();
        o.rejectRest("collapse", top ? COLLAPSE_FIELDS : List.of(FIELD));
        if (!o.has(FIELD)) {
            problems.add(path, "Required [field]", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        var inner = innerHits;
        return problems.size() > mark ? null
                : problems.build(path, () -> new Collapse(Span.NONE, field.get(), inner, maxConcurrent));
    }

    /** One {@code inner_hits} object of a collapse. */
    private InnerHits readInnerHits(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "object", node);
            return null;
        }
        int mark = problems.size();
        var o = new Scope(node, path, problems);
        var name = o.string("name");
        var from = o.integer("from");
        var size = o.integer("size");
        var sortNode = o.take("sort");
        List<SortField> sort = sortNode == null ? List.of() : readSort(sortNode, o.at("sort"));
        var collapseNode = o.take("collapse");
        var collapse = collapseNode == null ? null : readCollapse(collapseNode, o.at("collapse"), false);
        var sourceNode = o.take("_source");
        var source = sourceNode == null ? null : readSource(sourceNode, o.at("_source"));
        var fieldsNode = o.take("fields");
        List<String> fields = fieldsNode == null ? List.of() : readFields(fieldsNode, o.at("fields"));
        var version = o.bool("version").orElse(false);
        var seqNo = o.bool("seq_no_primary_term").orElse(false);
        var trackScores = o.bool("track_scores").orElse(false);
        var docvalueNode = o.take("docvalue_fields");
        List<FieldAndFormat> docvalueFields = docvalueNode == null ? List.of()
                : readDocValueFields(docvalueNode, o.at("docvalue_fields"));
        for (var key : List.of("explain", "highlight", "stored_fields", "script_fields", "ignore_unmapped")) {
            if (o.take(key) != null) {
                problems.unsupported(o.at(key), "inner_hits option [" + key + "]");
            }
        }
        o.rejectRest("inner_hits", INNER_HITS_FIELDS);
        var c = Optional.ofNullable(collapse);
        var src = Optional.ofNullable(source);
        return problems.size() > mark ? null : problems.build(path, () -> new InnerHits(Span.NONE, name, from, size, sort, c,
                src, fields, version, seqNo, trackScores, docvalueFields));
    }

    /**
     * {@code docvalue_fields}: an array of field names or {@code *} patterns, or of {@code {"field", "format"}}
     * objects.
     */
    List<FieldAndFormat> readDocValueFields(JsonNode node, String path) {
        var fields = new ArrayList<FieldAndFormat>();
        if (!node.isArray()) {
            problems.expected(path, "array", node);
            return fields;
        }
        for (int i = 0; i < node.size(); i++) {
            var item = node.get(i);
            String at = Json.index(path, i);
            if (item.isObject()) {
                var o = new Scope(item, at, problems);
                int mark = problems.size();
                var field = o.string(FIELD);
                var format = o.string(FORMAT);
                o.rejectRest("docvalue_fields", List.of(FIELD, FORMAT));
                if (!o.has(FIELD)) {
                    problems.add(at, "Required [field]", ILLEGAL_ARGUMENT_EXCEPTION);
                } else if (problems.size() == mark) {
                    var entry = problems.build(at, () -> new FieldAndFormat(field.get(), format));
                    if (entry != null) {
                        fields.add(entry);
                    }
                }
            } else {
                var text = Scope.string(item, at, problems);
                if (text != null) {
                    var entry = problems.build(at, () -> FieldAndFormat.of(text));
                    if (entry != null) {
                        fields.add(entry);
                    }
                }
            }
        }
        return fields;
    }

    /** {@code stored_fields}: one name or an array of names; {@code _none_} may not be combined with others. */
    List<String> readStoredFields(JsonNode node, String path) {
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        var names = patterns(node, path);
        if (names != null && names.contains(dev.rankql.ast.HitOptions.NO_STORED_FIELDS) && names.size() > 1) {
            problems.add(path, dev.rankql.ast.HitOptions.COMBINED_NONE_MESSAGE, ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        return names;
    }

    static ArrayNode writeDocValueFields(List<FieldAndFormat> fields) {
        var array = NODES.arrayNode(fields.size());
        for (var field : fields) {
            if (field.format().isEmpty()) {
                array.add(field.field());
            } else {
                array.addObject().put(FIELD, field.field()).put(FORMAT, field.format().get());
            }
        }
        return array;
    }

    /** The {@code fields} to return with each hit: names (with {@code *} patterns), or {@code {"field": name}} objects. */
    List<String> readFields(JsonNode node, String path) {
        var fields = new ArrayList<String>();
        if (!node.isArray()) {
            problems.expected(path, "array", node);
            return fields;
        }
        for (int i = 0; i < node.size(); i++) {
            var item = node.get(i);
            String at = Json.index(path, i);
            if (item.isObject()) {
                var o = new Scope(item, at, problems);
                var field = o.string(FIELD);
                if (o.take("format") != null) {
                    problems.unsupported(o.at("format"), "fields option [format]");
                }
                o.rejectRest("fields", List.of(FIELD, "format"));
                field.ifPresentOrElse(fields::add, () -> problems.add(at, "Required [field]", ILLEGAL_ARGUMENT_EXCEPTION));
            } else {
                var text = Scope.string(item, at, problems);
                if (text != null) {
                    fields.add(text);
                }
            }
        }
        return fields;
    }

    /** {@code true}, {@code "title"}, {@code ["title", "body"]} or {@code {"includes": ..., "excludes": ...}}. */
    SourceFilter readSource(JsonNode node, String path) {
        if (node.isBoolean()) {
            return new SourceFilter.Fetch(node.booleanValue());
        }
        if (node.isString() || node.isArray()) {
            var includes = patterns(node, path);
            return includes == null ? null : new SourceFilter.Fields(includes, List.of());
        }
        if (!node.isObject()) {
            problems.expected(path, "boolean, string, array of strings or object", node);
            return null;
        }
        int mark = problems.size();
        var includes = new ArrayList<String>();
        var excludes = new ArrayList<String>();
        for (var entry : node.properties()) {
            String key = entry.getKey();
            String at = Json.field(path, key);
            var value = entry.getValue();
            List<String> target = switch (key) {
                case INCLUDES, "include" -> includes;
                case EXCLUDES, "exclude" -> excludes;
                default -> null;
            };
            if (target == null) {
                problems.add(at, "Unknown key for a " + Json.token(value) + " in [" + key + "].", PARSING_EXCEPTION);
                continue;
            }
            var patterns = patterns(value, at);
            if (patterns != null) {
                target.addAll(patterns);
            }
        }
        return problems.size() > mark ? null : new SourceFilter.Fields(includes, excludes);
    }

    private List<String> patterns(JsonNode node, String path) {
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        if (!node.isArray()) {
            problems.expected(path, "string or array of strings", node);
            return null;
        }
        int mark = problems.size();
        var patterns = new ArrayList<String>();
        for (int i = 0; i < node.size(); i++) {
            var text = Scope.string(node.get(i), Json.index(path, i), problems);
            if (text != null) {
                patterns.add(text);
            }
        }
        return problems.size() > mark ? null : patterns;
    }

    /** {@code true}, {@code false} (also as strings) or a whole number of at least -1. */
    TrackTotalHits readTrackTotalHits(JsonNode node, String path) {
        if (node.isBoolean() || node.isString()
                && (node.stringValue().equals("true") || node.stringValue().equals("false"))) {
            return new TrackTotalHits.Flag(Boolean.parseBoolean(node.asString()));
        }
        var limit = Scope.integer(node, path, problems);
        if (limit == null) {
            return null;
        }
        if (limit < -1) {
            problems.add(path, "[track_total_hits] parameter must be positive or equals to -1, got " + limit,
                    ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        return new TrackTotalHits.UpTo(limit);
    }

    /** The ES check on a negative {@code terminate_after}. */
    Optional<Integer> readTerminateAfter(JsonNode node, String path) {
        var value = Scope.integer(node, path, problems);
        if (value != null && value < 0) {
            problems.add(path, "terminateAfter must be > 0", ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return Optional.ofNullable(value);
    }

    static ArrayNode writeSort(List<SortField> sort) {
        var array = NODES.arrayNode(sort.size());
        for (var key : sort) {
            if (key.order().isEmpty()) {
                array.add(key.field());
            } else {
                array.addObject().put(key.field(), key.order().get().keyword());
            }
        }
        return array;
    }

    static ArrayNode writeValues(List<Value> values) {
        var array = NODES.arrayNode(values.size());
        values.forEach(v -> array.add(ValueCodec.write(v)));
        return array;
    }

    static ObjectNode writeCollapse(Collapse collapse) {
        var o = NODES.objectNode().put(FIELD, collapse.field());
        if (collapse.innerHits().size() == 1) {
            o.set(INNER_HITS, writeInnerHits(collapse.innerHits().getFirst()));
        } else if (!collapse.innerHits().isEmpty()) {
            var array = o.putArray(INNER_HITS);
            collapse.innerHits().forEach(i -> array.add(writeInnerHits(i)));
        }
        collapse.maxConcurrentGroupSearches().ifPresent(m -> o.put(MAX_CONCURRENT_GROUP_SEARCHES, m));
        return o;
    }

    private static ObjectNode writeInnerHits(InnerHits inner) {
        var o = NODES.objectNode();
        inner.name().ifPresent(n -> o.put("name", n));
        inner.from().ifPresent(f -> o.put("from", f));
        inner.size().ifPresent(s -> o.put("size", s));
        if (!inner.sort().isEmpty()) {
            o.set("sort", writeSort(inner.sort()));
        }
        inner.collapse().ifPresent(c -> o.set("collapse", writeCollapse(c)));
        inner.source().ifPresent(s -> o.set("_source", writeSource(s)));
        if (!inner.fields().isEmpty()) {
            var array = o.putArray("fields");
            inner.fields().forEach(array::add);
        }
        if (inner.version()) {
            o.put("version", true);
        }
        if (inner.seqNoPrimaryTerm()) {
            o.put("seq_no_primary_term", true);
        }
        if (inner.trackScores()) {
            o.put("track_scores", true);
        }
        if (!inner.docvalueFields().isEmpty()) {
            o.set("docvalue_fields", writeDocValueFields(inner.docvalueFields()));
        }
        return o;
    }

    static JsonNode writeSource(SourceFilter source) {
        return switch (source) {
            case SourceFilter.Fetch f -> NODES.booleanNode(f.enabled());
            case SourceFilter.Fields f -> {
                var o = NODES.objectNode();
                if (!f.includes().isEmpty()) {
                    var includes = o.putArray(INCLUDES);
                    f.includes().forEach(includes::add);
                }
                if (!f.excludes().isEmpty()) {
                    var excludes = o.putArray(EXCLUDES);
                    f.excludes().forEach(excludes::add);
                }
                yield o;
            }
        };
    }

    static JsonNode writeTrackTotalHits(TrackTotalHits track) {
        return switch (track) {
            case TrackTotalHits.Flag f -> NODES.booleanNode(f.enabled());
            case TrackTotalHits.UpTo u -> NODES.numberNode((long) u.limit());
        };
    }
}
