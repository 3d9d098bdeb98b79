package dev.rankql.ast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of valid search trees that reaches every node type and every option, for property tests of the
 * printers and parsers.
 *
 * <p>Trees are valid for both the AST and the Elasticsearch reader: a {@code dis_max} has at least one query, a
 * {@code standard} retriever under a {@code rescorer} has no {@code search_after} or {@code terminate_after}, a
 * request with a retriever has none of the options Elasticsearch refuses beside it, windows pass Elasticsearch's
 * request validation, multi_match field names have no {@code ^} and no fuzziness or slop where Elasticsearch
 * refuses them for the type, and no {@code terms} or {@code range} field is called {@code boost} or {@code _name}.
 * Names and strings include spaces, dots, quotes, backslashes and non-ASCII text. Queries and retrievers nest no
 * deeper than the depth given to the constructor.
 */
public final class RandomAst {

    private static final List<String> FIELDS = List.of("title", "body", "price", "tags.keyword", "author name",
            "é_field", "a\"quote", "back\\slash", "_id", "x");
    private static final List<String> WORDS = List.of("", "x", "learning to rank", "Ünïcødé", "tab\there",
            "new\nline", "quote\"d", "10", "true", "*wild?", "title^2", "{{keyword}}");

    private final Random random;
    private final int maxDepth;

    /** A generator drawing from {@code random}, nesting queries and retrievers at most {@code maxDepth} deep. */
    public RandomAst(Random random, int maxDepth) {
        this.random = random;
        this.maxDepth = maxDepth;
    }

    public RandomAst(Random random) {
        this(random, 4);
    }

    /**
     * A whole request; the DSL's target index is set one time in three. Windows obey Elasticsearch's request
     * validation: a top-level learning_to_rank window covers {@code from + size} and no later window exceeds it, and a
     * top-level rescorer retriever's window covers {@code size}.
     */
    public SearchRequest searchRequest() {
        Optional<String> index = chance(3) ? Optional.of(pick(List.of("products", "docs", "my-index"))) : none();
        boolean withRetriever = random.nextBoolean();
        Optional<Integer> from = maybe(() -> random.nextInt(100));
        Optional<Integer> size = maybe(() -> random.nextInt(100));
        Optional<Retriever> retriever = withRetriever
                ? Optional.of(fitWindows(retriever(0), size.orElse(-1))) : none();
        Optional<Query> query = !withRetriever && random.nextBoolean() ? Optional.of(query(0)) : none();
        List<Rescore> rescore = withRetriever ? List.of()
                : topLevelRescore(list(0, 3, () -> rescore(0)), from.orElse(-1) + size.orElse(-1));
        var hitOptions = hitOptions();
        // Request validation refuses stored_fields _none_ beside a requested source.
        Optional<SourceFilter> source = hitOptions.storedFieldsDisabled()
                ? maybe(() -> new SourceFilter.Fetch(false)) : maybe(this::source);
        return new SearchRequest(Span.NONE, index, retriever, query, rescore, from, size,
                withRetriever ? none() : maybe(this::anyFloat), maybe(random::nextBoolean), maybe(random::nextBoolean),
                source, maybe(this::trackTotalHits), maybe(this::collapse),
                withRetriever ? List.of() : sort(), withRetriever ? List.of() : list(0, 3, this::sortValue),
                withRetriever ? none() : maybe(() -> random.nextInt(1000)), params(1),
                withRetriever ? List.of() : list(0, 2, this::knnSearch), aggregations(), hitOptions,
                maybe(this::timeout));
    }

    /** A timeout in one of Elasticsearch's units, or -1 (none). */
    private java.time.Duration timeout() {
        return switch (random.nextInt(5)) {
            case 0 -> SearchRequest.NO_TIMEOUT;
            case 1 -> java.time.Duration.ofMillis(random.nextInt(100_000));
            case 2 -> java.time.Duration.ofSeconds(random.nextInt(100));
            case 3 -> java.time.Duration.ofNanos(random.nextLong(1, Long.MAX_VALUE));
            default -> java.time.Duration.ofMinutes(random.nextInt(100));
        };
    }

