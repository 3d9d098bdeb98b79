package dev.rankql.dsl;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldAndFormat;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.HitOptions;
import dev.rankql.ast.InnerHits;
import dev.rankql.ast.Keyword;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.ScoreNormalizer;
import dev.rankql.ast.Script;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import dev.rankql.ast.ZeroTermsQuery;
import dev.rankql.dsl.RankQlParser.AggsClauseContext;
import dev.rankql.dsl.RankQlParser.BaseRetrieverContext;
import dev.rankql.dsl.RankQlParser.BooleanLiteralContext;
import dev.rankql.dsl.RankQlParser.BooleanValueContext;
import dev.rankql.dsl.RankQlParser.BoostedValueContext;
import dev.rankql.dsl.RankQlParser.CallContext;
import dev.rankql.dsl.RankQlParser.CallValueContext;
import dev.rankql.dsl.RankQlParser.ClauseContext;
import dev.rankql.dsl.RankQlParser.CollapseClauseContext;
import dev.rankql.dsl.RankQlParser.CollapseOptionContext;
import dev.rankql.dsl.RankQlParser.DocvalueFieldsClauseContext;
import dev.rankql.dsl.RankQlParser.EntryContext;
import dev.rankql.dsl.RankQlParser.ExplainClauseContext;
import dev.rankql.dsl.RankQlParser.ExtClauseContext;
import dev.rankql.dsl.RankQlParser.FieldsClauseContext;
import dev.rankql.dsl.RankQlParser.FilterOptionContext;
import dev.rankql.dsl.RankQlParser.IdentifierValueContext;
import dev.rankql.dsl.RankQlParser.InnerHitsOptionContext;
import dev.rankql.dsl.RankQlParser.IntegerContext;
import dev.rankql.dsl.RankQlParser.KnnClauseContext;
import dev.rankql.dsl.RankQlParser.ListValueContext;
import dev.rankql.dsl.RankQlParser.MapValueContext;
import dev.rankql.dsl.RankQlParser.MaxConcurrentGroupSearchesOptionContext;
import dev.rankql.dsl.RankQlParser.MinScoreClauseContext;
import dev.rankql.dsl.RankQlParser.MinScoreOptionContext;
import dev.rankql.dsl.RankQlParser.NameContext;
import dev.rankql.dsl.RankQlParser.NameOptionContext;
import dev.rankql.dsl.RankQlParser.NullValueContext;
import dev.rankql.dsl.RankQlParser.NumberContext;
import dev.rankql.dsl.RankQlParser.NumberValueContext;
import dev.rankql.dsl.RankQlParser.OffsetClauseContext;
import dev.rankql.dsl.RankQlParser.ParenthesizedRetrieverContext;
import dev.rankql.dsl.RankQlParser.ProfileClauseContext;
import dev.rankql.dsl.RankQlParser.QueryContext;
import dev.rankql.dsl.RankQlParser.QuerySourceContext;
import dev.rankql.dsl.RankQlParser.RequestContext;
import dev.rankql.dsl.RankQlParser.RescoreContext;
import dev.rankql.dsl.RankQlParser.RescoreSourceContext;
import dev.rankql.dsl.RankQlParser.RescorerOptionContext;
import dev.rankql.dsl.RankQlParser.RescorerRetrieverContext;
import dev.rankql.dsl.RankQlParser.RetrieveSourceContext;
import dev.rankql.dsl.RankQlParser.RetrieverContext;
import dev.rankql.dsl.RankQlParser.RetrieverValueContext;
import dev.rankql.dsl.RankQlParser.SearchAfterClauseContext;
import dev.rankql.dsl.RankQlParser.SeqNoPrimaryTermClauseContext;
import dev.rankql.dsl.RankQlParser.SizeClauseContext;
import dev.rankql.dsl.RankQlParser.SortClauseContext;
import dev.rankql.dsl.RankQlParser.SortItemContext;
import dev.rankql.dsl.RankQlParser.SortedValueContext;
import dev.rankql.dsl.RankQlParser.SourceClauseContext;
import dev.rankql.dsl.RankQlParser.StoredFieldsClauseContext;
import dev.rankql.dsl.RankQlParser.StringValueContext;
import dev.rankql.dsl.RankQlParser.TerminateAfterClauseContext;
import dev.rankql.dsl.RankQlParser.TimeoutClauseContext;
import dev.rankql.dsl.RankQlParser.TrackScoresClauseContext;
import dev.rankql.dsl.RankQlParser.TrackTotalHitsClauseContext;
import dev.rankql.dsl.RankQlParser.ValueContext;
import dev.rankql.dsl.RankQlParser.VersionClauseContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds the AST from a parse tree, checking what the grammar leaves open: function names, argument names and
 * types, clause repetition and the request's consistency, each failure positioned at the text at fault.
 */
final class AstBuilder {

    private static final List<String> COMMON = List.of("boost", "name");

    /** Query functions: name, positional parameters, named options (besides boost and name). */
    private static final Map<String, Signature> QUERIES = new LinkedHashMap<>();

    private record Signature(List<String> positional, List<String> named, Function<Args, Query> build) {}

    /** Retriever functions by name, in the order completion offers them. */
    private static final Map<String, Function<CallContext, Retriever>> RETRIEVERS = retrievers();

    /** The wrapper that gives a compound retriever's child a weight (and, in {@code linear}, a normalizer). */
    private static final String COMPONENT = "retriever";

    /** Aggregation functions, as the {@code AGGS} map's values call them. */
    private static final List<String> AGGREGATIONS = List.of("terms");

    private static Map<String, Function<CallContext, Retriever>> retrievers() {
        var map = new LinkedHashMap<String, Function<CallContext, Retriever>>();
        map.put("standard", AstBuilder::standard);
        map.put("knn", AstBuilder::knn);
        map.put("rrf", AstBuilder::rrf);
        map.put("linear", AstBuilder::linear);
        return Collections.unmodifiableMap(map);
    }
    private static final List<String> RESCORERS = List.of("ltr", "learning_to_rank", "query", "script");

