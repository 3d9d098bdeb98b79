package dev.rankql.json;

import static dev.rankql.json.Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.rankql.json.Diagnostic.PARSING_EXCEPTION;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import dev.rankql.ast.ZeroTermsQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the query DSL subset: each query's reader and writer sit side by side, and the field names are the
 * constants below.
 */
final class QueryCodec {

    static final String MATCH = "match";
    static final String MULTI_MATCH = "multi_match";
    static final String MATCH_PHRASE = "match_phrase";
    static final String MATCH_PHRASE_PREFIX = "match_phrase_prefix";
    static final String TERM = "term";
    static final String TERMS = "terms";
    static final String RANGE = "range";
    static final String BOOL = "bool";
    static final String EXISTS = "exists";
    static final String IDS = "ids";
    static final String MATCH_ALL = "match_all";
    static final String MATCH_NONE = "match_none";
    static final String CONSTANT_SCORE = "constant_score";
    static final String DIS_MAX = "dis_max";
    static final String PREFIX = "prefix";
    static final String WILDCARD = "wildcard";
    static final String FUZZY = "fuzzy";
    static final String RANK_FEATURE = "rank_feature";
    static final String SCRIPT_SCORE = "script_score";

    /** The queries rankql reads, in the order {@code docs/json.md} lists them. */
    static final List<String> NAMES = List.of(MATCH, MULTI_MATCH, MATCH_PHRASE, MATCH_PHRASE_PREFIX, TERM, TERMS,
            RANGE, BOOL, EXISTS, IDS, MATCH_ALL, MATCH_NONE, CONSTANT_SCORE, DIS_MAX, PREFIX, WILDCARD, FUZZY,
            RANK_FEATURE, SCRIPT_SCORE);

    /** Elasticsearch queries that rankql knows by name but does not execute. */
    private static final Set<String> ELASTICSEARCH_ONLY = Set.of("function_score", "nested", "has_child",
            "has_parent", "query_string", "simple_query_string", "regexp", "boosting", "knn", "more_like_this",
            "geo_distance", "geo_bounding_box", "geo_shape", "script", "combined_fields", "match_bool_prefix",
            "intervals", "distance_feature", "percolate", "pinned", "rule", "semantic", "sparse_vector",
            "text_expansion", "terms_set", "span_term", "span_near", "span_or", "wrapper");

    static final String QUERY = "query";
    static final String BOOST = "boost";
    static final String NAME = "_name";
    static final String VALUE = "value";
    static final String OPERATOR = "operator";
    static final String MINIMUM_SHOULD_MATCH = "minimum_should_match";
    static final String FUZZINESS = "fuzziness";
    static final String ANALYZER = "analyzer";
    static final String ZERO_TERMS_QUERY = "zero_terms_query";
    static final String SLOP = "slop";
    static final String MAX_EXPANSIONS = "max_expansions";
    static final String PREFIX_LENGTH = "prefix_length";
    static final String TRANSPOSITIONS = "transpositions";
    static final String CASE_INSENSITIVE = "case_insensitive";
    static final String FIELDS = "fields";
    static final String TYPE = "type";
    static final String TIE_BREAKER = "tie_breaker";
    static final String GT = "gt";
    static final String GTE = "gte";
    static final String LT = "lt";
    static final String LTE = "lte";
    static final String FORMAT = "format";
    static final String TIME_ZONE = "time_zone";
    static final String MUST = "must";
    static final String SHOULD = "should";
    static final String FILTER = "filter";
    static final String MUST_NOT = "must_not";
    static final String FIELD = "field";
    static final String VALUES = "values";
    static final String QUERIES = "queries";
    static final String SCRIPT = "script";
    static final String MIN_SCORE = "min_score";
    static final String SATURATION = "saturation";
    static final String LOG = "log";
    static final String SIGMOID = "sigmoid";
    static final String LINEAR = "linear";
    static final String PIVOT = "pivot";
    static final String SCALING_FACTOR = "scaling_factor";
    static final String EXPONENT = "exponent";

    private static final Set<String> MATCH_ONLY_ES = Set.of("lenient", PREFIX_LENGTH, MAX_EXPANSIONS,
            "fuzzy_transpositions", "fuzzy_rewrite", "auto_generate_synonyms_phrase_query", "cutoff_frequency");
    private static final Set<String> TERM_ONLY_ES = Set.of("rewrite");
    private static final Set<String> RANGE_ONLY_ES = Set.of("from", "to", "include_lower", "include_upper",
            "relation");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Problems problems;

