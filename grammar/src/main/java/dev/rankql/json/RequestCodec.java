package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION;
import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Collapse;
import dev.rankql.ast.HitOptions;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.Query;
import dev.rankql.ast.RequestValidation;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes a whole search body, dispatching its top-level keys the way SearchSourceBuilder does. */
final class RequestCodec {

    static final String RETRIEVER = "retriever";
    static final String QUERY = "query";
    static final String RESCORE = "rescore";
    static final String FROM = "from";
    static final String SIZE = "size";
    static final String MIN_SCORE = "min_score";
    static final String EXPLAIN = "explain";
    static final String PROFILE = "profile";
    static final String SOURCE = "_source";
    static final String TRACK_TOTAL_HITS = "track_total_hits";
    static final String COLLAPSE = "collapse";
    static final String SORT = "sort";
    static final String SEARCH_AFTER = "search_after";
    static final String TERMINATE_AFTER = "terminate_after";
    static final String EXT = "ext";
    static final String KNN = "knn";
    static final String AGGS = "aggs";
    static final String AGGREGATIONS = "aggregations";
    static final String VERSION = "version";
    static final String SEQ_NO_PRIMARY_TERM = "seq_no_primary_term";
    static final String TRACK_SCORES = "track_scores";
    static final String FIELDS = "fields";
    static final String TIMEOUT = "timeout";
    static final String DOCVALUE_FIELDS = "docvalue_fields";
    static final String STORED_FIELDS = "stored_fields";

    /** Keys that Elasticsearch reads from a string, number or boolean. */
    private static final Set<String> VALUE_KEYS = Set.of(FROM, SIZE, TERMINATE_AFTER, MIN_SCORE, EXPLAIN,
            TRACK_TOTAL_HITS, SOURCE, SORT, PROFILE, VERSION, SEQ_NO_PRIMARY_TERM, TRACK_SCORES, TIMEOUT,
            STORED_FIELDS);
    private static final Set<String> OBJECT_KEYS = Set.of(RETRIEVER, QUERY, SOURCE, SORT, RESCORE, EXT, COLLAPSE, KNN,
            AGGS, AGGREGATIONS);
    private static final Set<String> ARRAY_KEYS = Set.of(SORT, RESCORE, SOURCE, SEARCH_AFTER, KNN, FIELDS,
            DOCVALUE_FIELDS, STORED_FIELDS);

    /** Keys Elasticsearch accepts that rankql does not execute, by the token Elasticsearch reads them from. */
    private static final Set<String> ES_VALUE_KEYS = Set.of();
    private static final Set<String> ES_OBJECT_KEYS = Set.of("post_filter", "rank", "script_fields", "highlight",
            "suggest", "slice", "pit", "runtime_mappings");
    private static final Set<String> ES_ARRAY_KEYS = Set.of("indices_boost", "stats", "sub_searches");

    private final Problems problems;
    private final QueryCodec queries;
    private final RescoreCodec rescores;
    private final OptionsCodec options;
    private final RetrieverCodec retrievers;
    private final AggregationCodec aggregations;

    RequestCodec(Problems problems) {
        this.problems = problems;
        this.queries = new QueryCodec(problems);
        this.rescores = new RescoreCodec(problems, queries);
        this.options = new OptionsCodec(problems);
        this.retrievers = new RetrieverCodec(problems, queries, rescores, options);
        this.aggregations = new AggregationCodec(problems);
    }

    QueryCodec queries() {
        return queries;
    }

    RetrieverCodec retrievers() {
        return retrievers;
    }