    static {
        query("match", List.of("field", "query"),
                List.of("operator", "minimum_should_match", "fuzziness", "analyzer", "zero_terms_query"),
                a -> new Query.Match(span(a.call), field(a, "field"), scalar(a.required("query")),
                        keyword(a, "operator", Operator.class), textOrNumber(a, "minimum_should_match"),
                        textOrNumber(a, "fuzziness"), text(a, "analyzer"),
                        keyword(a, "zero_terms_query", ZeroTermsQuery.class), boost(a), name(a)));
        query("multi_match", List.of("query"),
                List.of("fields", "type", "tie_breaker", "operator", "minimum_should_match", "fuzziness",
                        "analyzer", "slop", "zero_terms_query"),
                a -> new Query.MultiMatch(span(a.call), scalar(a.required("query")), fieldRefs(a, "fields"),
                        keyword(a, "type", MultiMatchType.class), floatOption(a, "tie_breaker"),
                        keyword(a, "operator", Operator.class), textOrNumber(a, "minimum_should_match"),
                        textOrNumber(a, "fuzziness"), text(a, "analyzer"), intOption(a, "slop"),
                        keyword(a, "zero_terms_query", ZeroTermsQuery.class), boost(a), name(a)));
        query("match_phrase", List.of("field", "query"), List.of("slop", "analyzer", "zero_terms_query"),
                a -> new Query.MatchPhrase(span(a.call), field(a, "field"), string(a.required("query")),
                        intOption(a, "slop"), text(a, "analyzer"),
                        keyword(a, "zero_terms_query", ZeroTermsQuery.class), boost(a), name(a)));
        query("match_phrase_prefix", List.of("field", "query"), List.of("slop", "max_expansions", "analyzer"),
                a -> new Query.MatchPhrasePrefix(span(a.call), field(a, "field"), string(a.required("query")),
                        intOption(a, "slop"), intOption(a, "max_expansions"), text(a, "analyzer"), boost(a),
                        name(a)));
        query("term", List.of("field", "value"), List.of("case_insensitive"),
                a -> new Query.Term(span(a.call), field(a, "field"), scalar(a.required("value")),
                        boolOption(a, "case_insensitive"), boost(a), name(a)));
        query("terms", List.of("field", "values"), List.of(),
                a -> new Query.Terms(span(a.call), field(a, "field"),
                        list(a.required("values"), AstBuilder::scalar), boost(a), name(a)));
        query("range", List.of("field"), List.of("gt", "gte", "lt", "lte", "format", "time_zone"),
                a -> new Query.Range(span(a.call), field(a, "field"), a.get("gt").map(AstBuilder::scalar),
                        a.get("gte").map(AstBuilder::scalar), a.get("lt").map(AstBuilder::scalar),
                        a.get("lte").map(AstBuilder::scalar), a.get("format").map(AstBuilder::string),
                        a.get("time_zone").map(AstBuilder::string), boost(a), name(a)));
        query("bool", List.of(), List.of("must", "should", "filter", "must_not", "minimum_should_match"),
                a -> new Query.Bool(span(a.call), queries(a, "must"), queries(a, "should"), queries(a, "filter"),
                        queries(a, "must_not"), textOrNumber(a, "minimum_should_match"), boost(a), name(a)));
        query("exists", List.of("field"), List.of(),
                a -> new Query.Exists(span(a.call), field(a, "field"), boost(a), name(a)));
        query("ids", List.of("values"), List.of(),
                a -> new Query.Ids(span(a.call), list(a.required("values"), AstBuilder::string), boost(a),
                        name(a)));
        query("match_all", List.of(), List.of(), a -> new Query.MatchAll(span(a.call), boost(a), name(a)));
        query("match_none", List.of(), List.of(), a -> new Query.MatchNone(span(a.call), boost(a), name(a)));
        query("constant_score", List.of("filter"), List.of(),
                a -> new Query.ConstantScore(span(a.call), query(a.required("filter")), boost(a), name(a)));
        query("dis_max", List.of("queries"), List.of("tie_breaker"),
                a -> new Query.DisMax(span(a.call), queryList(a.required("queries")), floatOption(a, "tie_breaker"),
                        boost(a), name(a)));
        query("prefix", List.of("field", "value"), List.of("case_insensitive"),
                a -> new Query.Prefix(span(a.call), field(a, "field"), string(a.required("value")),
                        boolOption(a, "case_insensitive"), boost(a), name(a)));
        query("wildcard", List.of("field", "value"), List.of("case_insensitive"),
                a -> new Query.Wildcard(span(a.call), field(a, "field"), string(a.required("value")),
                        boolOption(a, "case_insensitive"), boost(a), name(a)));
        query("fuzzy", List.of("field", "value"),
                List.of("fuzziness", "prefix_length", "max_expansions", "transpositions"),
                a -> new Query.Fuzzy(span(a.call), field(a, "field"), scalar(a.required("value")),
                        textOrNumber(a, "fuzziness"), intOption(a, "prefix_length"), intOption(a, "max_expansions"),
                        boolOption(a, "transpositions"), boost(a), name(a)));
        query("rank_feature", List.of("field", "function"), List.of(),
                a -> new Query.RankFeature(span(a.call), field(a, "field"),
                        a.get("function").map(AstBuilder::rankFeatureFunction), boost(a), name(a)));
        query("script_score", List.of("query", "script"), List.of("min_score"),
                a -> new Query.ScriptScore(span(a.call), query(a.required("query")), scriptArg(a.required("script")),
                        floatOption(a, "min_score"), boost(a), name(a)));
    }

    private static void query(String name, List<String> positional, List<String> named, Function<Args, Query> b) {
        var options = new ArrayList<>(named);
        options.addAll(COMMON);
        QUERIES.put(name, new Signature(positional, List.copyOf(options), b));
    }

    private AstBuilder() {}