    QueryCodec(Problems problems) {
        this.problems = problems;
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /** Reads {@code {"<query name>": {...}}}; null (with diagnostics) when it is not a valid query. */
    Query read(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path, "[_na] query malformed, must start with start_object", PARSING_EXCEPTION);
            return null;
        }
        if (node.isEmpty()) {
            problems.add(path, "query malformed, empty clause found", ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        var entries = node.properties().iterator();
        var first = entries.next();
        String name = first.getKey();
        String at = Json.field(path, name);
        int mark = problems.size();
        if (entries.hasNext()) {
            problems.add(Json.field(path, entries.next().getKey()),
                    "[" + name + "] malformed query, expected [END_OBJECT] but found [FIELD_NAME]", PARSING_EXCEPTION);
        }
        var body = first.getValue();
        if (!body.isObject()) {
            problems.add(at, "[" + name + "] query malformed, no start_object after query name", PARSING_EXCEPTION);
            return null;
        }
        if (!NAMES.contains(name)) {
            if (ELASTICSEARCH_ONLY.contains(name)) {
                problems.unsupported(at, "the [" + name + "] query");
            } else {
                problems.add(at, "unknown query [" + name + "]" + Json.suggest(name, NAMES), PARSING_EXCEPTION);
            }
            return null;
        }
        if (!problems.enter(at, "query")) {
            return null;
        }
        try {
            var query = readBody(name, new Scope(body, at, problems));
            return problems.size() == mark ? query : null;
        } finally {
            problems.leave();
        }
    }

    private Query readBody(String name, Scope body) {
        return switch (name) {
            case MATCH -> readMatch(body);
            case MULTI_MATCH -> readMultiMatch(body);
            case MATCH_PHRASE -> readMatchPhrase(body);
            case MATCH_PHRASE_PREFIX -> readMatchPhrasePrefix(body);
            case TERM -> readTerm(body);
            case TERMS -> readTerms(body);
            case RANGE -> readRange(body);
            case BOOL -> readBool(body);
            case EXISTS -> readExists(body);
            case IDS -> readIds(body);
            case MATCH_ALL -> readMatchAll(body);
            case MATCH_NONE -> readMatchNone(body);
            case CONSTANT_SCORE -> readConstantScore(body);
            case DIS_MAX -> readDisMax(body);
            case PREFIX -> readPrefix(body);
            case WILDCARD -> readWildcard(body);
            case FUZZY -> readFuzzy(body);
            case RANK_FEATURE -> readRankFeature(body);
            case SCRIPT_SCORE -> readScriptScore(body);
            default -> throw new IllegalStateException("no reader for query [" + name + "]");
        };
    }

    /** A list of queries given as one query object or an array of them, as Elasticsearch accepts both. */
    List<Query> readList(JsonNode node, String path) {
        var queries = new ArrayList<Query>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var query = read(node.get(i), Json.index(path, i));
                if (query != null) {
                    queries.add(query);
                }
            }
        } else if (node.isObject()) {
            var query = read(node, path);
            if (query != null) {
                queries.add(query);
            }
        } else if (!node.isNull()) {
            problems.expected(path, "query object or array of query objects", node);
        }
        return queries;
    }

    /**
     * The one field of a single-field query ({@code {"title": ...}}); reports a missing field, a second field and an
     * array value the way Elasticsearch does. Null when absent.
     */
    private Map.Entry<String, JsonNode> onlyField(Scope body, String query, String whenEmpty, String emptyType) {
        Map.Entry<String, JsonNode> found = null;
        for (var entry : body.node.properties()) {
            if (found != null) {
                problems.add(body.at(entry.getKey()), "[" + query + "] query doesn't support multiple fields, found ["
                        + found.getKey() + "] and [" + entry.getKey() + "]", PARSING_EXCEPTION);
                continue;
            }
            found = entry;
        }
        if (found == null) {
            problems.add(body.path, whenEmpty, emptyType);
            return null;
        }
        var value = found.getValue();
        if (value.isArray()) {
            var message = query.equals(TERM)
                    ? "[term] query does not support array of values"
                    : "[" + query + "] unknown token [START_ARRAY] after [" + found.getKey() + "]";
            problems.add(body.at(found.getKey()), message, PARSING_EXCEPTION);
            return null;
        }
        if (found.getKey().isBlank()) {
            // The builders' own wording for an empty field name; match says it like its phrase siblings.
            var message = query.equals(MATCH) ? "[match] requires fieldName"
                    : emptyType.equals(ILLEGAL_ARGUMENT_EXCEPTION) ? whenEmpty : "field name is null or empty";
            problems.add(body.at(found.getKey()), message, ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        return found;
    }

    /** Reports the fields of a long-form query that its hand-written Elasticsearch parser does not know. */
    private void rejectRest(Scope options, String query, Set<String> elasticsearchOnly) {
        options.rest((key, value) -> {
            if (elasticsearchOnly.contains(key)) {
                problems.unsupported(options.at(key), "[" + query + "] option [" + key + "]");
            } else if (Json.isValue(value)) {
                problems.add(options.at(key), "[" + query + "] query does not support [" + key + "]",
                        PARSING_EXCEPTION);
            } else {
                problems.add(options.at(key), "[" + query + "] unknown token [" + Json.token(value) + "] after ["
                        + key + "]", PARSING_EXCEPTION);
            }
        });
    }

    private Query readMatch(Scope body) {
        var field = onlyField(body, MATCH, "No text specified for text query", PARSING_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        if (!field.getValue().isObject()) {
            var text = Scope.scalar(field.getValue(), at, problems);
            return text == null ? null : problems.build(at, () -> new Query.Match(Span.NONE, field.getKey(), text,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
        var o = new Scope(field.getValue(), at, problems);
        int mark = problems.size();
        var text = requiredScalar(o, QUERY, "No text specified for text query", PARSING_EXCEPTION);
        var operator = o.keyword(OPERATOR, Operator.class);
        var msm = o.text(MINIMUM_SHOULD_MATCH);
        var fuzziness = o.text(FUZZINESS);
        var analyzer = o.string(ANALYZER);
        var zeroTerms = o.keyword(ZERO_TERMS_QUERY, ZeroTermsQuery.class);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, MATCH, MATCH_ONLY_ES);
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(at, () -> new Query.Match(Span.NONE, field.getKey(), text, operator, msm, fuzziness,
                analyzer, zeroTerms, boost, name));
    }

    private Value requiredScalar(Scope o, String key, String whenMissing, String type) {
        var node = o.take(key);
        if (node == null) {
            o.later(whenMissing, type);
            return null;
        }
        return Scope.scalar(node, o.at(key), problems);
    }

    /** The query text of a phrase query: any scalar, kept as its text as Elasticsearch does. */
    private String requiredText(Scope o, String query) {
        var value = requiredScalar(o, QUERY, "[" + query + "] requires query value", ILLEGAL_ARGUMENT_EXCEPTION);
        return value == null ? null : scalarText(value);
    }

    private static String scalarText(Value value) {
        return switch (value) {
            case Value.Str s -> s.value();
            case Value.Int i -> Long.toString(i.value());
            case Value.Dbl d -> Double.toString(d.value());
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Null n -> "null";
            case Value.Arr a -> a.toString();
            case Value.Obj o -> o.toString();
        };
    }

    private Query readMultiMatch(Scope o) {
        int mark = problems.size();
        var node = o.take(QUERY);
        Value text = null;
        if (node == null) {
            o.later("No text specified for multi_match query", PARSING_EXCEPTION);
        } else {
            text = Scope.scalar(node, o.at(QUERY), problems);
        }
        var fields = readFieldRefs(o);
        var type = o.keyword(TYPE, MultiMatchType.class);
        var tieBreaker = o.number(TIE_BREAKER);
        var operator = o.keyword(OPERATOR, Operator.class);
        var msm = o.text(MINIMUM_SHOULD_MATCH);
        var fuzziness = o.text(FUZZINESS);
        var analyzer = o.string(ANALYZER);
        var slop = nonNegative(o, SLOP);
        var zeroTerms = o.keyword(ZERO_TERMS_QUERY, ZeroTermsQuery.class);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, MULTI_MATCH, MATCH_ONLY_ES);
        type.ifPresent(t -> {
            if (fuzziness.isPresent() && (t == MultiMatchType.CROSS_FIELDS || t == MultiMatchType.PHRASE
                    || t == MultiMatchType.PHRASE_PREFIX)) {
                problems.add(o.at(FUZZINESS), "Fuzziness not allowed for type [" + t.keyword() + "]",
                        PARSING_EXCEPTION);
            }
            if (slop.isPresent() && slop.get() != 0 && t == MultiMatchType.BOOL_PREFIX) {
                problems.add(o.at(SLOP), "[slop] not allowed for type [bool_prefix]", PARSING_EXCEPTION);
            }
        });
        if (problems.size() > mark) {
            return null;
        }
        Value query = text;
        return problems.build(o.path, () -> new Query.MultiMatch(Span.NONE, query, fields, type, tieBreaker,
                operator, msm, fuzziness, analyzer, slop, zeroTerms, boost, name));
    }

    private List<FieldRef> readFieldRefs(Scope o) {
        var node = o.take(FIELDS);
        var refs = new ArrayList<FieldRef>();
        if (node == null) {
            return refs;
        }
        if (node.isString()) {
            addFieldRef(node, o.at(FIELDS), refs);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                addFieldRef(node.get(i), Json.index(o.at(FIELDS), i), refs);
            }
        } else {
            problems.expected(o.at(FIELDS), "string or array of strings", node);
        }
        return refs;
    }

    private void addFieldRef(JsonNode node, String path, List<FieldRef> refs) {
        var text = Scope.string(node, path, problems);
        if (text != null) {
            var ref = problems.build(path, () -> FieldRef.parse(text));
            if (ref != null) {
                refs.add(ref);
            }
        }
    }

    private Optional<Integer> nonNegative(Scope o, String key) {
        var value = o.integer(key);
        if (value.isPresent() && value.get() < 0) {
            problems.add(o.at(key), "[" + key + "] must not be negative, found [" + value.get() + "]",
                    ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return value;
    }

    private Query readMatchPhrase(Scope body) {
        var field = onlyField(body, MATCH_PHRASE, "[match_phrase] requires fieldName", ILLEGAL_ARGUMENT_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        if (!field.getValue().isObject()) {
            var text = Scope.scalar(field.getValue(), at, problems);
            return text == null ? null : problems.build(at, () -> new Query.MatchPhrase(Span.NONE, field.getKey(),
                    scalarText(text), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
        }
        var o = new Scope(field.getValue(), at, problems);
        int mark = problems.size();
        var text = requiredText(o, MATCH_PHRASE);
        var slop = nonNegative(o, SLOP);
        var analyzer = o.string(ANALYZER);
        var zeroTerms = o.keyword(ZERO_TERMS_QUERY, ZeroTermsQuery.class);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, MATCH_PHRASE, Set.of());
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(at, () -> new Query.MatchPhrase(Span.NONE, field.getKey(), text, slop, analyzer,
                zeroTerms, boost, name));
    }

    private Query readMatchPhrasePrefix(Scope body) {
        var field = onlyField(body, MATCH_PHRASE_PREFIX, "[match_phrase_prefix] requires fieldName",
                ILLEGAL_ARGUMENT_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        if (!field.getValue().isObject()) {
            var text = Scope.scalar(field.getValue(), at, problems);
            return text == null ? null : problems.build(at, () -> new Query.MatchPhrasePrefix(Span.NONE,
                    field.getKey(), scalarText(text), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
        var o = new Scope(field.getValue(), at, problems);
        int mark = problems.size();
        var text = requiredText(o, MATCH_PHRASE_PREFIX);
        var slop = nonNegative(o, SLOP);
        var maxExpansions = nonNegative(o, MAX_EXPANSIONS);
        var analyzer = o.string(ANALYZER);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, MATCH_PHRASE_PREFIX, Set.of(ZERO_TERMS_QUERY));
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(at, () -> new Query.MatchPhrasePrefix(Span.NONE, field.getKey(), text, slop,
                maxExpansions, analyzer, boost, name));
    }

    private Query readTerm(Scope body) {
        var field = onlyField(body, TERM, "field name is null or empty", ILLEGAL_ARGUMENT_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        if (!field.getValue().isObject()) {
            var value = termValue(field.getValue(), at);
            return value == null ? null : problems.build(at, () -> new Query.Term(Span.NONE, field.getKey(), value,
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        var o = new Scope(field.getValue(), at, problems);
        int mark = problems.size();
        var node = o.take(VALUE);
        Value value = null;
        if (node == null) {
            o.later("value cannot be null", ILLEGAL_ARGUMENT_EXCEPTION);
        } else {
            value = termValue(node, o.at(VALUE));
        }
        var caseInsensitive = o.bool(CASE_INSENSITIVE);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, TERM, TERM_ONLY_ES);
        if (problems.size() > mark) {
            return null;
        }
        Value term = value;
        return problems.build(at, () -> new Query.Term(Span.NONE, field.getKey(), term, caseInsensitive, boost,
                name));
    }

    private Value termValue(JsonNode node, String path) {
        if (node.isNull()) {
            problems.add(path, "value cannot be null", ILLEGAL_ARGUMENT_EXCEPTION);
            return null;
        }
        return Scope.scalar(node, path, problems);
    }

    private Query readTerms(Scope body) {
        int mark = problems.size();
        var boost = body.boost();
        var name = body.name();
        String field = null;
        List<Value> values = new ArrayList<>();
        for (var entry : body.node.properties()) {
            String key = entry.getKey();
            if (key.equals(BOOST) || key.equals(NAME)) {
                continue;
            }
            var node = entry.getValue();
            String at = body.at(key);
            if (node.isArray()) {
                if (field != null) {
                    problems.add(at, "[terms] query does not support multiple fields", PARSING_EXCEPTION);
                    continue;
                }
                field = key;
                if (key.isBlank()) {
                    problems.add(at, "field name cannot be null.", ILLEGAL_ARGUMENT_EXCEPTION);
                }
                for (int i = 0; i < node.size(); i++) {
                    var item = node.get(i);
                    if (item.isNull()) {
                        problems.add(Json.index(at, i), "No value specified for terms query",
                                ILLEGAL_ARGUMENT_EXCEPTION);
                        continue;
                    }
                    var value = Scope.scalar(item, Json.index(at, i), problems);
                    if (value != null) {
                        values.add(value);
                    }
                }
            } else if (node.isObject()) {
                problems.unsupported(at, "a terms lookup");
                field = key;
            } else {
                problems.add(at, "[terms] query does not support [" + key + "]", PARSING_EXCEPTION);
            }
        }
        if (field == null && problems.size() == mark) {
            problems.add(body.path, "[terms] query requires a field name, followed by array of terms or a document "
                    + "lookup specification", PARSING_EXCEPTION);
        }
        if (problems.size() > mark) {
            return null;
        }
        String terms = field;
        return problems.build(body.path, () -> new Query.Terms(Span.NONE, terms, values, boost, name));
    }

    private Query readRange(Scope body) {
        int mark = problems.size();
        var outerBoost = body.boost();
        var outerName = body.name();
        Map.Entry<String, JsonNode> found = null;
        for (var entry : body.node.properties()) {
            String key = entry.getKey();
            if (key.equals(BOOST) || key.equals(NAME)) {
                continue;
            }
            if (!entry.getValue().isObject()) {
                problems.add(body.at(key), "[range] query does not support [" + key + "]", PARSING_EXCEPTION);
            } else if (found != null) {
                problems.add(body.at(key), "[range] query doesn't support multiple fields, found [" + found.getKey()
                        + "] and [" + key + "]", PARSING_EXCEPTION);
            } else {
                found = entry;
            }
        }
        if (found == null) {
            if (problems.size() == mark) {
                problems.add(body.path, "field name is null or empty", ILLEGAL_ARGUMENT_EXCEPTION);
            }
            return null;
        }
        String field = found.getKey();
        String at = body.at(field);
        if (field.isBlank()) {
            problems.add(at, "field name is null or empty", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        var o = new Scope(found.getValue(), at, problems);
        var gt = bound(o, GT);
        var gte = bound(o, GTE);
        var lt = bound(o, LT);
        var lte = bound(o, LTE);
        var format = o.string(FORMAT);
        var timeZone = o.string(TIME_ZONE);
        var boost = o.boost().or(() -> outerBoost);
        var name = o.name().or(() -> outerName);
        rejectRest(o, RANGE, RANGE_ONLY_ES);
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(at, () -> new Query.Range(Span.NONE, field, gt, gte, lt, lte, format, timeZone,
                boost, name));
    }

    /** A range bound; {@code null} means unbounded in Elasticsearch, so it reads as absent. */
    private Optional<Value> bound(Scope o, String key) {
        var node = o.take(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Scope.scalar(node, o.at(key), problems));
    }

    private static final List<String> BOOL_FIELDS = List.of(MUST, SHOULD, FILTER, MUST_NOT, MINIMUM_SHOULD_MATCH,
            "adjust_pure_negative", BOOST, NAME);

    private Query readBool(Scope o) {
        int mark = problems.size();
        var must = clauses(o, MUST);
        var should = clauses(o, SHOULD);
        var filter = clauses(o, FILTER);
        var mustNot = clauses(o, MUST_NOT);
        var msm = o.text(MINIMUM_SHOULD_MATCH);
        if (o.take("adjust_pure_negative") != null) {
            problems.unsupported(o.at("adjust_pure_negative"), "[bool] option [adjust_pure_negative]");
        }
        var boost = o.boost();
        var name = o.name();
        o.rejectRest(BOOL, BOOL_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(o.path, () -> new Query.Bool(Span.NONE, must, should, filter, mustNot, msm, boost,
                name));
    }

    private List<Query> clauses(Scope o, String key) {
        var node = o.take(key);
        return node == null ? List.of() : readList(node, o.at(key));
    }

    private Query readExists(Scope o) {
        int mark = problems.size();
        var field = o.string(FIELD);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, EXISTS, Set.of());
        if (!o.has(FIELD)) {
            problems.add(o.path, "[exists] must be provided with a [field]", PARSING_EXCEPTION);
        }
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(o.path, () -> new Query.Exists(Span.NONE, field.get(), boost, name));
    }

    private Query readIds(Scope o) {
        int mark = problems.size();
        var node = o.take(VALUES);
        var values = new ArrayList<String>();
        if (node != null) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    var id = Scope.string(node.get(i), Json.index(o.at(VALUES), i), problems);
                    if (id != null) {
                        values.add(id);
                    }
                }
            } else {
                problems.expected(o.at(VALUES), "array of strings", node);
            }
        }
        var boost = o.boost();
        var name = o.name();
        o.rejectRest(IDS, List.of(VALUES, BOOST, NAME));
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(o.path, () -> new Query.Ids(Span.NONE, values, boost, name));
    }

    private Query readMatchAll(Scope o) {
        int mark = problems.size();
        var boost = o.boost();
        var name = o.name();
        o.rejectRest(MATCH_ALL, List.of(BOOST, NAME));
        return problems.size() > mark ? null : problems.build(o.path, () -> new Query.MatchAll(Span.NONE, boost,
                name));
    }

    private Query readMatchNone(Scope o) {
        int mark = problems.size();
        var boost = o.boost();
        var name = o.name();
        o.rejectRest(MATCH_NONE, List.of(BOOST, NAME));
        return problems.size() > mark ? null : problems.build(o.path, () -> new Query.MatchNone(Span.NONE, boost,
                name));
    }

    private Query readConstantScore(Scope o) {
        int mark = problems.size();
        var node = o.take(FILTER);
        Query filter = null;
        if (node == null) {
            o.later("[constant_score] requires a 'filter' element", PARSING_EXCEPTION);
        } else if (!node.isObject()) {
            problems.add(o.at(FILTER), "[constant_score] unknown token [" + Json.token(node) + "] after [filter]",
                    PARSING_EXCEPTION);
        } else {
            filter = read(node, o.at(FILTER));
        }
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, CONSTANT_SCORE, Set.of());
        if (problems.size() > mark) {
            return null;
        }
        Query inner = filter;
        return problems.build(o.path, () -> new Query.ConstantScore(Span.NONE, inner, boost, name));
    }

    private Query readDisMax(Scope o) {
        int mark = problems.size();
        var node = o.take(QUERIES);
        List<Query> queries = node == null ? List.of() : readList(node, o.at(QUERIES));
        if (node == null || node.isArray() && node.isEmpty()) {
            o.later("[dis_max] requires 'queries' field with at least one clause", PARSING_EXCEPTION);
        }
        var tieBreaker = o.number(TIE_BREAKER);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, DIS_MAX, Set.of());
        if (problems.size() > mark) {
            return null;
        }
        return problems.build(o.path, () -> new Query.DisMax(Span.NONE, queries, tieBreaker, boost, name));
    }

    private Query readPrefix(Scope body) {
        return readPattern(body, PREFIX, List.of(VALUE));
    }

    private Query readWildcard(Scope body) {
        return readPattern(body, WILDCARD, List.of(VALUE, WILDCARD));
    }

    /** {@code prefix} and {@code wildcard}: a string pattern, short or long form. */
    private Query readPattern(Scope body, String query, List<String> valueKeys) {
        var field = onlyField(body, query, "field name is null or empty", ILLEGAL_ARGUMENT_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        Optional<String> value;
        Optional<Boolean> caseInsensitive = Optional.empty();
        Optional<Float> boost = Optional.empty();
        Optional<String> name = Optional.empty();
        int mark = problems.size();
        if (!field.getValue().isObject()) {
            value = Optional.ofNullable(Scope.string(field.getValue(), at, problems));
        } else {
            var o = new Scope(field.getValue(), at, problems);
            value = Optional.empty();
            for (var key : valueKeys) {
                var given = o.string(key);
                if (value.isEmpty()) {
                    value = given;
                }
            }
            if (valueKeys.stream().noneMatch(o::has)) {
                o.later("No value specified for " + query + " query", PARSING_EXCEPTION);
            }
            caseInsensitive = o.bool(CASE_INSENSITIVE);
            boost = o.boost();
            name = o.name();
            rejectRest(o, query, TERM_ONLY_ES);
        }
        if (problems.size() > mark) {
            return null;
        }
        String pattern = value.orElseThrow();
        var ci = caseInsensitive;
        var b = boost;
        var n = name;
        return problems.build(at, () -> query.equals(PREFIX)
                ? new Query.Prefix(Span.NONE, field.getKey(), pattern, ci, b, n)
                : new Query.Wildcard(Span.NONE, field.getKey(), pattern, ci, b, n));
    }

    private Query readFuzzy(Scope body) {
        var field = onlyField(body, FUZZY, "field name cannot be null or empty", ILLEGAL_ARGUMENT_EXCEPTION);
        if (field == null) {
            return null;
        }
        String at = body.at(field.getKey());
        if (!field.getValue().isObject()) {
            var value = Scope.scalar(field.getValue(), at, problems);
            return value == null ? null : problems.build(at, () -> new Query.Fuzzy(Span.NONE, field.getKey(), value,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
        }
        var o = new Scope(field.getValue(), at, problems);
        int mark = problems.size();
        var node = o.take(VALUE);
        Value value = null;
        if (node == null) {
            o.later("No value specified for fuzzy query", PARSING_EXCEPTION);
        } else {
            value = Scope.scalar(node, o.at(VALUE), problems);
        }
        var fuzziness = o.text(FUZZINESS);
        var prefixLength = nonNegative(o, PREFIX_LENGTH);
        var maxExpansions = nonNegative(o, MAX_EXPANSIONS);
        var transpositions = o.bool(TRANSPOSITIONS);
        var boost = o.boost();
        var name = o.name();
        rejectRest(o, FUZZY, TERM_ONLY_ES);
        if (problems.size() > mark) {
            return null;
        }
        Value term = value;
        return problems.build(at, () -> new Query.Fuzzy(Span.NONE, field.getKey(), term, fuzziness, prefixLength,
                maxExpansions, transpositions, boost, name));
    }

    private static final List<String> RANK_FEATURE_FIELDS = List.of(FIELD, SATURATION, LOG, SIGMOID, LINEAR, BOOST,
            NAME);

    private Query readRankFeature(Scope o) {
        int mark = problems.size();
        var field = o.string(FIELD);
        if (!o.has(FIELD)) {
            o.later("Required [field]", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        Optional<RankFeatureFunction> function = Optional.empty();
        String chosen = null;
        for (var key : List.of(SATURATION, LOG, SIGMOID, LINEAR)) {
            var node = o.take(key);
            if (node == null) {
                continue;
            }
            if (chosen != null) {
                problems.add(o.at(key), "Can only specify one of [log], [saturation], [sigmoid] and [linear]",
                        ILLEGAL_ARGUMENT_EXCEPTION);
                continue;
            }
            chosen = key;
            function = Optional.ofNullable(rankFunction(key, node, o.at(key)));
        }
        var boost = o.boost();
        var name = o.name();
        // Elasticsearch's parser for this query is named after the old [feature] query.
        o.rejectRest("feature", RANK_FEATURE_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        var f = function;
        return problems.build(o.path, () -> new Query.RankFeature(Span.NONE, field.get(), f, boost, name));
    }

    private RankFeatureFunction rankFunction(String key, JsonNode node, String path) {
        if (!node.isObject()) {
            problems.expected(path, "object", node);
            return null;
        }
        var o = new Scope(node, path, problems);
        int mark = problems.size();
        RankFeatureFunction function = switch (key) {
            case SATURATION -> {
                var pivot = positive(o, PIVOT);
                o.rejectRest(SATURATION, List.of(PIVOT));
                yield problems.size() > mark ? null : new RankFeatureFunction.Saturation(pivot);
            }
            case LOG -> {
                var factor = positive(o, SCALING_FACTOR);
                requirePresent(o, factor, SCALING_FACTOR);
                o.rejectRest(LOG, List.of(SCALING_FACTOR));
                yield problems.size() > mark ? null : new RankFeatureFunction.Log(factor.get());
            }
            case SIGMOID -> {
                var pivot = positive(o, PIVOT);
                var exponent = positive(o, EXPONENT);
                requirePresent(o, pivot, PIVOT);
                requirePresent(o, exponent, EXPONENT);
                o.rejectRest(SIGMOID, List.of(PIVOT, EXPONENT));
                yield problems.size() > mark ? null : new RankFeatureFunction.Sigmoid(pivot.get(), exponent.get());
            }
            default -> {
                o.rejectRest(LINEAR, List.of());
                yield problems.size() > mark ? null : new RankFeatureFunction.Linear();
            }
        };
        return function;
    }

    private void requirePresent(Scope o, Optional<Float> value, String key) {
        if (value.isEmpty() && !o.has(key)) {
            o.later("Required [" + key + "]", ILLEGAL_ARGUMENT_EXCEPTION);
        }
    }

    private Optional<Float> positive(Scope o, String key) {
        var value = o.number(key);
        if (value.isPresent() && !(value.get() > 0)) {
            problems.add(o.at(key), "[" + key + "] must be a positive number, found [" + value.get() + "]",
                    ILLEGAL_ARGUMENT_EXCEPTION);
            return Optional.empty();
        }
        return value;
    }

    private static final List<String> SCRIPT_SCORE_FIELDS = List.of(QUERY, SCRIPT, MIN_SCORE, BOOST, NAME);

    private Query readScriptScore(Scope o) {
        int mark = problems.size();
        var queryNode = o.take(QUERY);
        Query query = null;
        if (queryNode != null) {
            if (queryNode.isObject()) {
                query = read(queryNode, o.at(QUERY));
            } else {
                problems.expected(o.at(QUERY), "query object", queryNode);
            }
        }
        var scriptNode = o.take(SCRIPT);
        var script = scriptNode == null ? null : ScriptCodec.read(scriptNode, o.at(SCRIPT), problems);
        var missing = new ArrayList<String>();
        if (queryNode == null) {
            missing.add(QUERY);
        }
        if (scriptNode == null) {
            missing.add(SCRIPT);
        }
        if (!missing.isEmpty()) {
            o.later("Required [" + String.join(", ", missing) + "]", ILLEGAL_ARGUMENT_EXCEPTION);
        }
        var minScore = o.number(MIN_SCORE);
        var boost = o.boost();
        var name = o.name();
        o.rejectRest(SCRIPT_SCORE, SCRIPT_SCORE_FIELDS);
        if (problems.size() > mark) {
            return null;
        }
        Query inner = query;
        return problems.build(o.path, () -> new Query.ScriptScore(Span.NONE, inner, script, minScore, boost, name));
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /** The canonical JSON of {@code query}: short forms where nothing but the field and its value is set. */
    static ObjectNode write(Query query) {
        var outer = NODES.objectNode();
        switch (query) {
            case Query.Match m -> {
                var body = outer.putObject(MATCH);
                if (m.operator().isEmpty() && m.minimumShouldMatch().isEmpty() && m.fuzziness().isEmpty()
                        && m.analyzer().isEmpty() && m.zeroTermsQuery().isEmpty() && isPlain(m)) {
                    body.set(m.field(), ValueCodec.write(m.query()));
                } else {
                    var o = body.putObject(m.field());
                    o.set(QUERY, ValueCodec.write(m.query()));
                    m.operator().ifPresent(v -> o.put(OPERATOR, v.keyword()));
                    m.minimumShouldMatch().ifPresent(v -> o.put(MINIMUM_SHOULD_MATCH, v));
                    m.fuzziness().ifPresent(v -> o.put(FUZZINESS, v));
                    m.analyzer().ifPresent(v -> o.put(ANALYZER, v));
                    m.zeroTermsQuery().ifPresent(v -> o.put(ZERO_TERMS_QUERY, v.keyword()));
                    common(o, m);
                }
            }
            case Query.MultiMatch m -> {
                var o = outer.putObject(MULTI_MATCH);
                o.set(QUERY, ValueCodec.write(m.query()));
                if (!m.fields().isEmpty()) {
                    var fields = o.putArray(FIELDS);
                    m.fields().forEach(f -> fields.add(f.toString()));
                }
                m.type().ifPresent(v -> o.put(TYPE, v.keyword()));
                m.tieBreaker().ifPresent(v -> o.put(TIE_BREAKER, v));
                m.operator().ifPresent(v -> o.put(OPERATOR, v.keyword()));
                m.minimumShouldMatch().ifPresent(v -> o.put(MINIMUM_SHOULD_MATCH, v));
                m.fuzziness().ifPresent(v -> o.put(FUZZINESS, v));
                m.analyzer().ifPresent(v -> o.put(ANALYZER, v));
                m.slop().ifPresent(v -> o.put(SLOP, v));
                m.zeroTermsQuery().ifPresent(v -> o.put(ZERO_TERMS_QUERY, v.keyword()));
                common(o, m);
            }
            case Query.MatchPhrase m -> {
                var body = outer.putObject(MATCH_PHRASE);
                if (m.slop().isEmpty() && m.analyzer().isEmpty() && m.zeroTermsQuery().isEmpty() && isPlain(m)) {
                    body.put(m.field(), m.query());
                } else {
                    var o = body.putObject(m.field());
                    o.put(QUERY, m.query());
                    m.slop().ifPresent(v -> o.put(SLOP, v));
                    m.analyzer().ifPresent(v -> o.put(ANALYZER, v));
                    m.zeroTermsQuery().ifPresent(v -> o.put(ZERO_TERMS_QUERY, v.keyword()));
                    common(o, m);
                }
            }
            case Query.MatchPhrasePrefix m -> {
                var body = outer.putObject(MATCH_PHRASE_PREFIX);
                if (m.slop().isEmpty() && m.maxExpansions().isEmpty() && m.analyzer().isEmpty() && isPlain(m)) {
                    body.put(m.field(), m.query());
                } else {
                    var o = body.putObject(m.field());
                    o.put(QUERY, m.query());
                    m.slop().ifPresent(v -> o.put(SLOP, v));
                    m.maxExpansions().ifPresent(v -> o.put(MAX_EXPANSIONS, v));
                    m.analyzer().ifPresent(v -> o.put(ANALYZER, v));
                    common(o, m);
                }
            }
            case Query.Term t -> {
                var body = outer.putObject(TERM);
                if (t.caseInsensitive().isEmpty() && isPlain(t)) {
                    body.set(t.field(), ValueCodec.write(t.value()));
                } else {
                    var o = body.putObject(t.field());
                    o.set(VALUE, ValueCodec.write(t.value()));
                    t.caseInsensitive().ifPresent(v -> o.put(CASE_INSENSITIVE, v));
                    common(o, t);
                }
            }
            case Query.Terms t -> {
                var o = outer.putObject(TERMS);
                var values = o.putArray(t.field());
                t.values().forEach(v -> values.add(ValueCodec.write(v)));
                common(o, t);
            }
            case Query.Range r -> {
                var o = outer.putObject(RANGE).putObject(r.field());
                r.gt().ifPresent(v -> o.set(GT, ValueCodec.write(v)));
                r.gte().ifPresent(v -> o.set(GTE, ValueCodec.write(v)));
                r.lt().ifPresent(v -> o.set(LT, ValueCodec.write(v)));
                r.lte().ifPresent(v -> o.set(LTE, ValueCodec.write(v)));
                r.format().ifPresent(v -> o.put(FORMAT, v));
                r.timeZone().ifPresent(v -> o.put(TIME_ZONE, v));
                common(o, r);
            }
            case Query.Bool b -> {
                var o = outer.putObject(BOOL);
                writeList(o, MUST, b.must());
                writeList(o, SHOULD, b.should());
                writeList(o, FILTER, b.filter());
                writeList(o, MUST_NOT, b.mustNot());
                b.minimumShouldMatch().ifPresent(v -> o.put(MINIMUM_SHOULD_MATCH, v));
                common(o, b);
            }
            case Query.Exists e -> {
                var o = outer.putObject(EXISTS);
                o.put(FIELD, e.field());
                common(o, e);
            }
            case Query.Ids i -> {
                var o = outer.putObject(IDS);
                if (!i.values().isEmpty()) {
                    var values = o.putArray(VALUES);
                    i.values().forEach(values::add);
                }
                common(o, i);
            }
            case Query.MatchAll m -> common(outer.putObject(MATCH_ALL), m);
            case Query.MatchNone m -> common(outer.putObject(MATCH_NONE), m);
            case Query.ConstantScore c -> {
                var o = outer.putObject(CONSTANT_SCORE);
                o.set(FILTER, write(c.filter()));
                common(o, c);
            }
            case Query.DisMax d -> {
                var o = outer.putObject(DIS_MAX);
                var queries = o.putArray(QUERIES);
                d.queries().forEach(q -> queries.add(write(q)));
                d.tieBreaker().ifPresent(v -> o.put(TIE_BREAKER, v));
                common(o, d);
            }
            case Query.Prefix p -> writePattern(outer.putObject(PREFIX), p.field(), p.value(), p.caseInsensitive(),
                    p);
            case Query.Wildcard w -> writePattern(outer.putObject(WILDCARD), w.field(), w.value(),
                    w.caseInsensitive(), w);
            case Query.Fuzzy f -> {
                var body = outer.putObject(FUZZY);
                if (f.fuzziness().isEmpty() && f.prefixLength().isEmpty() && f.maxExpansions().isEmpty()
                        && f.transpositions().isEmpty() && isPlain(f)) {
                    body.set(f.field(), ValueCodec.write(f.value()));
                } else {
                    var o = body.putObject(f.field());
                    o.set(VALUE, ValueCodec.write(f.value()));
                    f.fuzziness().ifPresent(v -> o.put(FUZZINESS, v));
                    f.prefixLength().ifPresent(v -> o.put(PREFIX_LENGTH, v));
                    f.maxExpansions().ifPresent(v -> o.put(MAX_EXPANSIONS, v));
                    f.transpositions().ifPresent(v -> o.put(TRANSPOSITIONS, v));
                    common(o, f);
                }
            }
            case Query.RankFeature r -> {
                var o = outer.putObject(RANK_FEATURE);
                o.put(FIELD, r.field());
                r.function().ifPresent(function -> {
                    var f = o.putObject(function.keyword());
                    switch (function) {
                        case RankFeatureFunction.Saturation s -> s.pivot().ifPresent(v -> f.put(PIVOT, v));
                        case RankFeatureFunction.Log l -> f.put(SCALING_FACTOR, l.scalingFactor());
                        case RankFeatureFunction.Sigmoid s -> {
                            f.put(PIVOT, s.pivot());
                            f.put(EXPONENT, s.exponent());
                        }
                        case RankFeatureFunction.Linear l -> { }
                    }
                });
                common(o, r);
            }
            case Query.ScriptScore s -> {
                var o = outer.putObject(SCRIPT_SCORE);
                o.set(QUERY, write(s.query()));
                o.set(SCRIPT, ScriptCodec.write(s.script()));
                s.minScore().ifPresent(v -> o.put(MIN_SCORE, v));
                common(o, s);
            }
        }
        return outer;
    }

    private static boolean isPlain(Query query) {
        return query.boost().isEmpty() && query.name().isEmpty();
    }

    private static void writePattern(ObjectNode body, String field, String value, Optional<Boolean> caseInsensitive,
            Query query) {
        if (caseInsensitive.isEmpty() && isPlain(query)) {
            body.put(field, value);
            return;
        }
        var o = body.putObject(field);
        o.put(VALUE, value);
        caseInsensitive.ifPresent(v -> o.put(CASE_INSENSITIVE, v));
        common(o, query);
    }

    static void writeList(ObjectNode o, String key, List<Query> queries) {
        if (!queries.isEmpty()) {
            ArrayNode array = o.putArray(key);
            queries.forEach(q -> array.add(write(q)));
        }
    }

    private static void common(ObjectNode o, Query query) {
        query.boost().ifPresent(v -> o.put(BOOST, v));
        query.name().ifPresent(v -> o.put(NAME, v));
    }
}