    private Map<String, Aggregation> aggregations() {
        var aggregations = new LinkedHashMap<String, Aggregation>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            aggregations.put(pick(List.of("by_genre", "genres", "by year", "é", "a.b")),
                    new Aggregation.Terms(Span.NONE, field(), maybe(() -> 1 + random.nextInt(50))));
        }
        return aggregations;
    }

    /** A top-level knn search. */
    public KnnSearch knnSearch() {
        var k = maybe(() -> 1 + random.nextInt(100));
        return new KnnSearch(Span.NONE, field(), vector(), k, numCandidates(k), maybe(this::anyFloat),
                list(0, 2, () -> query(maxDepth - 1)), boost(), name());
    }

    private QueryVector vector() {
        var values = new float[1 + random.nextInt(5)];
        for (int i = 0; i < values.length; i++) {
            values[i] = anyFloat();
        }
        return new QueryVector(values);
    }

    private Optional<Integer> numCandidates(Optional<Integer> k) {
        int low = k.orElse(1);
        return maybe(() -> low + random.nextInt(10_001 - low));
    }

    private List<Rescore> topLevelRescore(List<Rescore> drawn, int fromPlusSize) {
        var rescore = new ArrayList<Rescore>();
        int limit = Integer.MAX_VALUE;
        for (var element : drawn) {
            if (element instanceof Rescore.LearningToRank ltr) {
                int low = Math.max(fromPlusSize, 0);
                if (low > limit) {
                    element = new Rescore.ScriptRescore(Span.NONE, Optional.of(random.nextInt(limit + 1)), script());
                } else {
                    int window = low + random.nextInt(Math.min(limit, low + 200) - low + 1);
                    element = new Rescore.LearningToRank(Span.NONE, Optional.of(window), ltr.modelId(), ltr.params());
                }
            } else if (element.effectiveWindowSize() > limit) {
                element = withWindow(element, Optional.of(random.nextInt(limit + 1)));
            }
            if (element instanceof Rescore.LearningToRank ltr) {
                limit = Math.min(limit, ltr.effectiveWindowSize());
            }
            rescore.add(element);
        }
        return rescore;
    }

    /**
     * The tree with its windows moved into Elasticsearch's bounds at every level: each compound window holds
     * {@code size} hits and none exceeds a compound child's window.
     */
    private Retriever fitWindows(Retriever retriever, int size) {
        int low = Math.max(size, 0);
        return switch (retriever) {
            case Retriever.Standard s -> s;
            case Retriever.Knn k -> k;
            case Retriever.Rescorer r -> {
                var child = fitWindows(r.retriever(), size);
                int high = RequestValidation.window(child).orElse(Integer.MAX_VALUE);
                var rescore = r.rescore().stream().map(e -> e.effectiveWindowSize() >= low
                        && e.effectiveWindowSize() <= high ? e : withWindow(e, Optional.of(between(low, high)))).toList();
                yield new Retriever.Rescorer(Span.NONE, child, rescore, r.filter(), r.minScore(), r.name());
            }
            case Retriever.Rrf r -> {
                var children = r.retrievers().stream().map(c -> new Retriever.Rrf.Component(Span.NONE,
                        fitWindows(c.retriever(), size), c.weight())).toList();
                int high = lowestWindow(children.stream().map(Retriever.Rrf.Component::retriever).toList());
                yield new Retriever.Rrf(Span.NONE, children, fit(r.rankWindowSize(), r.effectiveRankWindowSize(), low,
                        high), r.rankConstant(), r.filter(), r.minScore(), r.name());
            }
            case Retriever.Linear l -> {
                var children = l.retrievers().stream().map(c -> new Retriever.Linear.Component(Span.NONE,
                        fitWindows(c.retriever(), size), c.weight(), c.normalizer())).toList();
                int high = lowestWindow(children.stream().map(Retriever.Linear.Component::retriever).toList());
                yield new Retriever.Linear(Span.NONE, children, fit(l.rankWindowSize(), l.effectiveRankWindowSize(),
                        low, high), l.normalizer(), l.filter(), l.minScore(), l.name());
            }
        };
    }

    private static int lowestWindow(List<Retriever> children) {
        return children.stream().mapToInt(c -> RequestValidation.window(c).orElse(Integer.MAX_VALUE)).min()
                .orElse(Integer.MAX_VALUE);
    }

    private Optional<Integer> fit(Optional<Integer> window, int effective, int low, int high) {
        return effective >= low && effective <= high ? window : Optional.of(between(low, high));
    }

    private int between(int low, int high) {
        return low + random.nextInt(Math.min(high, low + 200) - low + 1);
    }

    private static Rescore withWindow(Rescore rescore, Optional<Integer> window) {
        return switch (rescore) {
            case Rescore.QueryRescore q -> new Rescore.QueryRescore(Span.NONE, window, q.rescoreQuery(),
                    q.queryWeight(), q.rescoreQueryWeight(), q.scoreMode());
            case Rescore.LearningToRank l -> new Rescore.LearningToRank(Span.NONE, window, l.modelId(), l.params());
            case Rescore.ScriptRescore s -> new Rescore.ScriptRescore(Span.NONE, window, s.script());
        };
    }

    /** A retriever at nesting level {@code depth}. */
    public Retriever retriever(int depth) {
        return retriever(depth, false);
    }

    private Retriever retriever(int depth, boolean compoundChild) {
        boolean compound = depth + 1 < maxDepth;
        int kind = random.nextInt(compound ? 6 : 3);
        if (kind == 1) {
            var k = maybe(() -> 1 + random.nextInt(100));
            return new Retriever.Knn(Span.NONE, field(), vector(), k, numCandidates(k), maybe(this::anyFloat),
                    list(0, 2, () -> query(depth + 1)), maybe(this::anyFloat), name());
        }
        if (kind == 3) {
            return new Retriever.Rescorer(Span.NONE, retriever(depth + 1, true), list(1, 3, () -> rescore(depth + 1)),
                    list(0, 2, () -> query(depth + 1)), maybe(this::anyFloat), maybe(this::word));
        }
        if (kind == 4) {
            return new Retriever.Rrf(Span.NONE, list(1, 3, () -> new Retriever.Rrf.Component(Span.NONE,
                            retriever(depth + 1, true), maybe(() -> Math.abs(anyFloat())))),
                    maybe(() -> random.nextInt(300)), maybe(() -> 1 + random.nextInt(100)),
                    list(0, 2, () -> query(depth + 1)), maybe(this::anyFloat), name());
        }
        if (kind == 5) {
            return new Retriever.Linear(Span.NONE, list(1, 3, () -> new Retriever.Linear.Component(Span.NONE,
                            retriever(depth + 1, true), maybe(() -> Math.abs(anyFloat())),
                            maybe(() -> pick(ScoreNormalizer.values())))),
                    maybe(() -> random.nextInt(300)), maybe(() -> pick(ScoreNormalizer.values())),
                    list(0, 2, () -> query(depth + 1)), maybe(this::anyFloat), name());
        }
        return new Retriever.Standard(Span.NONE, maybe(() -> query(depth + 1)), list(0, 2, () -> query(depth + 1)),
                maybe(this::anyFloat), maybe(this::collapse), sort(),
                compoundChild ? List.of() : list(0, 2, this::sortValue),
                compoundChild ? none() : maybe(() -> random.nextInt(50)), maybe(this::word));
    }

    /** A rescorer element whose query (if any) nests from {@code depth}. */
    public Rescore rescore(int depth) {
        return switch (random.nextInt(3)) {
            case 0 -> new Rescore.QueryRescore(Span.NONE, maybe(() -> random.nextInt(200)), query(depth + 1),
                    maybe(this::anyFloat), maybe(this::anyFloat), maybe(() -> pick(ScoreMode.values())));
            case 1 -> new Rescore.LearningToRank(Span.NONE, Optional.of(random.nextInt(200)),
                    pick(List.of("ltr-model", "m", "model with spaces")), params(2));
            default -> new Rescore.ScriptRescore(Span.NONE, maybe(() -> random.nextInt(200)), script());
        };
    }

    /** A query at nesting level {@code depth}; at the deepest level only leaf queries. */
    public Query query(int depth) {
        boolean leaf = depth + 1 >= maxDepth;
        int kind = random.nextInt(leaf ? 14 : 19);
        return switch (kind) {
            case 0 -> new Query.Match(Span.NONE, field(), scalar(), maybe(() -> pick(Operator.values())),
                    maybe(this::minimumShouldMatch), maybe(this::fuzziness), maybe(this::word),
                    maybe(() -> pick(ZeroTermsQuery.values())), boost(), name());
            case 1 -> multiMatch();
            case 2 -> new Query.MatchPhrase(Span.NONE, field(), word(), maybe(() -> random.nextInt(5)),
                    maybe(this::word), maybe(() -> pick(ZeroTermsQuery.values())), boost(), name());
            case 3 -> new Query.MatchPhrasePrefix(Span.NONE, field(), word(), maybe(() -> random.nextInt(5)),
                    maybe(() -> random.nextInt(100)), maybe(this::word), boost(), name());
            case 4 -> new Query.Term(Span.NONE, field(), scalar(), maybe(random::nextBoolean), boost(), name());
            case 5 -> new Query.Terms(Span.NONE, field(), list(0, 4, this::scalar), boost(), name());
            case 6 -> new Query.Range(Span.NONE, field(), maybe(this::scalar), maybe(this::scalar),
                    maybe(this::scalar), maybe(this::scalar), maybe(() -> pick(List.of("yyyy-MM-dd", "epoch_millis"))),
                    maybe(() -> pick(List.of("+01:00", "UTC"))), boost(), name());
            case 7 -> new Query.Exists(Span.NONE, field(), boost(), name());
            case 8 -> new Query.Ids(Span.NONE, list(0, 3, this::word), boost(), name());
            case 9 -> new Query.MatchAll(Span.NONE, boost(), name());
            case 10 -> new Query.MatchNone(Span.NONE, boost(), name());
            case 11 -> random.nextBoolean()
                    ? new Query.Prefix(Span.NONE, field(), word(), maybe(random::nextBoolean), boost(), name())
                    : new Query.Wildcard(Span.NONE, field(), word(), maybe(random::nextBoolean), boost(), name());
            case 12 -> new Query.Fuzzy(Span.NONE, field(), scalar(), maybe(this::fuzziness),
                    maybe(() -> random.nextInt(4)), maybe(() -> random.nextInt(100)), maybe(random::nextBoolean),
                    boost(), name());
            case 13 -> new Query.RankFeature(Span.NONE, field(), maybe(this::rankFeatureFunction), boost(), name());
            case 14 -> new Query.Bool(Span.NONE, list(0, 2, () -> query(depth + 1)),
                    list(0, 2, () -> query(depth + 1)), list(0, 2, () -> query(depth + 1)),
                    list(0, 2, () -> query(depth + 1)), maybe(this::minimumShouldMatch), boost(), name());
            case 15 -> new Query.ConstantScore(Span.NONE, query(depth + 1), boost(), name());
            case 16 -> new Query.DisMax(Span.NONE, list(1, 3, () -> query(depth + 1)), maybe(this::anyFloat),
                    boost(), name());
            case 17 -> new Query.ScriptScore(Span.NONE, query(depth + 1), script(), maybe(this::anyFloat), boost(),
                    name());
            default -> new Query.Bool(Span.NONE, List.of(query(depth + 1)), List.of(), List.of(), List.of(),
                    Optional.empty(), Optional.empty(), Optional.empty());
        };
    }

    /** Elasticsearch refuses fuzziness on phrase and cross-field types, and a slop on bool_prefix. */
    private Query multiMatch() {
        Optional<MultiMatchType> type = maybe(() -> pick(MultiMatchType.values()));
        boolean fuzzy = type.map(t -> t != MultiMatchType.CROSS_FIELDS && t != MultiMatchType.PHRASE
                && t != MultiMatchType.PHRASE_PREFIX).orElse(true);
        boolean slop = type.map(t -> t != MultiMatchType.BOOL_PREFIX).orElse(true);
        return new Query.MultiMatch(Span.NONE, scalar(), list(0, 3, this::fieldRef), type, maybe(this::anyFloat),
                maybe(() -> pick(Operator.values())), maybe(this::minimumShouldMatch),
                fuzzy ? maybe(this::fuzziness) : none(), maybe(this::word),
                slop ? maybe(() -> random.nextInt(5)) : none(), maybe(() -> pick(ZeroTermsQuery.values())), boost(),
                name());
    }

    /** A JSON-like value nested at most {@code depth} levels. */
    public Value value(int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> new Value.Null();
            case 1, 2, 3, 4 -> scalar();
            case 5 -> new Value.Arr(list(0, 3, () -> value(depth - 1)));
            default -> new Value.Obj(params(depth - 1));
        };
    }

    /** A string, whole number, decimal or boolean. */
    public Value scalar() {
        return switch (random.nextInt(4)) {
            case 0 -> new Value.Str(word());
            case 1 -> new Value.Int(random.nextBoolean() ? random.nextInt(1000) - 500 : random.nextLong());
            case 2 -> new Value.Dbl(anyDouble());
            default -> new Value.Bool(random.nextBoolean());
        };
    }

    private Map<String, Value> params(int depth) {
        var params = new LinkedHashMap<String, Value>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            params.put(pick(List.of("query_text", "k", "weights", "nested", "é")), value(depth));
        }
        return params;
    }

    private Script script() {
        return new Script(Span.NONE, pick(List.of("return doc['cost'].value;", "_score * 2", "return 2.0;")),
                maybe(() -> pick(List.of("painless", "expression"))), params(2));
    }

    private RankFeatureFunction rankFeatureFunction() {
        return switch (random.nextInt(4)) {
            case 0 -> new RankFeatureFunction.Saturation(maybe(this::positiveFloat));
            case 1 -> new RankFeatureFunction.Log(positiveFloat());
            case 2 -> new RankFeatureFunction.Sigmoid(positiveFloat(), positiveFloat());
            default -> new RankFeatureFunction.Linear();
        };
    }

    private SourceFilter source() {
        return random.nextBoolean()
                ? new SourceFilter.Fetch(random.nextBoolean())
                : new SourceFilter.Fields(list(0, 3, this::field), list(0, 2, this::field));
    }

    private TrackTotalHits trackTotalHits() {
        return random.nextBoolean()
                ? new TrackTotalHits.Flag(random.nextBoolean())
                : new TrackTotalHits.UpTo(random.nextInt(10_001) - 1);
    }

    /** A collapse, sometimes with inner hits sections (named apart, as Elasticsearch requires) and a limit. */
    private Collapse collapse() {
        if (random.nextBoolean()) {
            return new Collapse(Span.NONE, field());
        }
        int sections = random.nextInt(3);
        var inner = new java.util.ArrayList<InnerHits>();
        for (int i = 0; i < sections; i++) {
            Optional<String> name = sections == 1 && random.nextBoolean() ? Optional.empty() : Optional.of("section" + i);
            inner.add(new InnerHits(Span.NONE, name, maybe(() -> random.nextInt(50)), maybe(() -> random.nextInt(50)),
                    sort(), maybe(() -> new Collapse(Span.NONE, field())), maybe(this::source), list(0, 2, this::field),
                    random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), list(0, 2, this::fieldAndFormat)));
        }
        return new Collapse(Span.NONE, field(), inner, maybe(() -> 1 + random.nextInt(8)));
    }

    /** Hit options, each set now and then; stored fields are {@code _none_} alone or a list of other names. */
    private HitOptions hitOptions() {
        if (random.nextInt(3) == 0) {
            return HitOptions.NONE;
        }
        Optional<List<String>> stored = switch (random.nextInt(4)) {
            case 0 -> Optional.of(List.of(HitOptions.NO_STORED_FIELDS));
            case 1 -> Optional.of(list(0, 3, this::field));
            default -> Optional.empty();
        };
        // Request validation refuses stored_fields _none_ beside the fields option.
        List<String> fields = stored.equals(Optional.of(List.of(HitOptions.NO_STORED_FIELDS))) ? List.of() : list(0, 3, this::field);
        return new HitOptions(random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), fields,
                list(0, 3, this::fieldAndFormat), stored);
    }

    private FieldAndFormat fieldAndFormat() {
        return new FieldAndFormat(field(), maybe(() -> pick(List.of("epoch_millis", "yyyy-MM-dd", "0.00"))));
    }

    private List<SortField> sort() {
        return list(0, 3, () -> new SortField(Span.NONE, chance(4) ? "_score" : field(),
                maybe(() -> pick(SortOrder.values()))));
    }

    private Value sortValue() {
        return chance(5) ? new Value.Null() : scalar();
    }

    private FieldRef fieldRef() {
        var field = field().replace("^", "");
        return new FieldRef(field.isBlank() ? "title" : field, maybe(this::anyFloat));
    }

    private Optional<Float> boost() {
        return maybe(() -> random.nextBoolean() ? (float) random.nextInt(5) : Math.abs(anyFloat()));
    }

    private Optional<String> name() {
        return maybe(this::word);
    }

    private String minimumShouldMatch() {
        return pick(List.of("1", "2<75%", "-25%", "75%"));
    }

    private String fuzziness() {
        return pick(List.of("AUTO", "1", "2", "AUTO:3,6"));
    }

    private String field() {
        return pick(FIELDS);
    }

    private String word() {
        return pick(WORDS);
    }

    /** A finite float: small decimals such as 0.3, and now and then any bit pattern. */
    private float anyFloat() {
        if (chance(4)) {
            float bits;
            do {
                bits = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(bits));
            return bits;
        }
        return (random.nextInt(2001) - 1000) / 10f;
    }

    private float positiveFloat() {
        float value = Math.abs(anyFloat());
        return value > 0 ? value : 0.5f;
    }

    private double anyDouble() {
        if (chance(4)) {
            double bits;
            do {
                bits = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(bits));
            return bits;
        }
        return (random.nextInt(2001) - 1000) / 100.0;
    }

    private boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    private <T> Optional<T> maybe(Supplier<T> value) {
        return random.nextBoolean() ? Optional.of(value.get()) : Optional.empty();
    }

    private static <T> Optional<T> none() {
        return Optional.empty();
    }

    private <T> List<T> list(int min, int max, Supplier<T> item) {
        int n = min + random.nextInt(max - min + 1);
        var items = new ArrayList<T>(n);
        for (int i = 0; i < n; i++) {
            items.add(item.get());
        }
        return items;
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private <T> T pick(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