    static SearchRequest request(RequestContext ctx) {
        Optional<String> index = Optional.ofNullable(ctx.index).map(AstBuilder::name);
        Optional<Retriever> retriever = Optional.empty();
        Optional<Query> query = Optional.empty();
        List<Rescore> rescore = new ArrayList<>();
        switch (ctx.source()) {
            case null -> {}
            case RetrieveSourceContext s -> retriever = Optional.of(retriever(s.retriever()));
            case QuerySourceContext s -> {
                query = Optional.of(query(s.query()));
                s.rescore().forEach(r -> rescore.add(rescore(r)));
            }
            case RescoreSourceContext s -> s.rescore().forEach(r -> rescore.add(rescore(r)));
            default -> throw new IllegalStateException("unexpected source " + ctx.source().getClass());
        }
        var clauses = new LinkedHashMap<Class<?>, ClauseContext>();
        for (ClauseContext clause : ctx.clause()) {
            if (clauses.putIfAbsent(clause.getClass(), clause) != null) {
                throw error(clause.start, "duplicate clause " + clause.start.getText()
                        + "; each clause may be given at most once");
            }
        }
        Optional<Integer> from = clause(clauses, OffsetClauseContext.class, c -> count(c.integer(), SearchRequest::negativeFromMessage));
        Optional<Integer> size = clause(clauses, SizeClauseContext.class, c -> count(c.integer(), SearchRequest::negativeSizeMessage));
        Optional<Float> minScore = clause(clauses, MinScoreClauseContext.class, c -> floatOf(c.number()));
        Optional<Boolean> explain = clause(clauses, ExplainClauseContext.class, c -> flag(c.booleanLiteral()));
        Optional<Boolean> profile = clause(clauses, ProfileClauseContext.class, c -> flag(c.booleanLiteral()));
        Optional<SourceFilter> source = clause(clauses, SourceClauseContext.class, c -> sourceFilter(c.value()));
        Optional<TrackTotalHits> trackTotalHits =
                clause(clauses, TrackTotalHitsClauseContext.class, c -> trackTotalHits(c.value()));
        Optional<Collapse> collapse = clause(clauses, CollapseClauseContext.class, AstBuilder::collapse);
        List<SortField> sort = clause(clauses, SortClauseContext.class,
                        c -> mapAll(c.sortItem(), AstBuilder::sortField))
                .orElse(List.of());
        List<Value> searchAfter =
                clause(clauses, SearchAfterClauseContext.class, c -> list(c.value(), AstBuilder::value)).orElse(List.of());
        Optional<Integer> terminateAfter = clause(clauses, TerminateAfterClauseContext.class, c -> {
            int value = integer(c.integer());
            if (value < 0) {
                throw error(c.integer(), "[terminate_after] must not be negative, found [" + value + "]");
            }
            return value;
        });
        Optional<java.time.Duration> timeout = clause(clauses, TimeoutClauseContext.class, c -> timeout(c.value()));
        Map<String, Value> ext = clause(clauses, ExtClauseContext.class, c -> map(c.value())).orElse(Map.of());
        List<KnnSearch> knn = clause(clauses, KnnClauseContext.class, c -> knnSearches(c.value())).orElse(List.of());
        Map<String, Aggregation> aggs = clause(clauses, AggsClauseContext.class, c -> aggregations(c.value()))
                .orElse(Map.of());
        if (retriever.isPresent()) {
            var conflicts = SearchRequest.conflictsWithRetriever(false, !knn.isEmpty(), false, minScore.isPresent(),
                    !sort.isEmpty(), !searchAfter.isEmpty(), terminateAfter.isPresent());
            if (!conflicts.isEmpty()) {
                var first = clauses.values().stream()
                        .filter(c -> c instanceof MinScoreClauseContext || c instanceof SortClauseContext
                                || c instanceof SearchAfterClauseContext || c instanceof TerminateAfterClauseContext
                                || c instanceof KnnClauseContext)
                        .findFirst()
                        .orElseThrow();
                throw error(first.start, SearchRequest.retrieverConflictMessage(conflicts));
            }
        }
        var hitOptions = hitOptions(clauses);
        Optional<Retriever> r = retriever;
        Optional<Query> q = query;
        return build(ctx, () -> new SearchRequest(span(ctx), index, r, q, rescore, from, size, minScore, explain,
                profile, source, trackTotalHits, collapse, sort, searchAfter, terminateAfter, ext, knn, aggs,
                hitOptions, timeout));
    }

    /** {@code VERSION}, {@code SEQ_NO_PRIMARY_TERM}, {@code TRACK_SCORES}, {@code FIELDS}, {@code DOCVALUE_FIELDS}, {@code STORED_FIELDS}. */
    private static HitOptions hitOptions(Map<Class<?>, ClauseContext> clauses) {
        boolean version = clause(clauses, VersionClauseContext.class, c -> flag(c.booleanLiteral())).orElse(false);
        boolean seqNo = clause(clauses, SeqNoPrimaryTermClauseContext.class, c -> flag(c.booleanLiteral())).orElse(false);
        boolean trackScores = clause(clauses, TrackScoresClauseContext.class, c -> flag(c.booleanLiteral())).orElse(false);
        List<String> fields = clause(clauses, FieldsClauseContext.class, c -> patterns(c.value())).orElse(List.of());
        List<FieldAndFormat> docvalueFields =
                clause(clauses, DocvalueFieldsClauseContext.class, c -> docvalueFields(c.value())).orElse(List.of());
        var storedClause = Optional.ofNullable(clauses.get(StoredFieldsClauseContext.class)).map(StoredFieldsClauseContext.class::cast);
        Optional<List<String>> storedFields = storedClause.map(c -> patterns(c.value()));
        ParserRuleContext at = storedClause.isPresent() ? storedClause.get().value() : null;
        Supplier<HitOptions> options = () -> new HitOptions(version, seqNo, trackScores, fields, docvalueFields, storedFields);
        return at == null ? options.get() : build(at, options);
    }

    /** A list of {@code docvalue_fields}: names or patterns, or {@code {field: f, format: "..."}} maps. */
    private static List<FieldAndFormat> docvalueFields(ValueContext ctx) {
        return ctx instanceof ListValueContext l ? list(l, AstBuilder::docvalueField) : List.of(docvalueField(ctx));
    }

    private static FieldAndFormat docvalueField(ValueContext ctx) {
        if (!(ctx instanceof MapValueContext m)) {
            return build(ctx, () -> FieldAndFormat.of(fieldName(ctx, "a field name, pattern or {field: f, format: \"...\"}")));
        }
        String field = null;
        Optional<String> format = Optional.empty();
        for (EntryContext entry : entries(m)) {
            switch (name(entry.key)) {
                case "field" -> field = fieldName(entry.value(), "a field name or pattern");
                case "format" -> format = Optional.of(string(entry.value()));
                default -> throw error(entry.key, "a doc value field takes only [field, format], found [" + name(entry.key) + "]");
            }
        }
        if (field == null) {
            throw error(ctx, "a doc value field needs [field]");
        }
        var f = field;
        var fmt = format;
        return build(ctx, () -> new FieldAndFormat(f, fmt));
    }

    /** {@code COLLAPSE field (INNER_HITS {...})* (MAX_CONCURRENT_GROUP_SEARCHES n)?}. */
    private static Collapse collapse(CollapseClauseContext c) {
        var inner = new ArrayList<InnerHits>();
        Optional<Integer> max = Optional.empty();
        for (CollapseOptionContext option : c.collapseOption()) {
            switch (option) {
                case InnerHitsOptionContext i -> {
                    var section = innerHits(i.value());
                    String key = section.name().orElse(name(c.name()));
                    if (inner.stream().anyMatch(s -> s.name().orElse(name(c.name())).equals(key))) {
                        throw error(i.value(), "[inner_hits] already contains an entry for key [" + key + "]");
                    }
                    inner.add(section);
                }
                case MaxConcurrentGroupSearchesOptionContext m -> {
                    if (max.isPresent()) {
                        throw error(option.start, "duplicate MAX_CONCURRENT_GROUP_SEARCHES for one collapse");
                    }
                    int value = integer(m.integer());
                    if (value < 1) {
                        throw error(m.integer(), "max_concurrent_group_searches must be positive, got " + value);
                    }
                    max = Optional.of(value);
                }
                default -> throw new IllegalStateException("unexpected option " + option.getClass());
            }
        }
        var m = max;
        return build(c, () -> new Collapse(span(c), name(c.name()), inner, m));
    }

