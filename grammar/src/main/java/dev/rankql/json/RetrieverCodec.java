package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION;
import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;
import static dev.rankql.json.Diagnostic.X_CONTENT_PARSE_EXCEPTION;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.Keyword;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreNormalizer;
import dev.rankql.ast.SortField;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes retrievers ({@code standard}, {@code knn}, {@code rescorer}, {@code rrf}, {@code linear}) and the
 * top-level {@code knn} search option, which shares the knn retriever's fields.
 */
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
    static final String KNN = "knn";
    static final String RRF = "rrf";
    static final String LINEAR = "linear";
    static final String FIELD = "field";
    static final String QUERY_VECTOR = "query_vector";
    static final String K = "k";
    static final String NUM_CANDIDATES = "num_candidates";
    static final String SIMILARITY = "similarity";
    static final String BOOST = "boost";
    static final String RETRIEVERS = "retrievers";
    static final String RANK_WINDOW_SIZE = "rank_window_size";
    static final String RANK_CONSTANT = "rank_constant";
    static final String WEIGHT = "weight";
    static final String NORMALIZER = "normalizer";

    private static final List<String> NAMES = List.of(STANDARD, KNN, RESCORER, RRF, LINEAR);
    private static final Set<String> ELASTICSEARCH_ONLY = Set.of("text_similarity_reranker", "rule", "pinned",
            "diversify", "text_expansion", "learning_to_rank");
    private static final List<String> KNN_FIELDS = List.of(FIELD, QUERY_VECTOR, K, NUM_CANDIDATES, SIMILARITY, FILTER,
            MIN_SCORE, NAME);
    private static final List<String> KNN_SEARCH_FIELDS = List.of(FIELD, QUERY_VECTOR, K, NUM_CANDIDATES, SIMILARITY,
            FILTER, BOOST, NAME);
    /** Knn fields that Elasticsearch reads and rankql does not execute. */
    private static final List<String> KNN_ELASTICSEARCH_ONLY = List.of("query_vector_builder", "rescore_vector",
            "visit_percentage", "inner_hits");
    private static final List<String> RRF_FIELDS = List.of(RETRIEVERS, RANK_WINDOW_SIZE, RANK_CONSTANT, FILTER,
            MIN_SCORE, NAME);
    private static final List<String> LINEAR_FIELDS = List.of(RETRIEVERS, RANK_WINDOW_SIZE, NORMALIZER, FILTER,
            MIN_SCORE, NAME);
    /** The simplified multi-field form of {@code rrf} and {@code linear}, which rankql does not read. */
    private static final List<String> COMPOUND_ELASTICSEARCH_ONLY = List.of("fields", "query");
    private static final List<String> COMPONENT_FIELDS = List.of(RETRIEVER, WEIGHT, NORMALIZER);
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
            var retriever = switch (name) {
                case STANDARD -> readStandard(scope);
                case KNN -> readKnn(scope);
                case RESCORER -> readRescorer(scope);
                case RRF -> readRrf(scope);
                default -> readLinear(scope);
            };
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

    private Retriever readKnn(Scope o) {
        int mark = problems.size();
        var knn = readKnnFields(o, false);
        var minScore = o.number(MIN_SCORE);
        o.rest((key, value) -> unknownKnnField(o, key, KNN_FIELDS));
        if (problems.size() > mark || knn == null) {
            return null;
        }
        return build(o, () -> new Retriever.Knn(Span.NONE, knn.field, knn.vector, knn.k, knn.numCandidates,
                knn.similarity, knn.filter, minScore, knn.name));
    }

    /** The top-level {@code knn} option: one search object or an array of them. */
    List<KnnSearch> readKnnSearches(JsonNode node, String path) {
        var searches = new ArrayList<KnnSearch>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var search = readKnnSearch(node.get(i), Json.index(path, i));
                if (search != null) {
                    searches.add(search);
                }
            }
        } else {
            var search = readKnnSearch(node, path);
            if (search != null) {
                searches.add(search);
            }
        }
        return searches;
    }

    private KnnSearch readKnnSearch(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "knn search object", node);
            return null;
        }
        int mark = problems.size();
        var o = new Scope(node, path, problems);
        var knn = readKnnFields(o, true);
        var boost = o.boost();
        o.rest((key, value) -> unknownKnnField(o, key, KNN_SEARCH_FIELDS));
        if (problems.size() > mark || knn == null) {
            return null;
        }
        return build(o, () -> new KnnSearch(Span.NONE, knn.field, knn.vector, knn.k, knn.numCandidates,
                knn.similarity, knn.filter, boost, knn.name));
    }

    /** The fields that the knn retriever and the top-level knn search share. */
    private record KnnFields(String field, QueryVector vector, Optional<Integer> k, Optional<Integer> numCandidates,
            Optional<Float> similarity, List<Query> filter, Optional<String> name) {}

    private KnnFields readKnnFields(Scope o, boolean topLevel) {
        var field = o.string(FIELD);
        var vectorNode = o.take(QUERY_VECTOR);
        QueryVector vector = vectorNode == null ? null : readVector(vectorNode, o.at(QUERY_VECTOR));
        var k = o.integer(K);
        var numCandidates = o.integer(NUM_CANDIDATES);
        var similarity = o.number(SIMILARITY);
        var filter = filters(o);
        var name = o.name();
        if (field.isEmpty() && !o.has(FIELD)) {
            o.later("Required [" + FIELD + "]", X_CONTENT_PARSE_EXCEPTION);
        }
        if (vectorNode == null && !o.has("query_vector_builder")) {
            o.later("either [" + QUERY_VECTOR + "] or [query_vector_builder] must be provided",
                    ILLEGAL_ARGUMENT_EXCEPTION);
        }
        if (field.isEmpty() || vector == null) {
            return null;
        }
        return new KnnFields(field.get(), vector, k, numCandidates, similarity, filter, name);
    }

    private void unknownKnnField(Scope o, String key, List<String> known) {
        if (KNN_ELASTICSEARCH_ONLY.contains(key)) {
            problems.unsupported(o.at(key), "[" + key + "]");
        } else {
            problems.add(o.at(key), "[" + KNN + "] unknown field [" + key + "]" + Json.suggest(key, known),
                    X_CONTENT_PARSE_EXCEPTION);
        }
    }

    /** A query vector: a non-empty array of finite numbers. */
    private QueryVector readVector(JsonNode node, String path) {
        if (!node.isArray()) {
            problems.expected(path, "array of numbers", node);
            return null;
        }
        if (node.isEmpty()) {
            problems.add(path, QueryVector.emptyMessage(), ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        var values = new float[node.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            var element = node.get(i);
            if (element.isNumber()) {
                values[i] = element.decimalValue().floatValue();
                if (Float.isFinite(values[i])) {
                    continue;
                }
            }
            problems.expected(Json.index(path, i), "finite number", element);
            ok = false;
        }
        return ok ? new QueryVector(values) : null;
    }

    private Retriever readRrf(Scope o) {
        int mark = problems.size();
        var children = o.take(RETRIEVERS);
        var components = new ArrayList<Retriever.Rrf.Component>();
        if (children != null) {
            if (!children.isArray()) {
                problems.expected(o.at(RETRIEVERS), "array of retrievers", children);
            } else {
                for (int i = 0; i < children.size(); i++) {
                    var component = readRrfComponent(children.get(i), Json.index(o.at(RETRIEVERS), i));
                    if (component != null) {
                        components.add(component);
                    }
                }
            }
        }
        var rankWindowSize = o.integer(RANK_WINDOW_SIZE);
        var rankConstant = o.integer(RANK_CONSTANT);
        var filter = filters(o);
        var minScore = o.number(MIN_SCORE);
        var name = o.name();
        o.rest((key, value) -> unknownCompoundField(o, RRF, key, RRF_FIELDS));
        checkCompound(o, RRF, children, rankWindowSize);
        rankConstant.ifPresent(c -> {
            if (c < 1) {
                problems.add(o.at(RANK_CONSTANT), Retriever.Rrf.RANK_CONSTANT_MESSAGE, ILLEGAL_ARGUMENT_EXCEPTION);
            }
        });
        if (problems.size() > mark) {
            return null;
        }
        return build(o, () -> new Retriever.Rrf(Span.NONE, components, rankWindowSize, rankConstant, filter, minScore,
                name));
    }

    /** A child of {@code rrf}: a bare retriever object, or {@code {"retriever": ..., "weight": w}}. */
    private Retriever.Rrf.Component readRrfComponent(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "retriever object", node);
            return null;
        }
        int mark = problems.size();
        if (!node.has(RETRIEVER) && !node.has(WEIGHT)) {
            var child = read(node, path);
            if (child instanceof Retriever.Standard standard) {
                compoundChild(standard, path);
            }
            return child == null || problems.size() > mark ? null : Retriever.Rrf.Component.of(child);
        }
        var o = new Scope(node, path, problems);
        var child = readComponentRetriever(o);
        var weight = weight(o);
        o.rejectRest("rrf_component", List.of(RETRIEVER, WEIGHT));
        if (problems.size() > mark || child == null) {
            return null;
        }
        return build(o, () -> new Retriever.Rrf.Component(Span.NONE, child, weight));
    }

    private Retriever readLinear(Scope o) {
        int mark = problems.size();
        var children = o.take(RETRIEVERS);
        var components = new ArrayList<Retriever.Linear.Component>();
        if (children != null) {
            if (!children.isArray()) {
                problems.expected(o.at(RETRIEVERS), "array of objects", children);
            } else {
                for (int i = 0; i < children.size(); i++) {
                    var component = readLinearComponent(children.get(i), Json.index(o.at(RETRIEVERS), i));
                    if (component != null) {
                        components.add(component);
                    }
                }
            }
        }
        var rankWindowSize = o.integer(RANK_WINDOW_SIZE);
        var normalizer = normalizer(o);
        var filter = filters(o);
        var minScore = o.number(MIN_SCORE);
        var name = o.name();
        o.rest((key, value) -> unknownCompoundField(o, LINEAR, key, LINEAR_FIELDS));
        checkCompound(o, LINEAR, children, rankWindowSize);
        if (problems.size() > mark) {
            return null;
        }
        return build(o, () -> new Retriever.Linear(Span.NONE, components, rankWindowSize, normalizer, filter,
                minScore, name));
    }

    /** A child of {@code linear}: {@code {"retriever": ..., "weight": w, "normalizer": "minmax"}}. */
    private Retriever.Linear.Component readLinearComponent(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "object with a [retriever]", node);
            return null;
        }
        int mark = problems.size();
        var o = new Scope(node, path, problems);
        var child = readComponentRetriever(o);
        var weight = weight(o);
        var normalizer = normalizer(o);
        o.rejectRest("retriever-component", COMPONENT_FIELDS);
        if (problems.size() > mark || child == null) {
            return null;
        }
        return build(o, () -> new Retriever.Linear.Component(Span.NONE, child, weight, normalizer));
    }

    /** The {@code retriever} of a weighted component, which must be there. */
    private Retriever readComponentRetriever(Scope o) {
        var node = o.take(RETRIEVER);
        if (node == null) {
            o.later("Required [" + RETRIEVER + "]", X_CONTENT_PARSE_EXCEPTION);
            return null;
        }
        var child = read(node, o.at(RETRIEVER));
        if (child instanceof Retriever.Standard standard) {
            compoundChild(standard, o.at(RETRIEVER));
        }
        return child;
    }

    private Optional<Float> weight(Scope o) {
        var weight = o.number(WEIGHT);
        if (weight.isPresent() && weight.get() < 0) {
            problems.add(o.at(WEIGHT), "[weight] must be non-negative", ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return weight;
    }

    /** A normalizer name, ignoring case, with Elasticsearch's message for an unknown one. */
    private Optional<ScoreNormalizer> normalizer(Scope o) {
        var node = o.take(NORMALIZER);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isString()) {
            problems.expected(o.at(NORMALIZER), "string", node);
            return Optional.empty();
        }
        var found = Keyword.lookup(ScoreNormalizer.class, node.stringValue());
        if (found.isEmpty()) {
            problems.add(o.at(NORMALIZER), "Unknown normalizer [" + node.stringValue() + "]",
                    ILLEGAL_ARGUMENT_EXCEPTION);
        }
        return found;
    }

    private void unknownCompoundField(Scope o, String type, String key, List<String> known) {
        if (COMPOUND_ELASTICSEARCH_ONLY.contains(key)) {
            problems.unsupported(o.at(key), "the [" + key + "] form of [" + type + "]");
        } else {
            problems.add(o.at(key), "[" + type + "] unknown field [" + key + "]" + Json.suggest(key, known),
                    X_CONTENT_PARSE_EXCEPTION);
        }
    }

    /** Elasticsearch's request validation of a compound retriever's own fields. */
    private void checkCompound(Scope o, String type, JsonNode children, Optional<Integer> rankWindowSize) {
        if (children == null || children.isArray() && children.isEmpty()) {
            problems.add(o.path, "[" + type + "] must provide [" + RETRIEVERS + "] or [query]",
                    ACTION_REQUEST_VALIDATION_EXCEPTION);
        }
        rankWindowSize.ifPresent(w -> {
            if (w < 0) {
                problems.add(o.at(RANK_WINDOW_SIZE), "[" + RANK_WINDOW_SIZE + "] parameter cannot be negative, found ["
                        + w + "]", ACTION_REQUEST_VALIDATION_EXCEPTION);
            }
        });
    }

    /**
     * Builds a node whose constructor may still refuse it; a refusal that names one of the object's fields
     * ({@code [k] must be greater than 0}) is reported at that field.
     */
    private <T> T build(Scope o, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            var message = String.valueOf(e.getMessage());
            var path = o.path;
            if (message.startsWith("[")) {
                int end = message.indexOf(']');
                var key = end > 0 ? message.substring(1, end) : "";
                if (o.has(key)) {
                    path = o.at(key);
                }
            }
            problems.add(path, message, ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
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
            case Retriever.Knn k -> {
                writeKnn(o, k.field(), k.queryVector(), k.k(), k.numCandidates(), k.similarity(), k.filter());
                k.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
            }
            case Retriever.Rrf r -> {
                var array = o.putArray(RETRIEVERS);
                for (var component : r.retrievers()) {
                    if (component.weight().isEmpty()) {
                        array.add(write(component.retriever()));
                    } else {
                        var c = array.addObject();
                        c.set(RETRIEVER, write(component.retriever()));
                        c.put(WEIGHT, component.weight().get());
                    }
                }
                r.rankWindowSize().ifPresent(v -> o.put(RANK_WINDOW_SIZE, v));
                r.rankConstant().ifPresent(v -> o.put(RANK_CONSTANT, v));
                QueryCodec.writeList(o, FILTER, r.filter());
                r.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
            }
            case Retriever.Linear l -> {
                var array = o.putArray(RETRIEVERS);
                for (var component : l.retrievers()) {
                    var c = array.addObject();
                    c.set(RETRIEVER, write(component.retriever()));
                    component.weight().ifPresent(v -> c.put(WEIGHT, v));
                    component.normalizer().ifPresent(v -> c.put(NORMALIZER, v.keyword()));
                }
                l.rankWindowSize().ifPresent(v -> o.put(RANK_WINDOW_SIZE, v));
                l.normalizer().ifPresent(v -> o.put(NORMALIZER, v.keyword()));
                QueryCodec.writeList(o, FILTER, l.filter());
                l.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
            }
        }
        retriever.name().ifPresent(v -> o.put(NAME, v));
        return outer;
    }

    /** The canonical JSON of a top-level knn search. */
    static ObjectNode write(KnnSearch knn) {
        var o = JsonNodeFactory.instance.objectNode();
        writeKnn(o, knn.field(), knn.queryVector(), knn.k(), knn.numCandidates(), knn.similarity(), knn.filter());
        knn.boost().ifPresent(v -> o.put(BOOST, v));
        knn.name().ifPresent(v -> o.put(NAME, v));
        return o;
    }

    private static void writeKnn(ObjectNode o, String field, QueryVector vector, Optional<Integer> k,
            Optional<Integer> numCandidates, Optional<Float> similarity, List<Query> filter) {
        o.put(FIELD, field);
        var array = o.putArray(QUERY_VECTOR);
        for (int i = 0; i < vector.dims(); i++) {
            array.add(vector.get(i));
        }
        k.ifPresent(v -> o.put(K, v));
        numCandidates.ifPresent(v -> o.put(NUM_CANDIDATES, v));
        similarity.ifPresent(v -> o.put(SIMILARITY, v));
        QueryCodec.writeList(o, FILTER, filter);
    }
}
