package dev.rankql.engine.search;

import dev.rankql.ast.Value;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.ltr.DeployedModel;
import dev.rankql.engine.ltr.FeatureExtractor;
import dev.rankql.engine.ltr.Params;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import dev.rankql.engine.ltr.FeatureCache;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.SmallFloat;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's {@code learning_to_rank} rescorer: cuts the list to the window, extracts every feature of the
 * window into one dense row-major matrix (documents visited in doc-id order, each extractor's scorer only advanced
 * forward), scores the whole window with the model in blocks, and re-sorts. A document none of whose features is
 * present keeps its previous score, as Elasticsearch's empty feature map does.
 */
final class LtrWindowRescorer implements WindowRescorer {

    /** Rows scored per model call: large enough to amortise the call, small enough to stay in cache. */
    private static final int BLOCK = 512;

    /** How one matrix column is filled. */
    private sealed interface Column {
        /** A query's score where it matches ({@code constantOne}: 1 for the filter extractor), else missing. */
        record Query(Weight weight, boolean constantOne) implements Column {}

        /** The same value for every document (a {@code param_value}, or a query whose parameter is missing). */
        record Constant(float value) implements Column {}

        /** The first value of a numeric doc-values field, or {@code missing}. */
        record Field(String field, boolean decimal, float missing) implements Column {}

        /** The score before this rescorer. */
        record PreviousScore() implements Column {}

        /** A {@code term_stats} aggregate. */
        record TermStats(TermStatsColumn stats) implements Column {}

        /** A {@code proximity} statistic. */
        record Proximity(ProximityColumn proximity) implements Column {}

        /** A text field's length, decoded from its norms. */
        record Length(String field) implements Column {}

        /** A term-only query filled with the others from shared postings ({@link SharedTermColumns}). */
        record Shared() implements Column {}

        /** A {@code feedback} (RM3) score, whose query is expanded from the window. */
        record Feedback(FeedbackColumn feedback) implements Column {}

        /** Elasticsearch's knn score of a vector field against the query vector. */
        record Vector(String field, float[] query, dev.rankql.engine.mapping.VectorSimilarity similarity) implements Column {}

        /** A statistic of the earlier column {@code source} over the window ({@code window_stat}). */
        record Window(int source, FeatureExtractor.WindowStatistic stat) implements Column {}
    }

    /**
     * What a request binds: every column's extractor rendered with the params, compiled and given its Lucene weight,
     * and the columns whose queries are evaluated together from shared postings. Immutable and safe to share between
     * threads, so it is cached per (model, searcher, mappings, params) in the model's {@link FeatureCache}.
     *
     * @param columns how each matrix column is filled (shared columns keep their {@link Column.Query} for explain)
     * @param shared the term-only query columns evaluated from shared postings, or null
     * @param isShared whether column {@code c} is filled by {@code shared}
     * @param extractorCount the number of extractor columns (the rest are model inputs no extractor computes)
     */
    record Binding(Column[] columns, SharedTermColumns shared, boolean[] isShared, int extractorCount) {}

