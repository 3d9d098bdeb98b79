package dev.rankql.dsl;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Collapse;
import dev.rankql.ast.FieldRef;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.RequestValidation;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of valid random trees: every node type and option, awkward strings and names, and nesting
 * kept within {@link Dsl#MAX_DEPTH} once printed.
 */
final class RandomTrees {

    private static final Span S = Span.NONE;
    private static final String[] WORDS = {"title", "content", "body", "user.id", "@timestamp", "meta.*", "_score",
        "a", "x_1", "match", "standard", "rescore"};
    private static final String[] AWKWARD = {"", " ", "quote\"d", "back\\slash", "new\nline", "tab\t", "é", "日本語",
        "emoji 😀", "\u0001ctl", "it's", "/slash", "SIZE", "true", "null", "1abc", "-", "{[()]}", "\u2028", "a b",
        "x^2", "\ud800"};

    private final Random random;
    private int depth;

    RandomTrees(long seed) {
        this.random = new Random(seed);
    }

    private static final int MAX_NESTING = 6;

    /** A request that also passes Elasticsearch's whole-body checks, which the parser applies. */
    SearchRequest validRequest() {
        while (true) {
            var request = request();
            if (RequestValidation.validate(request).isEmpty()) {
                return request;
            }
        }
    }

    SearchRequest request() {
        depth = 0;
        int form = random.nextInt(4);
        Optional<Retriever> retriever = form == 0 ? Optional.of(retriever()) : Optional.empty();
        Optional<Query> query = form == 1 ? Optional.of(query()) : Optional.empty();
        List<Rescore> rescore = form == 1 || form == 2 ? list(0, 3, this::rescore) : List.of();
        if (form == 2 && rescore.isEmpty()) {
            rescore = List.of(rescore());
        }
        boolean free = retriever.isEmpty();
        return new SearchRequest(S, maybe(this::field), retriever, query, rescore, maybe(() -> random.nextInt(1000)),
                maybe(() -> random.nextInt(100)), free ? maybe(this::anyFloat) : Optional.empty(),
                maybe(random::nextBoolean), maybe(random::nextBoolean), maybe(this::source),
                maybe(this::trackTotalHits), maybe(this::collapse),
                free ? list(0, 3, this::sortField) : List.of(), free ? list(0, 3, this::searchAfterValue) : List.of(),
                free ? maybe(() -> random.nextInt(10_000)) : Optional.empty(),
                random.nextInt(4) == 0 ? map() : Map.of(),
                free && random.nextInt(3) == 0 ? list(1, 2, this::knnSearch) : List.of(),
                random.nextInt(3) == 0 ? aggregations() : Map.of(), hitOptions(),
                maybe(this::timeout));
    }

    /** Hit options, each set now and then; stored fields are {@code _none_} alone or a list of other names. */
    private dev.rankql.ast.HitOptions hitOptions() {
        if (random.nextInt(3) == 0) {
            return dev.rankql.ast.HitOptions.NONE;
        }
        Optional<List<String>> stored = switch (random.nextInt(4)) {
            case 0 -> Optional.of(List.of(dev.rankql.ast.HitOptions.NO_STORED_FIELDS));
            case 1 -> Optional.of(list(0, 3, this::storedName));
            default -> Optional.empty();
        };
        // Request validation refuses stored_fields _none_ beside the fields option (and a requested source, which the
        // caller's retries leave out).
        List<String> fields = stored.equals(Optional.of(List.of(dev.rankql.ast.HitOptions.NO_STORED_FIELDS)))
                ? List.of() : list(0, 3, this::field);
        return new dev.rankql.ast.HitOptions(random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), fields,
                list(0, 3, this::fieldAndFormat), stored);
    }

    private String storedName() {
        var name = field();
        return name.equals(dev.rankql.ast.HitOptions.NO_STORED_FIELDS) ? "stored" : name;
    }

    private dev.rankql.ast.FieldAndFormat fieldAndFormat() {
        return new dev.rankql.ast.FieldAndFormat(field(), maybe(this::nonBlank));
    }

    /** A collapse, sometimes with inner hits sections (named apart, as Elasticsearch requires) and a limit. */
    private Collapse collapse() {
        if (random.nextBoolean()) {
            return new Collapse(S, field());
        }
        int sections = random.nextInt(3);
        var inner = new java.util.ArrayList<dev.rankql.ast.InnerHits>();
        for (int i = 0; i < sections; i++) {
            Optional<String> name = sections == 1 && random.nextBoolean() ? Optional.empty() : Optional.of("section" + i);
            inner.add(new dev.rankql.ast.InnerHits(S, name, maybe(() -> random.nextInt(50)), maybe(() -> random.nextInt(50)),
                    list(0, 2, this::sortField), maybe(() -> new Collapse(S, field())), maybe(this::source),
                    list(0, 2, this::field), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                    list(0, 2, this::fieldAndFormat)));
        }
        return new Collapse(S, field(), inner, maybe(() -> 1 + random.nextInt(8)));
    }

    private Map<String, Aggregation> aggregations() {
        var aggregations = new LinkedHashMap<String, Aggregation>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            String name = nonBlank().replace("[", "").replace("]", "").replace(">", "");
            aggregations.put(name.isBlank() ? "a" : name,
                    new Aggregation.Terms(S, field(), maybe(() -> 1 + random.nextInt(100))));
        }
        return aggregations;
    }

    private KnnSearch knnSearch() {
        var k = maybe(() -> 1 + random.nextInt(100));
        return new KnnSearch(S, field(), vector(), k, numCandidates(k), maybe(this::anyFloat),
                list(0, 2, this::query), boost(), maybe(this::text));
    }

    private QueryVector vector() {
        var values = new float[1 + random.nextInt(6)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBoolean() ? anyFloat() : -anyFloat();
        }
        return new QueryVector(values);
    }

    private Optional<Integer> numCandidates(Optional<Integer> k) {
        int low = k.orElse(1);
        return maybe(() -> low + random.nextInt(10_001 - low));
    }

    /** How deep compound retrievers currently nest, to keep random trees small. */
    private int retrieverDepth;

    Retriever retriever() {
        return retriever(true);
    }

    private Retriever retriever(boolean topLevel) {
        int pipes = random.nextInt(topLevel ? 4 : 2);
        Retriever r = base(topLevel && pipes == 0);
        for (int i = 0; i < pipes; i++) {
            r = new Retriever.Rescorer(S, r, list(1, 3, this::rescore), list(0, 2, this::query),
                    maybe(this::anyFloat), maybe(this::text));
        }
        return r;
    }

    /** A retriever that is not a pipe; compound ones thin out with depth. */
    private Retriever base(boolean topLevel) {
        boolean compound = retrieverDepth < 2 && random.nextInt(2) == 0;
        int kind = random.nextInt(compound ? 4 : 2);
        if (kind == 0) {
            return standard(topLevel);
        }
        if (kind == 1) {
            var k = maybe(() -> 1 + random.nextInt(100));
            return new Retriever.Knn(S, field(), vector(), k, numCandidates(k), maybe(this::anyFloat),
                    list(0, 2, this::query), maybe(this::anyFloat), maybe(this::text));
        }
        retrieverDepth++;
        try {
            // Wide windows, so that most random trees pass the window checks of the rejection loop.
            if (kind == 2) {
                return new Retriever.Rrf(S, list(1, 3, () -> new Retriever.Rrf.Component(S, retriever(false),
                                maybe(() -> Math.abs(anyFloat())))),
                        maybe(() -> 100 + random.nextInt(900)), maybe(() -> 1 + random.nextInt(100)),
                        list(0, 2, this::query), maybe(this::anyFloat), maybe(this::text));
            }
            return new Retriever.Linear(S, list(1, 3, () -> new Retriever.Linear.Component(S, retriever(false),
                            maybe(() -> Math.abs(anyFloat())), maybe(() -> pick(ScoreNormalizer.values())))),
                    maybe(() -> 100 + random.nextInt(900)), maybe(() -> pick(ScoreNormalizer.values())),
                    list(0, 2, this::query), maybe(this::anyFloat), maybe(this::text));
        } finally {
            retrieverDepth--;
        }
    }

    /** A timeout in one of Elasticsearch's units, or -1 (none). */
    private java.time.Duration timeout() {
        return switch (random.nextInt(4)) {
            case 0 -> SearchRequest.NO_TIMEOUT;
            case 1 -> java.time.Duration.ofMillis(random.nextInt(100_000));
            case 2 -> java.time.Duration.ofNanos(random.nextLong(1, Long.MAX_VALUE));
            default -> java.time.Duration.ofSeconds(random.nextInt(100));
        };
    }

    /** A standard retriever; only a top-level one may page with search_after or terminate_after. */
    private Retriever.Standard standard(boolean topLevel) {
        return new Retriever.Standard(S, maybe(this::query), list(0, 2, this::query), maybe(this::anyFloat),
                maybe(this::collapse), list(0, 3, this::sortField),
                topLevel ? list(0, 3, this::searchAfterValue) : List.of(),
                topLevel ? maybe(() -> random.nextInt(1000)) : Optional.empty(), maybe(this::text));
    }

    /** A search_after key: a scalar or null, as Elasticsearch accepts. */
    private Value searchAfterValue() {
        return random.nextInt(5) == 0 ? new Value.Null() : scalar();
    }

    /** A multi_match whose options fit its type, as Elasticsearch requires. */
    private Query.MultiMatch multiMatch() {
        Optional<MultiMatchType> type = maybe(() -> pick(MultiMatchType.values()));
        var kind = type.orElse(MultiMatchType.BEST_FIELDS);
        boolean fuzzy = kind != MultiMatchType.CROSS_FIELDS && kind != MultiMatchType.PHRASE
                && kind != MultiMatchType.PHRASE_PREFIX;
        Optional<Integer> slop = kind == MultiMatchType.BOOL_PREFIX ? Optional.empty() : maybe(() -> random.nextInt(5));
        return new Query.MultiMatch(S, scalar(), list(0, 3, this::fieldRef), type, maybe(this::anyFloat),
                maybe(() -> pick(Operator.values())), maybe(this::name), fuzzy ? maybe(this::name) : Optional.empty(),
                maybe(this::name), slop, maybe(() -> pick(ZeroTermsQuery.values())), boost(), maybe(this::text));
    }

    private SortField sortField() {
        return new SortField(S, field(), maybe(() -> pick(SortOrder.values())));
    }

    Rescore rescore() {
        Optional<Integer> window = maybe(() -> random.nextInt(500));
        return switch (random.nextInt(3)) {
            case 0 -> new Rescore.LearningToRank(S, Optional.of(random.nextInt(500)), nonBlank(),
                    random.nextBoolean() ? map() : Map.of());
            case 1 -> new Rescore.QueryRescore(S, window, query(), maybe(this::anyFloat), maybe(this::anyFloat),
                    maybe(() -> pick(ScoreMode.values())));
            default -> new Rescore.ScriptRescore(S, window, script());
        };
    }

    private Script script() {
        return new Script(S, text(), maybe(this::name), random.nextBoolean() ? map() : Map.of());
    }

    Query query() {
        depth++;
        try {
            // Compound queries thin out with depth so that trees stay small but some still nest deeply.
            boolean compound = depth < MAX_NESTING && (depth < 2 || random.nextInt(3) == 0);
            return switch (random.nextInt(compound ? 19 : 15)) {
                case 0 -> new Query.Match(S, field(), scalar(), maybe(() -> pick(Operator.values())),
                        maybe(this::name), maybe(this::name), maybe(this::name),
                        maybe(() -> pick(ZeroTermsQuery.values())), boost(), maybe(this::text));
                case 1 -> multiMatch();
                case 2 -> new Query.MatchPhrase(S, field(), text(), maybe(() -> random.nextInt(5)), maybe(this::name),
                        maybe(() -> pick(ZeroTermsQuery.values())), boost(), maybe(this::text));
                case 3 -> new Query.MatchPhrasePrefix(S, field(), text(), maybe(() -> random.nextInt(5)),
                        maybe(() -> random.nextInt(100)), maybe(this::name), boost(), maybe(this::text));
                case 4 -> new Query.Term(S, field(), scalar(), maybe(random::nextBoolean), boost(), maybe(this::text));
                case 5 -> new Query.Terms(S, field(), list(0, 4, this::scalar), boost(), maybe(this::text));
                case 6 -> new Query.Range(S, field(), maybe(this::scalar), maybe(this::scalar), maybe(this::scalar),
                        maybe(this::scalar), maybe(this::text), maybe(this::text), boost(), maybe(this::text));
                case 7 -> new Query.Exists(S, field(), boost(), maybe(this::text));
                case 8 -> new Query.Ids(S, list(0, 3, this::text), boost(), maybe(this::text));
                case 9 -> new Query.MatchAll(S, boost(), maybe(this::text));
                case 10 -> new Query.MatchNone(S, boost(), maybe(this::text));
                case 11 -> new Query.Prefix(S, field(), text(), maybe(random::nextBoolean), boost(), maybe(this::text));
                case 12 -> new Query.Wildcard(S, field(), text(), maybe(random::nextBoolean), boost(),
                        maybe(this::text));
                case 13 -> new Query.Fuzzy(S, field(), scalar(), maybe(this::name), maybe(() -> random.nextInt(3)),
                        maybe(() -> random.nextInt(50)), maybe(random::nextBoolean), boost(), maybe(this::text));
                case 14 -> new Query.RankFeature(S, field(), maybe(this::rankFeatureFunction), boost(),
                        maybe(this::text));
                case 15 -> new Query.Bool(S, list(0, 2, this::query), list(0, 2, this::query), list(0, 1, this::query),
                        list(0, 1, this::query), maybe(this::name), boost(), maybe(this::text));
                case 16 -> new Query.ConstantScore(S, query(), boost(), maybe(this::text));
                case 17 -> new Query.DisMax(S, list(1, 3, this::query), maybe(this::anyFloat), boost(),
                        maybe(this::text));
                default -> new Query.ScriptScore(S, query(), script(), maybe(this::anyFloat), boost(),
                        maybe(this::text));
            };
        } finally {
            depth--;
        }
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
        return switch (random.nextInt(3)) {
            case 0 -> new SourceFilter.Fetch(random.nextBoolean());
            case 1 -> new SourceFilter.Fields(list(0, 3, this::field), List.of());
            default -> new SourceFilter.Fields(list(0, 3, this::field), list(1, 3, this::field));
        };
    }

    private TrackTotalHits trackTotalHits() {
        return random.nextBoolean()
                ? new TrackTotalHits.Flag(random.nextBoolean())
                : new TrackTotalHits.UpTo(random.nextInt(100_000) - 1);
    }

    private FieldRef fieldRef() {
        return new FieldRef(field().replace('^', '_'), maybe(this::anyFloat));
    }

    private Optional<Float> boost() {
        return maybe(() -> Math.abs(anyFloat()));
    }

    private float anyFloat() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(100);
            case 1 -> random.nextFloat() * 10;
            case 2 -> -(random.nextFloat() + 0.01f);
            case 3 -> (float) Math.scalb(random.nextFloat() + 0.5, random.nextInt(80) - 40);
            default -> random.nextInt(1000) / 10f;
        };
    }

    private float positiveFloat() {
        float f = Math.abs(anyFloat());
        return f > 0 ? f : 1.5f;
    }

    Value value() {
        depth++;
        try {
            int kinds = depth >= MAX_NESTING ? 5 : 7;
            return switch (random.nextInt(kinds)) {
                case 0 -> new Value.Null();
                case 5 -> new Value.Arr(list(0, 3, this::value));
                case 6 -> new Value.Obj(map());
                default -> scalar();
            };
        } finally {
            depth--;
        }
    }

    private Value scalar() {
        return switch (random.nextInt(6)) {
            case 0 -> new Value.Bool(random.nextBoolean());
            case 1 -> new Value.Int(random.nextBoolean() ? random.nextInt(2000) - 1000 : random.nextLong());
            case 2 -> new Value.Dbl(random.nextBoolean()
                    ? random.nextGaussian() * 1000
                    : Math.scalb(random.nextDouble(), random.nextInt(2000) - 1000));
            case 3 -> new Value.Dbl(random.nextInt(100));
            default -> new Value.Str(text());
        };
    }

    private Map<String, Value> map() {
        var map = new LinkedHashMap<String, Value>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            map.put(random.nextBoolean() ? name() : text(), value());
        }
        return map;
    }

    /** A field name: usually an identifier, sometimes a name only a string can spell. */
    private String field() {
        return random.nextInt(5) == 0 ? nonBlank() : pick(WORDS);
    }

    /** A name-like option such as an analyzer or a script language. */
    private String name() {
        return random.nextInt(4) == 0 ? text() : pick(WORDS);
    }

    private String nonBlank() {
        String t = text();
        return t.isBlank() ? "x" + t : t;
    }

    private String text() {
        if (random.nextBoolean()) {
            return pick(AWKWARD);
        }
        var out = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                out.append((char) ('a' + random.nextInt(26)));
            } else if (kind < 8) {
                out.append(" \"'\\/{}[]()^|:,*".charAt(random.nextInt(16)));
            } else {
                out.appendCodePoint(random.nextInt(0x30000));
            }
        }
        return out.toString();
    }

    private <T> Optional<T> maybe(Supplier<T> supplier) {
        return random.nextBoolean() ? Optional.of(supplier.get()) : Optional.empty();
    }

    private <T> List<T> list(int min, int max, Supplier<T> supplier) {
        int n = min + random.nextInt(max - min + 1);
        var out = new ArrayList<T>(n);
        for (int i = 0; i < n; i++) {
            out.add(supplier.get());
        }
        return out;
    }

    @SafeVarargs
    private <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }
}