    /**
     * A standard retriever's {@code collapse:}: a field, or {@code {field: f, inner_hits: {...} | [{...}, ...],
     * max_concurrent_group_searches: n}}.
     */
    private static Collapse retrieverCollapse(ValueContext ctx) {
        if (!(ctx instanceof MapValueContext m)) {
            return build(ctx, () -> new Collapse(span(ctx), fieldName(ctx, "a field or {field: f, inner_hits: {...}}")));
        }
        String field = null;
        List<InnerHits> inner = List.of();
        Optional<Integer> max = Optional.empty();
        for (EntryContext entry : entries(m)) {
            switch (name(entry.key)) {
                case "field" -> field = fieldName(entry.value(), "a field");
                case "inner_hits" -> inner = entry.value() instanceof ListValueContext l
                        ? list(l, AstBuilder::innerHits)
                        : List.of(innerHits(entry.value()));
                case "max_concurrent_group_searches" -> max = Optional.of(innerCount(entry.value(), "max_concurrent_group_searches"));
                default -> throw error(entry.key, "collapse takes only [field, inner_hits, max_concurrent_group_searches], found ["
                        + name(entry.key) + "]");
            }
        }
        if (field == null) {
            throw error(ctx, "collapse needs [field]");
        }
        var f = field;
        var i = inner;
        var x = max;
        return build(ctx, () -> new Collapse(span(ctx), f, i, x));
    }

    private static final List<String> INNER_HITS_KEYS = List.of("name", "from", "size", "sort", "collapse", "_source",
            "fields", "docvalue_fields", "version", "seq_no_primary_term", "track_scores");

    /** One inner hits section, a map with the JSON's keys: {@code {name: "cheap", size: 4, sort: [price ASC]}}. */
    private static InnerHits innerHits(ValueContext ctx) {
        if (!(ctx instanceof MapValueContext m)) {
            throw error(ctx, "INNER_HITS expects a map such as {name: \"top\", size: 3}, found " + describe(ctx));
        }
        var values = new LinkedHashMap<String, ValueContext>();
        for (EntryContext entry : entries(m)) {
            String key = name(entry.key);
            if (!INNER_HITS_KEYS.contains(key)) {
                throw error(entry.key, "INNER_HITS takes only " + INNER_HITS_KEYS + ", found [" + key + "]");
            }
            if (values.put(key, entry.value()) != null) {
                throw error(entry.key, "duplicate key [" + key + "]");
            }
        }
        Optional<String> name = Optional.ofNullable(values.get("name")).map(v -> fieldName(v, "a name"));
        Optional<Integer> from = Optional.ofNullable(values.get("from")).map(v -> innerCount(v, "from"));
        Optional<Integer> size = Optional.ofNullable(values.get("size")).map(v -> innerCount(v, "size"));
        List<SortField> sort = Optional.ofNullable(values.get("sort")).map(AstBuilder::sortList).orElse(List.of());
        Optional<Collapse> collapse = Optional.ofNullable(values.get("collapse"))
                .map(v -> build(v, () -> new Collapse(span(v), fieldName(v, "a field"))));
        Optional<SourceFilter> source = Optional.ofNullable(values.get("_source")).map(AstBuilder::sourceFilter);
        List<String> fields = Optional.ofNullable(values.get("fields")).map(AstBuilder::patterns).orElse(List.of());
        List<FieldAndFormat> docvalueFields =
                Optional.ofNullable(values.get("docvalue_fields")).map(AstBuilder::docvalueFields).orElse(List.of());
        boolean version = innerFlag(values, "version");
        boolean seqNo = innerFlag(values, "seq_no_primary_term");
        boolean trackScores = innerFlag(values, "track_scores");
        return build(ctx, () -> new InnerHits(span(ctx), name, from, size, sort, collapse, source, fields, version, seqNo,
                trackScores, docvalueFields));
    }

    private static int innerCount(ValueContext ctx, String key) {
        if (ctx instanceof NumberValueContext n) {
            int value = integer(n.number().NUMBER());
            if (value < 0) {
                throw error(ctx, "[" + key + "] must not be negative, found [" + value + "]");
            }
            return value;
        }
        throw error(ctx, "INNER_HITS [" + key + "] expects an integer, found " + describe(ctx));
    }

    private static boolean innerFlag(Map<String, ValueContext> values, String key) {
        var ctx = values.get(key);
        if (ctx == null) {
            return false;
        }
        if (ctx instanceof BooleanValueContext b) {
            return b.booleanLiteral().TRUE() != null;
        }
        throw error(ctx, "INNER_HITS [" + key + "] expects true or false, found " + describe(ctx));
    }

    /** {@code TIMEOUT "500ms"}: Elasticsearch's time value, as a string, or {@code 0} and {@code -1} as numbers. */
    private static java.time.Duration timeout(ValueContext ctx) {
        var text = switch (ctx) {
            case StringValueContext s -> Lexemes.unquote(s.string().STRING().getSymbol());
            case NumberValueContext n -> n.getText();
            default -> throw error(ctx, "TIMEOUT expects a time value such as \"500ms\" or \"2s\", found " + describe(ctx));
        };
        try {
            return SearchRequest.parseTimeValue(text, "timeout");
        } catch (IllegalArgumentException e) {
            throw error(ctx, e.getMessage());
        }
    }

    private static <C extends ClauseContext, T> Optional<T> clause(
            Map<Class<?>, ClauseContext> clauses, Class<C> type, Function<C, T> build) {
        return Optional.ofNullable(clauses.get(type)).map(type::cast).map(build);
    }

    private static boolean flag(BooleanLiteralContext literal) {
        return literal == null || literal.TRUE() != null;
    }

    private static SortField sortField(SortItemContext item) {
        Optional<SortOrder> order = Optional.ofNullable(item.order).map(AstBuilder::sortOrder);
        return build(item, () -> new SortField(span(item), name(item.name()), order));
    }

    private static SortOrder sortOrder(Token order) {
        return order.getType() == RankQlLexer.ASC ? SortOrder.ASC : SortOrder.DESC;
    }

    private static SourceFilter sourceFilter(ValueContext ctx) {
        return switch (ctx) {
            case BooleanValueContext b -> new SourceFilter.Fetch(b.booleanLiteral().TRUE() != null);
            case ListValueContext l -> new SourceFilter.Fields(list(l, AstBuilder::pattern), List.of());
            case StringValueContext s -> new SourceFilter.Fields(List.of(pattern(s)), List.of());
            case IdentifierValueContext i -> new SourceFilter.Fields(List.of(pattern(i)), List.of());
            case MapValueContext m -> {
                List<String> includes = List.of();
                List<String> excludes = List.of();
                for (EntryContext entry : entries(m)) {
                    switch (name(entry.key)) {
                        case "includes" -> includes = patterns(entry.value());
                        case "excludes" -> excludes = patterns(entry.value());
                        default -> throw error(entry.key, "SOURCE takes only [includes, excludes], found ["
                                + name(entry.key) + "]");
                    }
                }
                yield new SourceFilter.Fields(includes, excludes);
            }
            default -> throw error(ctx, "SOURCE expects true, false, a list of field patterns or "
                    + "{includes: [...], excludes: [...]}, found " + describe(ctx));
        };
    }