    /** The request, or null when the body has problems (all of them are in {@link Problems}). */
    SearchRequest read(JsonNode root) {
        if (!root.isObject()) {
            problems.add("$", "Expected [START_OBJECT] but found [" + Json.token(root) + "]", PARSING_EXCEPTION);
            return null;
        }
        Optional<Retriever> retriever = Optional.empty();
        Optional<Query> query = Optional.empty();
        List<Rescore> rescore = List.of();
        Optional<Integer> from = Optional.empty();
        Optional<Integer> size = Optional.empty();
        Optional<Float> minScore = Optional.empty();
        Optional<Boolean> explain = Optional.empty();
        Optional<Boolean> profile = Optional.empty();
        Optional<SourceFilter> source = Optional.empty();
        Optional<TrackTotalHits> trackTotalHits = Optional.empty();
        Optional<Collapse> collapse = Optional.empty();
        List<SortField> sort = List.of();
        List<Value> searchAfter = List.of();
        Optional<Integer> terminateAfter = Optional.empty();
        Map<String, Value> ext = Map.of();
        List<KnnSearch> knn = List.of();
        Map<String, Aggregation> aggs = Map.of();
        boolean version = false;
        boolean seqNoPrimaryTerm = false;
        boolean trackScores = false;
        List<String> fields = List.of();
        List<dev.rankql.ast.FieldAndFormat> docvalueFields = List.of();
        Optional<List<String>> storedFields = Optional.empty();
        Optional<java.time.Duration> timeout = Optional.empty();
        for (var entry : root.properties()) {
            String key = entry.getKey();
            var node = entry.getValue();
            String at = Json.field("$", key);
            if (!accepts(key, node, at)) {
                continue;
            }
            switch (key) {
                case RETRIEVER -> retriever = Optional.ofNullable(retrievers.read(node, at));
                case QUERY -> query = Optional.ofNullable(queries.read(node, at));
                case RESCORE -> rescore = rescores.readTopLevel(node, at);
                case FROM -> from = nonNegative(node, at, SearchRequest::negativeFromMessage);
                case SIZE -> size = nonNegative(node, at, SearchRequest::negativeSizeMessage);
                case MIN_SCORE -> minScore = Optional.ofNullable(Scope.number(node, at, problems));
                case EXPLAIN -> explain = Optional.ofNullable(Scope.bool(node, at, problems));
                case PROFILE -> profile = Optional.ofNullable(Scope.bool(node, at, problems));
                case SOURCE -> source = Optional.ofNullable(options.readSource(node, at));
                case TRACK_TOTAL_HITS -> trackTotalHits = Optional.ofNullable(options.readTrackTotalHits(node, at));
                case COLLAPSE -> collapse = Optional.ofNullable(options.readCollapse(node, at));
                case SORT -> sort = options.readSort(node, at);
                case SEARCH_AFTER -> searchAfter = options.readSearchAfter(node, at);
                case TERMINATE_AFTER -> terminateAfter = options.readTerminateAfter(node, at);
                case EXT -> ext = Scope.entries(node, at, problems);
                case KNN -> knn = retrievers.readKnnSearches(node, at);
                // Elasticsearch reads both spellings into one field, so the last one written wins.
                case AGGS, AGGREGATIONS -> aggs = aggregations.read(node, at);
                case VERSION -> version = Boolean.TRUE.equals(Scope.bool(node, at, problems));
                case SEQ_NO_PRIMARY_TERM -> seqNoPrimaryTerm = Boolean.TRUE.equals(Scope.bool(node, at, problems));
                case TRACK_SCORES -> trackScores = Boolean.TRUE.equals(Scope.bool(node, at, problems));
                case FIELDS -> fields = options.readFields(node, at);
                case TIMEOUT -> timeout = readTimeout(node, at);
                case DOCVALUE_FIELDS -> docvalueFields = options.readDocValueFields(node, at);
                case STORED_FIELDS -> storedFields = Optional.ofNullable(options.readStoredFields(node, at));
                default -> throw new IllegalStateException("no reader for key [" + key + "]");
            }
        }
        if (root.has(RETRIEVER)) {
            var conflicts = SearchRequest.conflictsWithRetriever(root.has(QUERY), root.has(KNN), root.has(RESCORE),
                    root.has(MIN_SCORE), root.has(SORT), root.has(SEARCH_AFTER), root.has(TERMINATE_AFTER));
            if (!conflicts.isEmpty()) {
                problems.add("$", SearchRequest.retrieverConflictMessage(conflicts),
                        ACTION_REQUEST_VALIDATION_EXCEPTION);
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        var r = retriever;
        var q = query;
        var rs = rescore;
        var f = from;
        var s = size;
        var ms = minScore;
        var ex = explain;
        var pr = profile;
        var src = source;
        var tth = trackTotalHits;
        var col = collapse;
        var so = sort;
        var sa = searchAfter;
        var ta = terminateAfter;
        var e = ext;
        var kn = knn;
        var ag = aggs;
        var ho = new HitOptions(version, seqNoPrimaryTerm, trackScores, fields, docvalueFields, storedFields);
        var to = timeout;
        var request = problems.build("$", () -> new SearchRequest(Span.NONE, Optional.empty(), r, q, rs, f, s, ms, ex,
                pr, src, tth, col, so, sa, ta, e, kn, ag, ho, to));
        if (request != null) {
            validate(request);
        }
        return problems.isEmpty() ? request : null;
    }

    /** Elasticsearch's request validation of a parsed body (see {@link RequestValidation}). */
    private void validate(SearchRequest request) {
        for (var problem : RequestValidation.validate(request)) {
            problems.add(problem.path(), problem.message(), ACTION_REQUEST_VALIDATION_EXCEPTION);
        }
    }

    /**
     * Whether the key is one rankql reads with the token it was given; otherwise reports it with Elasticsearch's
     * {@code Unknown key for a <TOKEN> in [<key>].}, or as unsupported when Elasticsearch knows it.
     */
    private boolean accepts(String key, JsonNode node, String path) {
        Set<String> ours;
        Set<String> theirs;
        if (Json.isValue(node)) {
            ours = VALUE_KEYS;
            theirs = ES_VALUE_KEYS;
        } else if (node.isObject()) {
            ours = OBJECT_KEYS;
            theirs = ES_OBJECT_KEYS;
        } else if (node.isArray()) {
            ours = ARRAY_KEYS;
            theirs = ES_ARRAY_KEYS;
        } else {
            ours = Set.of();
            theirs = Set.of();
        }
        if (ours.contains(key)) {
            return true;
        }
        if (theirs.contains(key)) {
            problems.unsupported(path, "[" + key + "]");
        } else {
            problems.add(path, "Unknown key for a " + Json.token(node) + " in [" + key + "].", PARSING_EXCEPTION);
        }
        return false;
    }

    /** Elasticsearch reads {@code timeout} from the token's text, so a number is a time value without a unit. */
    private Optional<java.time.Duration> readTimeout(JsonNode node, String path) {
        try {
            return Optional.of(SearchRequest.parseTimeValue(node.asString(), TIMEOUT));
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage(), ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
    }

    private Optional<Integer> nonNegative(JsonNode node, String path, IntFunction<String> negativeMessage) {
        var value = Scope.integer(node, path, problems);
        if (value != null && value < 0) {
            problems.add(path, negativeMessage.apply(value), ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return Optional.ofNullable(value);
    }

    /** The canonical body: fields in the order of {@link SearchRequest}'s components, the index left out. */
    static ObjectNode write(SearchRequest request) {
        var o = JsonNodeFactory.instance.objectNode();
        request.retriever().ifPresent(r -> o.set(RETRIEVER, RetrieverCodec.write(r)));
        request.query().ifPresent(q -> o.set(QUERY, QueryCodec.write(q)));
        if (!request.rescore().isEmpty()) {
            o.set(RESCORE, RescoreCodec.write(request.rescore()));
        }
        request.from().ifPresent(v -> o.put(FROM, v));
        request.size().ifPresent(v -> o.put(SIZE, v));
        request.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
        request.explain().ifPresent(v -> o.put(EXPLAIN, v));
        request.profile().ifPresent(v -> o.put(PROFILE, v));
        request.source().ifPresent(v -> o.set(SOURCE, OptionsCodec.writeSource(v)));
        request.trackTotalHits().ifPresent(v -> o.set(TRACK_TOTAL_HITS, OptionsCodec.writeTrackTotalHits(v)));
        request.collapse().ifPresent(v -> o.set(COLLAPSE, OptionsCodec.writeCollapse(v)));
        if (!request.sort().isEmpty()) {
            o.set(SORT, OptionsCodec.writeSort(request.sort()));
        }
        if (!request.searchAfter().isEmpty()) {
            o.set(SEARCH_AFTER, OptionsCodec.writeValues(request.searchAfter()));
        }
        request.terminateAfter().ifPresent(v -> o.put(TERMINATE_AFTER, v));
        if (!request.ext().isEmpty()) {
            o.set(EXT, ValueCodec.write(request.ext()));
        }
        if (request.knn().size() == 1) {
            o.set(KNN, RetrieverCodec.write(request.knn().getFirst()));
        } else if (!request.knn().isEmpty()) {
            var array = o.putArray(KNN);
            request.knn().forEach(k -> array.add(RetrieverCodec.write(k)));
        }
        if (!request.aggregations().isEmpty()) {
            o.set(AGGS, AggregationCodec.write(request.aggregations()));
        }
        var hitOptions = request.hitOptions();
        if (hitOptions.version()) {
            o.put(VERSION, true);
        }
        if (hitOptions.seqNoPrimaryTerm()) {
            o.put(SEQ_NO_PRIMARY_TERM, true);
        }
        if (hitOptions.trackScores()) {
            o.put(TRACK_SCORES, true);
        }
        if (!hitOptions.fields().isEmpty()) {
            var array = o.putArray(FIELDS);
            hitOptions.fields().forEach(array::add);
        }
        request.timeout().ifPresent(v -> o.put(TIMEOUT, SearchRequest.formatTimeout(v)));
        if (!hitOptions.docvalueFields().isEmpty()) {
            o.set(DOCVALUE_FIELDS, OptionsCodec.writeDocValueFields(hitOptions.docvalueFields()));
        }
        hitOptions.storedFields().ifPresent(names -> {
            var array = o.putArray(STORED_FIELDS);
            names.forEach(array::add);
        });
        return o;
    }
}