    /** A binding's cache key: identity of the searcher (its reader) and of the mappings, value of the params. */
    private record BindingKey(IndexSearcher searcher, Object mappings, Map<String, Object> params) {
        @Override
        public boolean equals(Object other) {
            return other instanceof BindingKey k && k.searcher == searcher && k.mappings == mappings
                    && k.params.equals(params);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * System.identityHashCode(searcher) + System.identityHashCode(mappings)) + params.hashCode();
        }
    }

    /**
     * Whether the shared-postings evaluation and the binding cache are used; tests turn them off to compare with the
     * straightforward path (one Lucene scorer per extractor, everything bound per request).
     */
    static volatile boolean fastPaths = true;

    /**
     * Whether bindings are cached ({@code -Drankql.ltr.bindingCache=false} turns the cache off, to measure a stage that
     * binds every request, as a first request after a refresh does).
     */
    private static final boolean CACHE_BINDINGS = !"false".equals(System.getProperty("rankql.ltr.bindingCache"));

    private final IndexSearcher searcher;
    private final DeployedModel deployed;
    private final Binding binding;
    private final int window;
    private final Column[] columns;
    private final int width;
    private final int extractorCount;
    private final boolean explainTrees;
    private final boolean keepRows;
    // Columns computed from other columns over the window, which never make a document count as having features.
    private final boolean[] derived;

    // Filled by rescore() when keepRows: the window's documents sorted by doc id, and their rows, for explain and
    // feature logging. Otherwise the arrays are borrowed from the pool for the duration of rescore() only.
    private int rows;
    private int[] sortedDocs = new int[0];
    private float[] matrix = new float[0];
    private final long[] extractorNanos;
    private long modelNanos;
    private long sortNanos;

    private LtrWindowRescorer(IndexSearcher searcher, DeployedModel deployed, Binding binding, int window,
            boolean explainTrees, boolean keepRows) {
        this.explainTrees = explainTrees;
        this.keepRows = keepRows;
        this.searcher = searcher;
        this.deployed = deployed;
        this.binding = binding;
        this.window = window;
        this.columns = binding.columns();
        this.width = columns.length;
        this.extractorCount = binding.extractorCount();
        this.extractorNanos = new long[columns.length];
        this.derived = new boolean[columns.length];
        for (int c = 0; c < columns.length; c++) {
            derived[c] = columns[c] instanceof Column.Window;
        }
    }

    /**
     * Binds {@code deployed} for one request: its extractors rendered with the request params merged over the
     * defaults, compiled, with one Lucene weight per query extractor — taken from the model's cache when the same
     * params were bound on the same searcher before. {@code keepRows} keeps the window's feature rows after
     * {@link #rescore} for explain and feature logging.
     */
    static LtrWindowRescorer bind(IndexSearcher searcher, IndexView index, DeployedModel deployed,
            Map<String, Value> requestParams, int window, boolean explainTrees, boolean keepRows) throws IOException {
        var ltr = deployed.ltr().orElseThrow();
        var params = Params.merge(requestParams, ltr.defaultParams());
        var helper = searcher.getIndexReader().getReaderCacheHelper();
        boolean cacheable = helper != null && fastPaths && CACHE_BINDINGS;
        var key = cacheable ? new BindingKey(searcher, index.mappings(), params) : null;
        var binding = cacheable ? (Binding) deployed.bindings().get(key) : null;
        if (binding == null) {
            binding = binding(searcher, index, deployed, params);
            if (cacheable && deployed.bindings().put(helper.getKey(), key, binding)) {
                var cache = deployed.bindings();
                helper.addClosedListener(cache::evictOwner);
            }
        }
        return new LtrWindowRescorer(searcher, deployed, binding, window, explainTrees, keepRows);
    }

    /** Renders, compiles and weighs every extractor of {@code deployed} for {@code params}. */
    static Binding binding(IndexSearcher searcher, IndexView index, DeployedModel deployed, Map<String, Object> params)
            throws IOException {
        var ltr = deployed.ltr().orElseThrow();
        // A compiler of its own: feature queries are not the request's, so their _name never reaches matched_queries.
        var compiler = new QueryCompiler(index, searcher.getIndexReader());
        var extractors = ltr.extractors();
        var columns = new Column[deployed.columns().size()];
        var isShared = new boolean[columns.length];
        // Extractors on the same text mostly look up the same terms: their statistics are read once per request.
        var termStates = new HashMap<Term, TermStates>();
        var shared = new SharedTermColumns.Builder(searcher, termStates);
        for (int i = 0; i < extractors.size(); i++) {
            var extractor = extractors.get(i);
            columns[i] = switch (extractor) {
                case FeatureExtractor.QueryExtractor q -> {
                    var rendered = deployed.templates().get(i).render(params);
                    if (rendered.isEmpty()) {
                        // A missing parameter: match_none, or match_all boosted by default_score, as Elasticsearch.
                        yield new Column.Constant(q.defaultScore() > 0 ? q.defaultScore() : Float.NaN);
                    }
                    yield query(searcher, compiler, rendered.get(), i, extractor, termStates, shared, isShared, false);
                }
                case FeatureExtractor.FilterExtractor f -> {
                    var rendered = deployed.templates().get(i).render(params);
                    yield rendered.isEmpty()
                            ? new Column.Constant(Float.NaN)
                            : query(searcher, compiler, rendered.get(), i, extractor, termStates, shared, isShared, true);
                }
                case FeatureExtractor.FieldValue f -> {
                    var mapping = index.fields().get(index.resolve(f.field()));
                    boolean decimal = switch (mapping) {
                        case null -> throw EngineException.illegalArgument("No field found for [" + f.field() + "] in mapping"
                                + " (feature [" + f.featureName() + "] of model [" + deployed.id() + "])");
                        case FieldMapping.Numeric n -> n.type().isDecimal();
                        case FieldMapping.Date d -> false;
                        case FieldMapping.Bool b -> false;
                        case FieldMapping.Text t -> throw notNumeric(f, deployed);
                        case FieldMapping.Keyword k -> throw notNumeric(f, deployed);
                        case FieldMapping.RankFeature r -> throw notNumeric(f, deployed);
                        case FieldMapping.RankFeatures r -> throw notNumeric(f, deployed);
                        case FieldMapping.DenseVector v -> throw notNumeric(f, deployed);
                        case FieldMapping.ObjectMapping o -> throw notNumeric(f, deployed);
                    };
                    yield new Column.Field(index.resolve(f.field()), decimal, (float) f.missing());
                }
                case FeatureExtractor.OriginalScore o -> new Column.PreviousScore();
                case FeatureExtractor.TermStats t -> {
                    var text = termsText(deployed, i, params, t);
                    yield text == null ? new Column.Constant(Float.NaN)
                            : new Column.TermStats(TermStatsColumn.bind(searcher, compiler, t, text));
                }
                case FeatureExtractor.Proximity p -> {
                    var text = termsText(deployed, i, params, p);
                    yield text == null ? new Column.Constant(Float.NaN)
                            : new Column.Proximity(ProximityColumn.bind(compiler, p, text));
                }
                case FeatureExtractor.Feedback f -> {
                    var text = termsText(deployed, i, params, f);
                    yield text == null ? new Column.Constant(Float.NaN)
                            : new Column.Feedback(FeedbackColumn.bind(compiler, f, text));
                }
                case FeatureExtractor.FieldLength f -> {
                    if (!(index.fields().get(index.resolve(f.field())) instanceof FieldMapping.Text)) {
                        throw EngineException.illegalArgument("[field_length] feature [" + f.featureName() + "] of model ["
                                + deployed.id() + "] needs a text field, but [" + f.field() + "] is not one");
                    }
                    yield new Column.Length(index.resolve(f.field()));
                }
                case FeatureExtractor.VectorSimilarity v -> vectorColumn(index, deployed, i, v, params);
                case FeatureExtractor.WindowStat w -> {
                    int source = 0;
                    while (!extractors.get(source).featureName().equals(w.feature())) {
                        source++;
                    }
                    if (source >= i) {
                        throw new IllegalStateException("window_stat [" + w.featureName() + "] reads a later column");
                    }
                    yield new Column.Window(source, w.stat());
                }
                case FeatureExtractor.ParamValue p -> {
                    var value = params.get(p.param());
                    if (value instanceof Number n) {
                        yield new Column.Constant(n.floatValue());
                    }
                    if (value == null) {
                        yield new Column.Constant(p.missing().isPresent() ? (float) p.missing().getAsDouble() : Float.NaN);
                    }
                    throw EngineException.illegalArgument("[param_value] feature [" + p.featureName() + "] needs param ["
                            + p.param() + "] to be a number, got [" + value + "]");
                }
            };
        }
        for (int i = extractors.size(); i < columns.length; i++) {
            columns[i] = new Column.Constant(Float.NaN);
        }
        return new Binding(columns, shared.isEmpty() ? null : shared.build(), isShared, extractors.size());
    }

    /** A {@code vector_similarity} column: the field must be a dense_vector, the query vector fit its dimensions. */
    private static Column vectorColumn(IndexView index, DeployedModel deployed, int i, FeatureExtractor.VectorSimilarity v,
            Map<String, Object> params) {
        if (!(index.fields().get(index.resolve(v.field())) instanceof FieldMapping.DenseVector dense)) {
            throw EngineException.illegalArgument("[vector_similarity] feature [" + v.featureName() + "] of model ["
                    + deployed.id() + "] needs a [dense_vector] field, but [" + v.field() + "] is not one");
        }
        float[] query = switch (v.queryVector()) {
            case FeatureExtractor.GivenVector g -> givenVector(v, g, params);
            case FeatureExtractor.TextEmbedding t -> embeddedVector(deployed, i, v, t, params);
        };
        if (query == null) {
            // As a missing template parameter: the feature is missing for every document.
            return new Column.Constant(Float.NaN);
        }
        if (query.length != dense.dims()) {
            throw EngineException.illegalArgument("The query vector has a different number of dimensions [" + query.length
                    + "] than the document vectors [" + dense.dims() + "].");
        }
        return new Column.Vector(index.resolve(v.field()), query, dense.similarity());
    }

    /** The literal vector, or the request parameter's; null when the parameter is missing. */
    private static float[] givenVector(FeatureExtractor.VectorSimilarity v, FeatureExtractor.GivenVector given,
            Map<String, Object> params) {
        var values = new ArrayList<Object>();
        if (given.vector().isArray()) {
            given.vector().forEach(e -> values.add(e.doubleValue()));
        } else {
            var name = FeatureExtractor.VectorSimilarity.parameterName(given.vector()).orElseThrow();
            var param = params.get(name);
            if (param == null) {
                return null;
            }
            if (!(param instanceof List<?> list)) {
                throw EngineException.illegalArgument("[vector_similarity] feature [" + v.featureName() + "] needs param ["
                        + name + "] to be an array of numbers, got [" + param + "]");
            }
            values.addAll(list);
        }
        var query = new float[values.size()];
        for (int d = 0; d < query.length; d++) {
            if (!(values.get(d) instanceof Number n)) {
                throw EngineException.illegalArgument("[vector_similarity] feature [" + v.featureName()
                        + "] needs a query vector of numbers, got [" + values.get(d) + "]");
            }
            query[d] = n.floatValue();
        }
        return query;
    }

    /** The query vector of the rendered model text; null when a template parameter is missing. */
    private static float[] embeddedVector(DeployedModel deployed, int i, FeatureExtractor.VectorSimilarity v,
            FeatureExtractor.TextEmbedding embedding, Map<String, Object> params) {
        var rendered = deployed.templates().get(i).render(params);
        if (rendered.isEmpty()) {
            return null;
        }
        if (!rendered.get().isString()) {
            throw EngineException.illegalArgument("feature [" + v.featureName() + "]: [model_text] must render to a "
                    + "string, got " + Json.tokenName(rendered.get()));
        }
        return embedding.embedder(v.featureName()).embedQuery(rendered.get().asString());
    }

    /** The rendered {@code terms} text of extractor {@code i}, or null when a template parameter is missing. */
    private static String termsText(DeployedModel deployed, int i, Map<String, Object> params, FeatureExtractor extractor) {
        var rendered = deployed.templates().get(i).render(params);
        if (rendered.isEmpty()) {
            return null;
        }
        if (!rendered.get().isString()) {
            throw EngineException.illegalArgument("feature [" + extractor.featureName() + "]: [terms] must render to a string, got "
                    + Json.tokenName(rendered.get()));
        }
        return rendered.get().asString();
    }

    private static EngineException notNumeric(FeatureExtractor.FieldValue f, DeployedModel deployed) {
        return EngineException.illegalArgument("[field_value] feature [" + f.featureName() + "] of model [" + deployed.id()
                + "] needs a numeric field, but [" + f.field() + "] is not one");
    }

    /**
     * A query extractor's column: its rendered query parsed, compiled, rewritten and weighed; when the rewritten query
     * is made only of term queries it is also added to {@code shared}.
     */
    private static Column query(IndexSearcher searcher, QueryCompiler compiler, tools.jackson.databind.JsonNode query,
            int position, FeatureExtractor extractor, Map<Term, TermStates> termStates, SharedTermColumns.Builder shared,
            boolean[] isShared, boolean constantOne) throws IOException {
        dev.rankql.ast.Query ast;
        try {
            ast = EsJson.parseQuery(query, "$.feature_extractors[" + position + "]." + extractor.type() + ".query");
        } catch (InvalidRequestException e) {
            throw EngineException.parsing("feature [" + extractor.featureName() + "]: " + e.getMessage());
        }
        var compiled = compiler.compile(ast);
        var rewritten = shareTermStates(searcher, searcher.rewrite(compiled), termStates);
        if (fastPaths && shared.add(position, rewritten, constantOne)) {
            isShared[position] = true;
            return new Column.Shared();
        }
        var led = fastPaths ? windowLed(rewritten) : rewritten;
        if (led != rewritten) {
            led = searcher.rewrite(led);
        }
        return new Column.Query(searcher.createWeight(led, ScoreMode.COMPLETE, 1f), constantOne);
    }

    /**
     * {@code query} as the window runs it: each numeric range that Lucene may run on points or on doc values
     * ({@link IndexOrDocValuesQuery}, as ranges compile) runs on doc values, through the boolean, dis_max, boost and
     * constant-score queries around it. The window leads with at most its own documents of a segment, and doc values
     * check each of them in place; Lucene would take the points as soon as the window holds an eighth of the range's
     * matches in the segment, and the points path first collects every match of the segment into a new doc-id set,
     * memory that appears only at larger windows. Matches and scores are the same on both (constant-score ranges over
     * the same values); the straightforward path keeps Lucene's choice, so tests compare the two.
     */
    static org.apache.lucene.search.Query windowLed(org.apache.lucene.search.Query query) {
        return switch (query) {
            case IndexOrDocValuesQuery q -> q.getRandomAccessQuery();
            case BooleanQuery b -> {
                var builder = new BooleanQuery.Builder().setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
                boolean changed = false;
                for (var clause : b.clauses()) {
                    var led = windowLed(clause.query());
                    changed |= led != clause.query();
                    builder.add(led, clause.occur());
                }
                yield changed ? builder.build() : b;
            }
            case DisjunctionMaxQuery d -> {
                var disjuncts = new ArrayList<org.apache.lucene.search.Query>(d.getDisjuncts().size());
                boolean changed = false;
                for (var disjunct : d.getDisjuncts()) {
                    var led = windowLed(disjunct);
                    changed |= led != disjunct;
                    disjuncts.add(led);
                }
                yield changed ? new DisjunctionMaxQuery(disjuncts, d.getTieBreakerMultiplier()) : d;
            }
            case BoostQuery b -> {
                var led = windowLed(b.getQuery());
                yield led == b.getQuery() ? b : new BoostQuery(led, b.getBoost());
            }
            case ConstantScoreQuery c -> {
                var led = windowLed(c.getQuery());
                yield led == c.getQuery() ? c : new ConstantScoreQuery(led);
            }
            default -> query;
        };
    }

    /**
     * {@code query} with each term query given the request's shared statistics of its term, through the boolean,
     * dis_max, boost and constant-score queries that match, multi_match and their variants compile to. Scores do not
     * change: a term query computes exactly these statistics itself when it has none.
     */
    static org.apache.lucene.search.Query shareTermStates(IndexSearcher searcher, org.apache.lucene.search.Query query,
            Map<Term, TermStates> termStates) throws IOException {
        return switch (query) {
            case TermQuery t when t.getTermStates() == null -> {
                var states = termStates.get(t.getTerm());
                if (states == null) {
                    states = TermStates.build(searcher, t.getTerm(), true);
                    termStates.put(t.getTerm(), states);
                }
                yield new TermQuery(t.getTerm(), states);
            }
            case BooleanQuery b -> {
                var builder = new BooleanQuery.Builder().setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
                for (var clause : b.clauses()) {
                    builder.add(shareTermStates(searcher, clause.query(), termStates), clause.occur());
                }
                yield builder.build();
            }
            case DisjunctionMaxQuery d -> {
                var disjuncts = new ArrayList<org.apache.lucene.search.Query>(d.getDisjuncts().size());
                for (var disjunct : d.getDisjuncts()) {
                    disjuncts.add(shareTermStates(searcher, disjunct, termStates));
                }
                yield new DisjunctionMaxQuery(disjuncts, d.getTieBreakerMultiplier());
            }
            case BoostQuery b -> new BoostQuery(shareTermStates(searcher, b.getQuery(), termStates), b.getBoost());
            case ConstantScoreQuery c -> new ConstantScoreQuery(shareTermStates(searcher, c.getQuery(), termStates));
            default -> query;
        };
    }

    @Override
    public int window() {
        return window;
    }

    /** The deployed model this request uses (the one current when the request bound it). */
    DeployedModel deployed() {
        return deployed;
    }

    /**
     * Rescores the top {@link #window()} of {@code hits} in place — the same {@link ScoreDoc} objects, their scores
     * replaced and their order changed — and returns them (in a shorter array when the list is cut to the window).
     * Everything the stage needs per document lives in arrays borrowed from a pool, so a rescore allocates nothing per
     * document; only {@code keepRows} keeps its own copy of the rows.
     */
    @Override
    public ScoreDoc[] rescore(ScoreDoc[] hits) throws IOException {
        int n = Math.min(window, hits.length);
        var result = n == hits.length ? hits : Arrays.copyOf(hits, n);
        var work = Workspace.acquire(n, width);
        try {
            rescore(result, n, work);
        } finally {
            Workspace.release(work);
        }
        return result;
    }

    private void rescore(ScoreDoc[] result, int n, Workspace work) throws IOException {
        // Doc-id order, kept as (doc, position) pairs in longs so that sorting boxes nothing.
        var keys = work.keys;
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) result[i].doc << 32) | i;
        }
        sort(keys, n, work.scratch, work.counts);
        var docs = keepRows ? new int[n] : work.docs;
        var rowsMatrix = keepRows ? new float[n * width] : work.matrix;
        var previous = work.previous;
        for (int r = 0; r < n; r++) {
            var hit = result[(int) keys[r]];
            if (hit.getClass() != ScoreDoc.class) {
                // A field-sorted hit carries sort values that no longer describe it once the model has scored it.
                hit = new ScoreDoc(hit.doc, hit.score);
            }
            docs[r] = hit.doc;
            previous[r] = hit.score;
            work.hits[r] = hit;
        }
        rows = n;
        sortedDocs = docs;
        matrix = rowsMatrix;
        try {
            Arrays.fill(rowsMatrix, 0, n * width, Float.NaN);
            if (binding.shared() != null) {
                long start = System.nanoTime();
                binding.shared().fill(searcher, docs, n, rowsMatrix, width, work.reuse);
                // One pass fills every shared column; profile shows its time split evenly among them.
                var shared = binding.shared().columns();
                long each = (System.nanoTime() - start) / shared.length;
                for (int c : shared) {
                    extractorNanos[c] += each;
                }
            }
            for (int c = 0; c < width; c++) {
                if (!binding.isShared()[c]) {
                    long start = System.nanoTime();
                    fill(c, n, previous);
                    extractorNanos[c] += System.nanoTime() - start;
                }
            }
            long start = System.nanoTime();
            var scores = work.scores;
            for (int first = 0; first < n; first += BLOCK) {
                deployed.model().score(rowsMatrix, first, Math.min(BLOCK, n - first), scores, first);
            }
            // The final order as (score, row) keys: rows are in doc-id order, so ties fall to the lower doc id.
            for (int r = 0; r < n; r++) {
                float score = anyPresent(r) ? (float) scores[r] : previous[r];
                previous[r] = score;
                keys[r] = ((long) ~NumericUtils.floatToSortableInt(score) << 32) | r;
            }
            modelNanos += System.nanoTime() - start;
            start = System.nanoTime();
            sort(keys, n, work.scratch, work.counts);
            for (int i = 0; i < n; i++) {
                int r = (int) keys[i];
                var hit = work.hits[r];
                hit.score = previous[r];
                result[i] = hit;
            }
            sortNanos += System.nanoTime() - start;
        } finally {
            Arrays.fill(work.hits, 0, n, null);
            if (!keepRows) {
                sortedDocs = new int[0];
                matrix = new float[0];
            }
        }
    }

    /**
     * The per-document arrays of one rescore, pooled between requests so that the steady state allocates none; a
     * workspace is grown to the largest window it has served, and one grown beyond {@link #MAX_POOLED} values is
     * left to the garbage collector instead of being kept.
     */
    private static final class Workspace {
        private static final int MAX_POOLED = 1 << 22;
        private static final AtomicReferenceArray<Workspace> POOL =
                new AtomicReferenceArray<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

        long[] keys = new long[0];
        long[] scratch = new long[0];
        final int[] counts = new int[256];
        int[] docs = new int[0];
        float[] previous = new float[0];
        double[] scores = new double[0];
        ScoreDoc[] hits = new ScoreDoc[0];
        float[] matrix = new float[0];
        /** The shared pass's enums per segment, kept with the workspace so that each thread's requests reuse them. */
        final SharedTermColumns.Reuse reuse = new SharedTermColumns.Reuse();

        static Workspace acquire(int n, int width) {
            Workspace work = null;
            for (int i = 0; i < POOL.length() && work == null; i++) {
                work = POOL.getAndSet(i, null);
            }
            if (work == null) {
                work = new Workspace();
            }
            if (work.keys.length < n) {
                work.keys = new long[n];
                work.scratch = new long[n];
                work.docs = new int[n];
                work.previous = new float[n];
                work.scores = new double[n];
                work.hits = new ScoreDoc[n];
            }
            if (work.matrix.length < n * width) {
                work.matrix = new float[n * width];
            }
            return work;
        }

        static void release(Workspace work) {
            if (work.matrix.length > MAX_POOLED || work.keys.length > MAX_POOLED) {
                return;
            }
            for (int i = 0; i < POOL.length(); i++) {
                if (POOL.compareAndSet(i, null, work)) {
                    return;
                }
            }
        }
    }

    /** Below this many keys an insertion sort is quicker than the radix sort's passes over the byte counts. */
    private static final int INSERTION_SORT = 48;

    /**
     * Sorts {@code keys[0, n)} as signed longs without allocating, through the workspace's scratch: an LSD radix sort
     * over bytes that skips the bytes every key shares; {@code scratch} holds at least {@code n} values and
     * {@code counts} 256. {@code Arrays.sort} would allocate run and merge buffers whenever a window's keys come partly
     * ordered (ties in the model's scores, for one), garbage that grows with the window.
     */
    static void sort(long[] keys, int n, long[] scratch, int[] counts) {
        if (n < INSERTION_SORT) {
            for (int i = 1; i < n; i++) {
                long key = keys[i];
                int j = i - 1;
                for (; j >= 0 && keys[j] > key; j--) {
                    keys[j + 1] = keys[j];
                }
                keys[j + 1] = key;
            }
            return;
        }
        long[] from = keys;
        long[] to = scratch;
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[digit(from[i], shift)]++;
            }
            if (counts[digit(from[0], shift)] == n) {
                continue;
            }
            for (int b = 0, sum = 0; b < counts.length; b++) {
                int count = counts[b];
                counts[b] = sum;
                sum += count;
            }
            for (int i = 0; i < n; i++) {
                long key = from[i];
                to[counts[digit(key, shift)]++] = key;
            }
            long[] swap = from;
            from = to;
            to = swap;
        }
        if (from != keys) {
            System.arraycopy(from, 0, keys, 0, n);
        }
    }

    /** The byte of {@code key} at {@code shift} in unsigned order (the sign bit flipped, so negatives come first). */
    private static int digit(long key, int shift) {
        return (int) ((key ^ Long.MIN_VALUE) >>> shift) & 0xFF;
    }

    private boolean anyPresent(int row) {
        int base = row * width;
        for (int c = 0; c < extractorCount; c++) {
            if (!derived[c] && !Float.isNaN(matrix[base + c])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fills the {@code window_stat} column {@code c} from its source column, which the fill order (shared columns
     * first, then the others by position, and a source always before its statistic) has already filled.
     */
    private void fillWindow(Column.Window w, int c, int n) {
        int s = w.source();
        int count = 0;
        double sum = 0;
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            float value = matrix[r * width + s];
            if (!Float.isNaN(value)) {
                count++;
                sum += value;
                max = Math.max(max, value);
                min = Math.min(min, value);
            }
        }
        float windowValue = switch (w.stat()) {
            case MAX -> count == 0 ? Float.NaN : max;
            case MIN -> count == 0 ? Float.NaN : min;
            case MEAN -> count == 0 ? Float.NaN : (float) (sum / count);
            case COUNT -> count;
            case RATIO_TO_MAX, GAP_TO_MAX -> Float.NaN;
        };
        for (int r = 0; r < n; r++) {
            float value = matrix[r * width + s];
            matrix[r * width + c] = switch (w.stat()) {
                case MAX, MIN, MEAN, COUNT -> windowValue;
                case RATIO_TO_MAX -> Float.isNaN(value) || !(max > 0) ? Float.NaN : value / max;
                case GAP_TO_MAX -> Float.isNaN(value) ? Float.NaN : max - value;
            };
        }
    }

    /** Fills column {@code c} for every row, walking the rows (sorted by doc id) segment by segment. */
    private void fill(int c, int n, float[] previous) throws IOException {
        var column = columns[c];
        switch (column) {
            case Column.Constant k -> {
                for (int r = 0; r < n; r++) {
                    matrix[r * width + c] = k.value();
                }
            }
            case Column.PreviousScore p -> {
                for (int r = 0; r < n; r++) {
                    matrix[r * width + c] = previous[r];
                }
            }
            case Column.Query q -> {
                var leaves = searcher.getIndexReader().leaves();
                int r = 0;
                while (r < n) {
                    var leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
                    int end = leaf.docBase + leaf.reader().maxDoc();
                    int first = r;
                    while (r < n && sortedDocs[r] < end) {
                        r++;
                    }
                    // The window leads: a query that can check documents one by one (a doc-values range, a
                    // conjunction) is told so instead of preparing to iterate the whole segment.
                    var supplier = q.weight().scorerSupplier(leaf);
                    Scorer scorer = supplier == null ? null : supplier.get(r - first);
                    r = first;
                    DocIdSetIterator approximation = null;
                    TwoPhaseIterator twoPhase = null;
                    if (scorer != null) {
                        twoPhase = scorer.twoPhaseIterator();
                        approximation = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                    }
                    for (; r < n && sortedDocs[r] < end; r++) {
                        if (approximation == null) {
                            continue;
                        }
                        int target = sortedDocs[r] - leaf.docBase;
                        if (approximation.docID() < target) {
                            approximation.advance(target);
                        }
                        if (approximation.docID() == target && (twoPhase == null || twoPhase.matches())) {
                            matrix[r * width + c] = q.constantOne() ? 1f : scorer.score();
                        }
                    }
                }
            }
            case Column.TermStats t -> t.stats().fill(searcher, sortedDocs, n, matrix, width, c);
            case Column.Proximity p -> p.proximity().fill(searcher, sortedDocs, n, matrix, width, c);
            case Column.Shared s -> throw new IllegalStateException("shared columns are filled together");
            case Column.Feedback f -> f.feedback().fill(searcher, sortedDocs, n, previous, matrix, width, c);
            case Column.Window w -> fillWindow(w, c, n);
            case Column.Length l -> {
                var leaves = searcher.getIndexReader().leaves();
                int r = 0;
                while (r < n) {
                    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
                    int end = leaf.docBase + leaf.reader().maxDoc();
                    var norms = leaf.reader().getNormValues(l.field());
                    for (; r < n && sortedDocs[r] < end; r++) {
                        if (norms != null && norms.advanceExact(sortedDocs[r] - leaf.docBase)) {
                            // BM25 norms hold the length as SmallFloat.intToByte4, exact for small lengths.
                            matrix[r * width + c] = SmallFloat.byte4ToInt((byte) norms.longValue());
                        }
                    }
                }
            }
            case Column.Vector v -> {
                var leaves = searcher.getIndexReader().leaves();
                int r = 0;
                while (r < n) {
                    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
                    int end = leaf.docBase + leaf.reader().maxDoc();
                    var values = leaf.reader().getFloatVectorValues(v.field());
                    var iterator = values == null ? null : values.iterator();
                    for (; r < n && sortedDocs[r] < end; r++) {
                        float value = Float.NaN;
                        int target = sortedDocs[r] - leaf.docBase;
                        if (iterator != null) {
                            if (iterator.docID() < target) {
                                iterator.advance(target);
                            }
                            if (iterator.docID() == target) {
                                value = v.similarity().stableScore(v.query(), values.vectorValue(iterator.index()));
                            }
                        }
                        matrix[r * width + c] = value;
                    }
                }
            }
            case Column.Field f -> {
                var leaves = searcher.getIndexReader().leaves();
                int r = 0;
                while (r < n) {
                    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[r], leaves));
                    int end = leaf.docBase + leaf.reader().maxDoc();
                    var values = DocValues.getSortedNumeric(leaf.reader(), f.field());
                    for (; r < n && sortedDocs[r] < end; r++) {
                        float value = f.missing();
                        if (values.advanceExact(sortedDocs[r] - leaf.docBase)) {
                            long raw = values.nextValue();
                            value = f.decimal() ? (float) NumericUtils.sortableLongToDouble(raw) : (float) raw;
                        }
                        matrix[r * width + c] = value;
                    }
                }
            }
        }
    }

    /** The row of {@code doc} from the last rescore, or -1 when the document was not in the window. */
    int rowOf(int doc) {
        if (!keepRows) {
            throw new IllegalStateException("rows are kept only when the rescorer is bound with keepRows");
        }
        int row = Arrays.binarySearch(sortedDocs, 0, rows, doc);
        return row < 0 ? -1 : row;
    }

    /** The extractor values of {@code doc} from the last rescore (NaN: missing), or null outside the window. */
    float[] row(int doc) {
        int row = rowOf(doc);
        return row < 0 ? null : Arrays.copyOfRange(matrix, row * width, row * width + extractorCount);
    }

    /** The present features of {@code doc} as {@code {"name": value}}, reusing the matrix; null outside the window. */
    ObjectNode features(int doc) {
        int row = rowOf(doc);
        if (row < 0) {
            return null;
        }
        var node = Json.object();
        for (int c = 0; c < extractorCount; c++) {
            float value = matrix[row * width + c];
            if (!Float.isNaN(value)) {
                node.put(deployed.columns().get(c), value);
            }
        }
        return node;
    }

    /**
     * Elasticsearch's LTR explanation; with {@code ext.rankql.explain_trees}, rankql adds the model's own explanation
     * (each tree's path) as a third detail. Documents outside the window were dropped, so they are never explained.
     */
    @Override
    public Explanation explain(int doc, Explanation previous, boolean inWindow) {
        boolean trees = explainTrees;
        int row = rowOf(doc);
        if (row < 0) {
            return previous;
        }
        var features = new ArrayList<Explanation>();
        var values = new double[width];
        boolean any = false;
        for (int c = 0; c < width; c++) {
            float value = matrix[row * width + c];
            values[c] = value;
            if (c < extractorCount && !Float.isNaN(value)) {
                any |= !derived[c];
                features.add(Explanation.match(value, "feature value for [" + deployed.columns().get(c) + "]"));
            }
        }
        var explanation = deployed.model().explain(values);
        float score = any ? (float) explanation.score() : previous.getValue().floatValue();
        var details = new ArrayList<Explanation>();
        details.add(Explanation.match(previous.getValue(), "first pass query score", previous));
        details.add(Explanation.match(0f, "extracted features", features));
        if (trees) {
            details.add(modelExplanation(explanation));
        }
        return Explanation.match(score, "rescored using LTR model " + deployed.id(), details);
    }

    private static Explanation modelExplanation(dev.rankql.models.Explanation explanation) {
        return switch (explanation) {
            case dev.rankql.models.Explanation.Trees t -> {
                var trees = new ArrayList<Explanation>();
                for (var path : t.trees()) {
                    var steps = new ArrayList<Explanation>();
                    for (var step : path.steps()) {
                        steps.add(Explanation.match(step.missing() ? 0f : (float) step.value(), "node " + step.node()
                                + ": [" + step.featureName() + "] " + (step.missing() ? "missing" : step.value()) + " "
                                + step.decision().symbol() + " " + step.threshold() + " -> " + (step.left() ? "left" : "right")));
                    }
                    trees.add(Explanation.match((float) path.contribution(), "tree " + path.tree() + ": leaf " + path.leaf()
                            + " value " + path.leafValue() + (path.weight() == 1 ? "" : " weight " + path.weight()), steps));
                }
                yield Explanation.match((float) t.score(), "rankql model trees (margin " + t.margin() + ", base score "
                        + t.baseScore() + ", transform " + t.transform() + ")", trees);
            }
            case dev.rankql.models.Explanation.Linear l -> Explanation.match((float) l.score(), "rankql linear model (bias "
                    + l.bias() + ")", l.terms().stream().map(term -> Explanation.match((float) term.contribution(),
                            "[" + term.featureName() + "] " + term.value() + " x " + term.weight())).toList());
            case dev.rankql.models.Explanation.Network nn -> Explanation.match((float) nn.score(), "rankql neural network");
        };
    }

    /** This rescorer's stage timings for {@code profile}. */
    ObjectNode profile() {
        var node = Json.object();
        node.put("type", "learning_to_rank");
        node.put("model_id", deployed.id());
        node.put("window_size", window);
        node.put("docs", rows);
        var extraction = node.putArray("feature_extraction");
        long total = 0;
        for (int c = 0; c < extractorCount; c++) {
            var item = extraction.addObject();
            item.put("feature_name", deployed.columns().get(c));
            item.put("type", deployed.ltr().orElseThrow().extractors().get(c).type());
            item.put("time_in_nanos", extractorNanos[c]);
            total += extractorNanos[c];
        }
        node.put("feature_extraction_time_in_nanos", total);
        node.put("model_time_in_nanos", modelNanos);
        node.put("sort_time_in_nanos", sortNanos);
        return node;
    }

    List<String> featureNames() {
        return deployed.columns().subList(0, extractorCount);
    }
}