    private static List<String> patterns(ValueContext ctx) {
        return ctx instanceof ListValueContext l ? list(l, AstBuilder::pattern) : List.of(pattern(ctx));
    }

    private static String pattern(ValueContext ctx) {
        return fieldName(ctx, "a field pattern");
    }

    private static TrackTotalHits trackTotalHits(ValueContext ctx) {
        return switch (ctx) {
            case BooleanValueContext b -> new TrackTotalHits.Flag(b.booleanLiteral().TRUE() != null);
            case NumberValueContext n -> build(ctx, () -> new TrackTotalHits.UpTo(integer(n.number().NUMBER())));
            default -> throw error(ctx, "TRACK_TOTAL_HITS expects true, false or an integer, found " + describe(ctx));
        };
    }

    /** Walks the left spine of a pipe chain iteratively, so long chains cannot overflow the stack. */
    static Retriever retriever(RetrieverContext ctx) {
        var pipes = new ArrayList<RescorerRetrieverContext>();
        RetrieverContext node = ctx;
        while (true) {
            if (node instanceof ParenthesizedRetrieverContext p) {
                node = p.retriever();
            } else if (node instanceof RescorerRetrieverContext r) {
                pipes.add(r);
                node = r.child;
            } else {
                break;
            }
        }
        Retriever result = baseRetriever(((BaseRetrieverContext) node).call());
        for (int i = pipes.size() - 1; i >= 0; i--) {
            result = rescorer(pipes.get(i), result);
        }
        return result;
    }

    private static Retriever rescorer(RescorerRetrieverContext ctx, Retriever child) {
        var rescores = mapAll(ctx.rescore(), AstBuilder::rescore);
        var filters = new ArrayList<Query>();
        Optional<Float> minScore = Optional.empty();
        Optional<String> name = Optional.empty();
        for (RescorerOptionContext option : ctx.rescorerOption()) {
            switch (option) {
                case FilterOptionContext f -> filters.add(query(f.query()));
                case MinScoreOptionContext m -> {
                    if (minScore.isPresent()) {
                        throw error(option.start, "duplicate MIN_SCORE for one rescorer");
                    }
                    minScore = Optional.of(floatOf(m.number()));
                }
                case NameOptionContext n -> {
                    if (name.isPresent()) {
                        throw error(option.start, "duplicate NAME for one rescorer");
                    }
                    name = Optional.of(name(n.name()));
                }
                default -> throw new IllegalStateException("unexpected option " + option.getClass());
            }
        }
        Optional<Float> ms = minScore;
        Optional<String> nm = name;
        return build(ctx, () -> new Retriever.Rescorer(span(ctx), child, rescores, filters, ms, nm));
    }

    private static Retriever baseRetriever(CallContext call) {
        String function = call.function.start.getText();
        var build = RETRIEVERS.get(function);
        if (build == null) {
            throw error(call.function, "unknown retriever [" + function + "]; expected one of "
                    + RETRIEVERS.keySet());
        }
        return build.apply(call);
    }

    private static Retriever standard(CallContext call) {
        var a = Args.bind(call, List.of("query"),
                List.of("filter", "min_score", "collapse", "sort", "search_after", "terminate_after", "name"));
        Optional<Collapse> collapse = a.get("collapse").map(AstBuilder::retrieverCollapse);
        List<SortField> sort = a.get("sort").map(AstBuilder::sortList).orElse(List.of());
        return build(call, () -> new Retriever.Standard(span(call), a.get("query").map(AstBuilder::query),
                queries(a, "filter"), floatOption(a, "min_score"), collapse, sort,
                a.get("search_after").map(v -> list(v, AstBuilder::value)).orElse(List.of()),
                intOption(a, "terminate_after"), name(a)));
    }

    private static Retriever knn(CallContext call) {
        var a = Args.bind(call, List.of("field", "query_vector"),
                List.of("k", "num_candidates", "similarity", "filter", "min_score", "name"));
        var field = fieldName(a.required("field"), "a field");
        var vector = vector(a.required("query_vector"));
        return build(a, () -> new Retriever.Knn(span(call), field, vector, intOption(a, "k"),
                intOption(a, "num_candidates"), floatOption(a, "similarity"), queries(a, "filter"),
                floatOption(a, "min_score"), name(a)));
    }

    /** The {@code KNN} clause: one {@code knn(...)} call or a list of them. */
    private static List<KnnSearch> knnSearches(ValueContext ctx) {
        return ctx instanceof ListValueContext l ? list(l, AstBuilder::knnSearch) : List.of(knnSearch(ctx));
    }

    private static KnnSearch knnSearch(ValueContext ctx) {
        if (!(ctx instanceof CallValueContext c) || !c.call().function.start.getText().equals("knn")) {
            throw error(ctx, "KNN expects knn(field, [vector], ...) or a list of them, found " + describe(ctx));
        }
        var call = c.call();
        var a = Args.bind(call, List.of("field", "query_vector"),
                List.of("k", "num_candidates", "similarity", "filter", "boost", "name"));
        var field = fieldName(a.required("field"), "a field");
        var vector = vector(a.required("query_vector"));
        return build(a, () -> new KnnSearch(span(call), field, vector, intOption(a, "k"),
                intOption(a, "num_candidates"), floatOption(a, "similarity"), queries(a, "filter"), boost(a),
                name(a)));
    }

    /** A query vector: a non-empty list of numbers. */
    private static QueryVector vector(ValueContext ctx) {
        if (!(ctx instanceof ListValueContext l)) {
            throw error(ctx, "expected a query vector [numbers...], found " + describe(ctx));
        }
        if (l.value().isEmpty()) {
            throw error(ctx, QueryVector.emptyMessage());
        }
        var values = new float[l.value().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = floatOf(l.value().get(i));
        }
        return new QueryVector(values);
    }

    private static Retriever rrf(CallContext call) {
        var a = Args.bind(call, List.of("retrievers"),
                List.of("rank_window_size", "rank_constant", "filter", "min_score", "name"));
        var children = children(a);
        var components = mapAll(children, child -> {
            var wrapped = component(child, List.of("weight"));
            return build(child, () -> wrapped.args() == null ? Retriever.Rrf.Component.of(wrapped.retriever())
                    : new Retriever.Rrf.Component(span(child), wrapped.retriever(), weight(wrapped.args())));
        });
        var rankWindowSize = rankWindowSize(a);
        var rankConstant = intOption(a, "rank_constant");
        rankConstant.ifPresent(c -> {
            if (c < 1) {
                throw error(a.required("rank_constant"), Retriever.Rrf.RANK_CONSTANT_MESSAGE);
            }
        });
        return build(a, () -> new Retriever.Rrf(span(call), components, rankWindowSize, rankConstant,
                queries(a, "filter"), floatOption(a, "min_score"), name(a)));
    }

