package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.Query;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SortField;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes {@code standard} and {@code rescorer} retrievers. */
final class RetrieverCodec {

    static final String STANDARD = "standard";
    static final String RESCORER = "rescorer";
    static final String QUERY = "query";
    static final String FILTER = "filter";
    static final String MIN_SCORE = "min_score";
    static final String NAME = "_name";
    static final String COLLAPSE = "collapse";
    static final String SORT = "sort";
    static final String SEARCH_AFTER = "search_after";
    static final String TERMINATE_AFTER = "terminate_after";
    static final String RETRIEVER = "retriever";
    static final String RESCORE = "rescore";

    private static final List<String> NAMES = List.of(STANDARD, RESCORER);
    private static final Set<String> ELASTICSEARCH_ONLY = Set.of("knn", "rrf", "linear", "text_similarity_reranker",
            "rule", "pinned", "diversify");
    private static final List<String> STANDARD_FIELDS = List.of(QUERY, FILTER, MIN_SCORE, NAME, COLLAPSE, SORT,
            SEARCH_AFTER, TERMINATE_AFTER);
    private static final List<String> RESCORER_FIELDS = List.of(RETRIEVER, RESCORE, FILTER, MIN_SCORE, NAME);

    private final Problems problems;
    private final QueryCodec queries;
    private final RescoreCodec rescores;
    private final OptionsCodec options;

    RetrieverCodec(Problems problems, QueryCodec queries, RescoreCodec rescores, OptionsCodec options) {
        this.problems = problems;
        this.queries = queries;
        this.rescores = rescores;
        this.options = options;
    }