    private static Retriever linear(CallContext call) {
        var a = Args.bind(call, List.of("retrievers"),
                List.of("rank_window_size", "normalizer", "filter", "min_score", "name"));
        var children = children(a);
        var components = mapAll(children, child -> {
            var wrapped = component(child, List.of("weight", "normalizer"));
            var w = wrapped.args();
            return build(child, () -> new Retriever.Linear.Component(span(child), wrapped.retriever(),
                    w == null ? Optional.empty() : weight(w),
                    w == null ? Optional.empty() : keyword(w, "normalizer", ScoreNormalizer.class)));
        });
        var rankWindowSize = rankWindowSize(a);
        return build(a, () -> new Retriever.Linear(span(call), components, rankWindowSize,
                keyword(a, "normalizer", ScoreNormalizer.class), queries(a, "filter"), floatOption(a, "min_score"),
                name(a)));
    }

    /** The children of a compound retriever: a non-empty list (one child may be written without the brackets). */
    private static List<ValueContext> children(Args a) {
        var value = a.required("retrievers");
        var children = value instanceof ListValueContext l ? l.value() : List.of(value);
        if (children.isEmpty()) {
            throw error(value, "[" + a.function + "] must provide [retrievers] or [query]");
        }
        return children;
    }

    /** A compound retriever's child and, when it is written {@code retriever(child, ...)}, the wrapper's options. */
    private record Wrapped(Retriever retriever, Args args) {}

    private static Wrapped component(ValueContext ctx, List<String> options) {
        if (ctx instanceof CallValueContext c && c.call().function.start.getText().equals(COMPONENT)) {
            var a = Args.bind(c.call(), List.of("retriever"), options);
            return new Wrapped(childRetriever(a.required("retriever")), a);
        }
        return new Wrapped(childRetriever(ctx), null);
    }

    /** A retriever in a value position: a retriever call, or any retriever (pipes included) in parentheses. */
    private static Retriever childRetriever(ValueContext ctx) {
        return switch (ctx) {
            case CallValueContext c -> baseRetriever(c.call());
            case RetrieverValueContext r -> retriever(r.retriever());
            default -> throw error(ctx, "expected a retriever, found " + describe(ctx));
        };
    }

    private static Optional<Float> weight(Args a) {
        var weight = floatOption(a, "weight");
        weight.ifPresent(w -> {
            if (w < 0) {
                throw error(a.required("weight"), "[weight] must be non-negative");
            }
        });
        return weight;
    }

    private static Optional<Integer> rankWindowSize(Args a) {
        var size = intOption(a, "rank_window_size");
        size.ifPresent(w -> {
            if (w < 0) {
                throw error(a.required("rank_window_size"), "[rank_window_size] parameter cannot be negative, found ["
                        + w + "]");
            }
        });
        return size;
    }

    /** The {@code AGGS} clause: a map from aggregation names to aggregation calls. */
    private static Map<String, Aggregation> aggregations(ValueContext ctx) {
        if (!(ctx instanceof MapValueContext m)) {
            throw error(ctx, "AGGS expects a map {name: terms(field), ...}, found " + describe(ctx));
        }
        var aggregations = new LinkedHashMap<String, Aggregation>();
        for (EntryContext entry : entries(m)) {
            String name = name(entry.key);
            if (name.isEmpty() || name.indexOf('[') >= 0 || name.indexOf(']') >= 0 || name.indexOf('>') >= 0) {
                throw error(entry.key, "Invalid aggregation name [" + name + "]. Aggregation names can contain any "
                        + "character except '[', ']', and '>'");
            }
            if (aggregations.put(name, aggregation(name, entry.value())) != null) {
                throw error(entry.key, "Two sibling aggregations cannot have the same name: [" + name + "]");
            }
        }
        return aggregations;
    }

    private static Aggregation aggregation(String name, ValueContext ctx) {
        if (!(ctx instanceof CallValueContext c)) {
            throw error(ctx, "expected an aggregation such as terms(field), found " + describe(ctx));
        }
        var call = c.call();
        String function = call.function.start.getText();
        if (!AGGREGATIONS.contains(function)) {
            throw error(call.function, "unsupported aggregation [" + function + "]; rankql supports " + AGGREGATIONS);
        }
        var a = Args.bind(call, List.of("field"), List.of("size"));
        var field = fieldName(a.required("field"), "a field");
        var size = intOption(a, "size");
        size.ifPresent(n -> {
            if (n < 1) {
                throw error(a.required("size"), Aggregation.Terms.sizeMessage(n, name));
            }
        });
        return build(call, () -> new Aggregation.Terms(span(call), field, size));
    }

    private static List<SortField> sortList(ValueContext ctx) {
        return ctx instanceof ListValueContext l ? list(l, AstBuilder::sortValue) : List.of(sortValue(ctx));
    }

    private static SortField sortValue(ValueContext ctx) {
        if (ctx instanceof SortedValueContext s) {
            return build(ctx, () -> new SortField(span(ctx), name(s.name()), Optional.of(sortOrder(s.order))));
        }
        return build(ctx, () -> new SortField(span(ctx), fieldName(ctx, "a sort key"), Optional.empty()));
    }

    /** The query function names, for completion. */
    static Set<String> queryFunctions() {
        return Collections.unmodifiableSet(QUERIES.keySet());
    }

    /** The retriever function names and the child wrapper {@code retriever}, for completion. */
    static Set<String> retrieverFunctions() {
        var names = new LinkedHashSet<>(RETRIEVERS.keySet());
        names.add(COMPONENT);
        return Collections.unmodifiableSet(names);
    }

    /** The aggregation function names, for completion. */
    static List<String> aggregationFunctions() {
        return AGGREGATIONS;
    }

    /** The rescorer function names, for completion. */
    static List<String> rescorerFunctions() {
        return RESCORERS;
    }

    static Rescore rescore(RescoreContext ctx) {
        CallContext call = ctx.call();
        String function = call.function.start.getText();
        Optional<Integer> window = Optional.ofNullable(ctx.integer()).map(AstBuilder::integer);
        window.ifPresent(w -> {
            if (w < 0) {
                throw error(ctx.integer(), Rescore.negativeWindowMessage(w));
            }
        });
        return switch (function) {
            case "ltr", "learning_to_rank" -> {
                var a = Args.bind(call, List.of("model_id"), List.of("params"));
                String model = string(a.required("model_id"));
                Map<String, Value> params = a.get("params").map(AstBuilder::map).orElse(Map.of());
                yield build(ctx, () -> new Rescore.LearningToRank(span(ctx), window, model, params));
            }
            case "query" -> {
                var a = Args.bind(call, List.of("query"),
                        List.of("query_weight", "rescore_query_weight", "score_mode"));
                Query q = query(a.required("query"));
                yield build(ctx, () -> new Rescore.QueryRescore(span(ctx), window, q, floatOption(a, "query_weight"),
                        floatOption(a, "rescore_query_weight"), keyword(a, "score_mode", ScoreMode.class)));
            }
            case "script" -> {
                Script script = script(call);
                yield build(ctx, () -> new Rescore.ScriptRescore(span(ctx), window, script));
            }
            default -> throw error(call.function, "unknown rescorer [" + function + "]; expected one of "
                    + RESCORERS);
        };
    }