    /** Reads {@code {"<retriever name>": {...}}}; null (with diagnostics) when it is not a valid retriever. */
    Retriever read(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path, "retriever malformed, must start with [START_OBJECT]", PARSING_EXCEPTION);
            return null;
        }
        if (node.isEmpty()) {
            problems.add(path, "retriever malformed, empty clause found", PARSING_EXCEPTION);
            return null;
        }
        var entries = node.properties().iterator();
        var first = entries.next();
        String name = first.getKey();
        String at = Json.field(path, name);
        int mark = problems.size();
        if (entries.hasNext()) {
            problems.add(Json.field(path, entries.next().getKey()),
                    "[" + name + "] malformed retriever, expected [END_OBJECT] but found [FIELD_NAME]",
                    PARSING_EXCEPTION);
        }
        var body = first.getValue();
        if (!body.isObject()) {
            problems.add(at, "[" + name + "] retriever malformed, no [START_OBJECT] after retriever name",
                    PARSING_EXCEPTION);
            return null;
        }
        if (!NAMES.contains(name)) {
            if (ELASTICSEARCH_ONLY.contains(name)) {
                problems.unsupported(at, "the [" + name + "] retriever");
            } else {
                problems.add(at, "unknown retriever [" + name + "]" + Json.suggest(name, NAMES), PARSING_EXCEPTION);
            }
            return null;
        }
        if (!problems.enter(at, "retriever")) {
            return null;
        }
        try {
            var scope = new Scope(body, at, problems);
            var retriever = name.equals(STANDARD) ? readStandard(scope) : readRescorer(scope);
            return problems.size() == mark ? retriever : null;
        } finally {
            problems.leave();
        }
    }

    private Retriever readStandard(Scope o) {
        int mark = problems.size();
        var queryNode = o.take(QUERY);
        Query query = null;
        if (queryNode != null) {
            if (queryNode.isObject()) {
                query = queries.read(queryNode, o.at(QUERY));
            } else {
                problems.expected(o.at(QUERY), "query object", queryNode);
            }
        }
        var filter = filters(o);
        var minScore = o.number(MIN_SCORE);
        var name = o.name();
        var collapseNode = o.take(COLLAPSE);
        Collapse collapse = collapseNode == null ? null : options.readCollapse(collapseNode, o.at(COLLAPSE));
        var sortNode = o.take(SORT);
        List<SortField> sort = sortNode == null ? List.of() : options.readSort(sortNode, o.at(SORT));
        var afterNode = o.take(SEARCH_AFTER);
        List<Value> searchAfter = afterNode == null ? List.of() : options.readSearchAfter(afterNode,
                o.at(SEARCH_AFTER));
        var terminateNode = o.take(TERMINATE_AFTER);
        Optional<Integer> terminateAfter = terminateNode == null ? Optional.empty()
                : options.readTerminateAfter(terminateNode, o.at(TERMINATE_AFTER));
        o.rejectRest(STANDARD, STANDARD_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        var q = Optional.ofNullable(query);
        var c = Optional.ofNullable(collapse);
        return problems.build(o.path, () -> new Retriever.Standard(Span.NONE, q, filter, minScore, c, sort,
                searchAfter, terminateAfter, name));
    }

    private Retriever readRescorer(Scope o) {
        int mark = problems.size();
        var childNode = o.take(RETRIEVER);
        Retriever child = null;
        if (childNode != null) {
            child = read(childNode, o.at(RETRIEVER));
            if (child instanceof Retriever.Standard standard) {
                compoundChild(standard, o.at(RETRIEVER));
            }
        }
        var rescoreNode = o.take(RESCORE);
        var rescore = rescoreNode == null ? List.<dev.rankql.ast.Rescore>of()
                : rescores.readForRetriever(rescoreNode, o.at(RESCORE));
        var missing = new ArrayList<String>();
        if (childNode == null) {
            missing.add(RETRIEVER);
        }
        if (rescoreNode == null) {
            missing.add(RESCORE);
        }
        if (!missing.isEmpty()) {
            o.later("Required [" + String.join(", ", missing) + "]", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        var filter = filters(o);
        var minScore = o.number(MIN_SCORE);
        var name = o.name();
        o.rejectRest(RESCORER, RESCORER_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        var inner = child;
        return problems.build(o.path, () -> new Retriever.Rescorer(Span.NONE, inner, rescore, filter, minScore,
                name));
    }

    /** Elasticsearch refuses paging options on a retriever that a compound retriever runs as a sub-search. */
    private void compoundChild(Retriever.Standard child, String path) {
        String at = Json.field(path, STANDARD);
        if (!child.searchAfter().isEmpty()) {
            problems.add(Json.field(at, SEARCH_AFTER), "[search_after] cannot be used in children of compound "
                    + "retrievers", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        if (child.terminateAfter().isPresent()) {
            problems.add(Json.field(at, TERMINATE_AFTER), "[terminate_after] cannot be used in children of "
                    + "compound retrievers", ILLEGAL_ARGUMENT_EXCEPTION);
        }
    }

    private List<Query> filters(Scope o) {
        var node = o.take(FILTER);
        return node == null ? List.of() : queries.readList(node, o.at(FILTER));
    }

    /** The canonical JSON of {@code retriever}; filters are always an array. */
    static ObjectNode write(Retriever retriever) {
        var outer = JsonNodeFactory.instance.objectNode();
        var o = outer.putObject(retriever.type());
        switch (retriever) {
            case Retriever.Standard s -> {
                s.query().ifPresent(q -> o.set(QUERY, QueryCodec.write(q)));
                QueryCodec.writeList(o, FILTER, s.filter());
                s.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
                s.collapse().ifPresent(c -> o.set(COLLAPSE, OptionsCodec.writeCollapse(c)));
                if (!s.sort().isEmpty()) {
                    o.set(SORT, OptionsCodec.writeSort(s.sort()));
                }
                if (!s.searchAfter().isEmpty()) {
                    o.set(SEARCH_AFTER, OptionsCodec.writeValues(s.searchAfter()));
                }
                s.terminateAfter().ifPresent(v -> o.put(TERMINATE_AFTER, v));
            }
            case Retriever.Rescorer r -> {
                o.set(RETRIEVER, write(r.retriever()));
                o.set(RESCORE, RescoreCodec.write(r.rescore()));
                QueryCodec.writeList(o, FILTER, r.filter());
                r.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
            }
            case Retriever.Knn k -> throw new IllegalStateException("the JSON writer does not write [knn] yet");
            case Retriever.Rrf r -> throw new IllegalStateException("the JSON writer does not write [rrf] yet");
            case Retriever.Linear l -> throw new IllegalStateException("the JSON writer does not write [linear] yet");
        }
        retriever.name().ifPresent(v -> o.put(NAME, v));
        return outer;
    }
}