    static Query query(QueryContext ctx) {
        return query(ctx.call());
    }

    private static Query query(ValueContext ctx) {
        if (ctx instanceof CallValueContext c) {
            return query(c.call());
        }
        throw error(ctx, "expected a query, found " + describe(ctx));
    }

    private static Query query(CallContext call) {
        String function = call.function.start.getText();
        var signature = QUERIES.get(function);
        if (signature == null) {
            throw error(call.function, "unknown query [" + function + "]; expected one of "
                    + new TreeSet<>(QUERIES.keySet()));
        }
        var args = Args.bind(call, signature.positional(), signature.named());
        return build(call, () -> signature.build().apply(args));
    }

    private static List<Query> queries(Args a, String name) {
        return a.get(name).map(AstBuilder::queryList).orElse(List.of());
    }

    private static List<Query> queryList(ValueContext ctx) {
        return ctx instanceof ListValueContext l ? list(l, AstBuilder::query) : List.of(query(ctx));
    }

    private static RankFeatureFunction rankFeatureFunction(ValueContext ctx) {
        if (!(ctx instanceof CallValueContext c)) {
            throw error(ctx, "[rank_feature] expects saturation(...), log(...), sigmoid(...) or linear(), found "
                    + describe(ctx));
        }
        CallContext call = c.call();
        String function = call.function.start.getText();
        return switch (function) {
            case "saturation" -> {
                var a = Args.bind(call, List.of(), List.of("pivot"));
                yield build(call, () -> new RankFeatureFunction.Saturation(floatOption(a, "pivot")));
            }
            case "log" -> {
                var a = Args.bind(call, List.of(), List.of("scaling_factor"));
                yield build(call, () -> new RankFeatureFunction.Log(floatOf(a.required("scaling_factor"))));
            }
            case "sigmoid" -> {
                var a = Args.bind(call, List.of(), List.of("pivot", "exponent"));
                yield build(call, () -> new RankFeatureFunction.Sigmoid(
                        floatOf(a.required("pivot")), floatOf(a.required("exponent"))));
            }
            case "linear" -> {
                Args.bind(call, List.of(), List.of());
                yield new RankFeatureFunction.Linear();
            }
            default -> throw error(call.function, "unknown rank_feature function [" + function
                    + "]; expected one of [linear, log, saturation, sigmoid]");
        };
    }

    private static Script scriptArg(ValueContext ctx) {
        return switch (ctx) {
            case StringValueContext s -> new Script(span(ctx), string(ctx), Optional.empty(), Map.of());
            case CallValueContext c when c.call().function.start.getText().equals("script") -> script(c.call());
            default -> throw error(ctx, "[script_score] expects a script source string or script(...), found "
                    + describe(ctx));
        };
    }

    private static Script script(CallContext call) {
        var a = Args.bind(call, List.of("source"), List.of("params", "lang"));
        String source = string(a.required("source"));
        Map<String, Value> params = a.get("params").map(AstBuilder::map).orElse(Map.of());
        return build(call, () -> new Script(span(call), source, text(a, "lang"), params));
    }

    private static String field(Args a, String name) {
        return fieldName(a.required(name), "a field name");
    }

    private static List<FieldRef> fieldRefs(Args a, String name) {
        return a.get(name)
                .map(v -> v instanceof ListValueContext l ? list(l, AstBuilder::fieldRef) : List.of(fieldRef(v)))
                .orElse(List.of());
    }

    private static FieldRef fieldRef(ValueContext ctx) {
        if (ctx instanceof BoostedValueContext b) {
            float boost = floatOf(b.number());
            return build(ctx, () -> new FieldRef(name(b.name()), Optional.of(boost)));
        }
        return build(ctx, () -> FieldRef.of(fieldName(ctx, "a field name")));
    }

    private static String fieldName(ValueContext ctx, String what) {
        return switch (ctx) {
            case IdentifierValueContext i -> i.start.getText();
            case StringValueContext s -> Lexemes.unquote(s.string().STRING().getSymbol());
            default -> throw error(ctx, "expected " + what + ", found " + describe(ctx));
        };
    }

    private static <E extends Enum<E> & Keyword> Optional<E> keyword(Args a, String name, Class<E> type) {
        return a.get(name).map(v -> {
            if (!(v instanceof IdentifierValueContext || v instanceof StringValueContext)) {
                throw error(v, "[" + a.function + "] argument [" + name + "] expects one of "
                        + Keyword.choices(type) + ", found " + describe(v));
            }
            String text = fieldName(v, "a name");
            return Keyword.lookup(type, text).orElseThrow(() -> error(v, "[" + a.function + "] argument [" + name
                    + "] expects one of " + Keyword.choices(type) + ", found [" + text + "]"));
        });
    }

    private static Optional<String> text(Args a, String name) {
        return a.get(name).map(v -> fieldName(v, "a name or string"));
    }

    /** Options that Elasticsearch takes as a number or a string, such as {@code minimum_should_match: 2}. */
    private static Optional<String> textOrNumber(Args a, String name) {
        return a.get(name).map(v -> v instanceof NumberValueContext n
                ? n.start.getText()
                : fieldName(v, "a number, name or string"));
    }

    private static Optional<Float> boost(Args a) {
        return a.get("boost").map(v -> {
            float boost = floatOf(v);
            if (boost < 0) {
                throw error(v, "negative [boost] are not allowed.");
            }
            return boost;
        });
    }

    private static Optional<String> name(Args a) {
        return a.get("name").map(v -> fieldName(v, "a name"));
    }

    private static Optional<Float> floatOption(Args a, String name) {
        return a.get(name).map(AstBuilder::floatOf);
    }

    private static Optional<Integer> intOption(Args a, String name) {
        return a.get(name).map(v -> {
            if (v instanceof NumberValueContext n) {
                return integer(n.number().NUMBER());
            }
            throw error(v, "[" + a.function + "] argument [" + name + "] expects an integer, found " + describe(v));
        });
    }

    private static Optional<Boolean> boolOption(Args a, String name) {
        return a.get(name).map(v -> {
            if (v instanceof BooleanValueContext b) {
                return b.booleanLiteral().TRUE() != null;
            }
            throw error(v, "[" + a.function + "] argument [" + name + "] expects true or false, found "
                    + describe(v));
        });
    }

    private static float floatOf(ValueContext ctx) {
        if (ctx instanceof NumberValueContext n) {
            return floatOf(n.number());
        }
        throw error(ctx, "expected a number, found " + describe(ctx));
    }

    private static float floatOf(NumberContext ctx) {
        float value = Float.parseFloat(ctx.start.getText());
        if (!Float.isFinite(value)) {
            throw error(ctx, "number out of range: " + ctx.start.getText());
        }
        return value;
    }

    /** A request-level count, rejected when negative with Elasticsearch's message. */
    private static int count(IntegerContext ctx, IntFunction<String> negativeMessage) {
        int value = integer(ctx);
        if (value < 0) {
            throw error(ctx, negativeMessage.apply(value));
        }
        return value;
    }

    private static int integer(IntegerContext ctx) {
        return integer(ctx.NUMBER());
    }

    private static int integer(org.antlr.v4.runtime.tree.TerminalNode number) {
        String text = number.getText();
        Token token = number.getSymbol();
        if (!isWhole(text)) {
            throw error(token, "expected an integer, found " + text);
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error(token, "integer out of range: " + text);
        }
    }

    private static boolean isWhole(String number) {
        return number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
    }

    private static String string(ValueContext ctx) {
        return switch (ctx) {
            case StringValueContext s -> Lexemes.unquote(s.string().STRING().getSymbol());
            case IdentifierValueContext i -> i.start.getText();
            default -> throw error(ctx, "expected a string, found " + describe(ctx));
        };
    }

    private static Value scalar(ValueContext ctx) {
        Value value = value(ctx);
        if (!value.isScalar()) {
            throw error(ctx, "expected a string, number or boolean, found " + value.typeName());
        }
        return value;
    }

    static Value value(ValueContext ctx) {
        return switch (ctx) {
            case StringValueContext s -> new Value.Str(Lexemes.unquote(s.string().STRING().getSymbol()));
            case IdentifierValueContext i -> new Value.Str(i.start.getText());
            case NumberValueContext n -> number(n.number());
            case BooleanValueContext b -> new Value.Bool(b.booleanLiteral().TRUE() != null);
            case NullValueContext n -> new Value.Null();
            case ListValueContext l -> new Value.Arr(list(l, AstBuilder::value));
            case MapValueContext m -> new Value.Obj(map(m));
            case CallValueContext c -> throw error(ctx, "expected a value, found a call to ["
                    + c.call().function.start.getText() + "]");
            case RetrieverValueContext r -> throw error(ctx, "expected a value, found a retriever in parentheses");
            case BoostedValueContext b -> throw error(b.CARET().getSymbol(),
                    "a field boost (^) is only allowed in a list of fields");
            case SortedValueContext s -> throw error(s.order, "a sort order is only allowed in a sort list");
            default -> throw new IllegalStateException("unexpected value " + ctx.getClass());
        };
    }

    private static Value number(NumberContext ctx) {
        String text = ctx.start.getText();
        if (isWhole(text)) {
            try {
                return new Value.Int(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw error(ctx, "integer out of range: " + text);
            }
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            throw error(ctx, "number out of range: " + text);
        }
        return new Value.Dbl(value);
    }

    private static <T> List<T> list(ValueContext ctx, Function<ValueContext, T> element) {
        if (ctx instanceof ListValueContext l) {
            return mapAll(l.value(), element);
        }
        throw error(ctx, "expected a list [...], found " + describe(ctx));
    }

    /**
     * {@code convert} applied to each of {@code items}, as an immutable list that the AST's defensive copies take
     * as it is; every converter returns a node or throws, never null.
     */
    private static <C, T> List<T> mapAll(List<C> items, Function<? super C, ? extends T> convert) {
        var out = new Object[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = convert.apply(items.get(i));
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) List.of(out);
        return list;
    }

    private static Map<String, Value> map(ValueContext ctx) {
        if (ctx instanceof MapValueContext m) {
            return map(m);
        }
        throw error(ctx, "expected a map {...}, found " + describe(ctx));
    }

    private static Map<String, Value> map(MapValueContext ctx) {
        var map = new LinkedHashMap<String, Value>();
        for (EntryContext entry : entries(ctx)) {
            String key = name(entry.key);
            if (map.put(key, value(entry.value())) != null) {
                throw error(entry.key, "duplicate key [" + key + "]");
            }
        }
        return map;
    }

    private static List<EntryContext> entries(MapValueContext ctx) {
        return ctx.entry();
    }

    private static String name(NameContext ctx) {
        return ctx.string() != null ? Lexemes.unquote(ctx.string().STRING().getSymbol()) : ctx.start.getText();
    }

    private static String describe(ValueContext ctx) {
        return switch (ctx) {
            case StringValueContext s -> "string " + s.start.getText();
            case IdentifierValueContext i -> "identifier " + i.start.getText();
            case NumberValueContext n -> "number " + n.start.getText();
            case BooleanValueContext b -> "boolean " + b.start.getText();
            case NullValueContext n -> "null";
            case ListValueContext l -> "a list";
            case MapValueContext m -> "a map";
            case CallValueContext c -> "a call to [" + c.call().function.start.getText() + "]";
            case BoostedValueContext b -> "a boosted field";
            case SortedValueContext s -> "a sort key";
            case RetrieverValueContext r -> "a retriever in parentheses";
            default -> "a value";
        };
    }

    /**
     * Runs an AST constructor; a failure that names one of the call's arguments ({@code [k] must be greater than 0})
     * is reported at that argument, any other at the call.
     */
    private static <T> T build(Args a, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            var message = String.valueOf(e.getMessage());
            int end = message.startsWith("[") ? message.indexOf(']') : -1;
            var at = end > 0 ? a.get(message.substring(1, end)) : Optional.<ValueContext>empty();
            throw at.isPresent() ? error(at.get(), message) : error(a.call, message);
        }
    }

    /** Runs an AST constructor, turning its validation failure into an error at {@code ctx}. */
    private static <T> T build(ParserRuleContext ctx, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw error(ctx, e.getMessage());
        }
    }

    static Span span(ParserRuleContext ctx) {
        Token start = ctx.start;
        Token stop = ctx.stop;
        int length = stop == null || stop.getStopIndex() < start.getStartIndex()
                ? 0
                : stop.getStopIndex() - start.getStartIndex() + 1;
        return new Span(start.getLine(), start.getCharPositionInLine() + 1, Math.max(0, start.getStartIndex()),
                length);
    }

    static DslSyntaxException error(ParserRuleContext ctx, String message) {
        return error(ctx.start, message);
    }

    static DslSyntaxException error(Token token, String message) {
        String text = token.getType() == Token.EOF ? "<EOF>" : token.getText();
        return new DslSyntaxException(token.getLine(), token.getCharPositionInLine() + 1, text, message);
    }
}
