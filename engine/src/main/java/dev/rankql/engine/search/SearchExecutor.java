package dev.rankql.engine.search;

import dev.rankql.ast.Collapse;
import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.RequestValidation;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.EngineLimits;
import dev.rankql.engine.ltr.DeployedModel;
import dev.rankql.engine.ltr.ModelRegistry;
import dev.rankql.engine.mapping.FieldNames;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@link SearchRequest} on one index: the classic {@code query} + {@code rescore} form, and retriever trees of
 * {@code standard} and {@code rescorer} retrievers, with Elasticsearch's windows, validation and response shape.
 */
public final class SearchExecutor {

    /** Elasticsearch's default {@code size}. */
    public static final int DEFAULT_SIZE = 10;

    private static final Set<String> ID_AND_SOURCE = Set.of(FieldNames.ID, FieldNames.SOURCE);

    /** Elasticsearch's default bound of exact hit counting. */
    public static final int DEFAULT_TRACK_TOTAL_HITS = 10_000;

    /** A ranked list with its hit count and how to explain each document's final score. */
    private record Ranked(ScoreDoc[] docs, Optional<SearchResponse.Total> total, Explainer explainer) {}

    @FunctionalInterface
    private interface Explainer {
        Explanation explain(int doc) throws IOException;
    }

    /** How many hits to count exactly; {@code threshold} 0 means not counted at all. */
    private record Tracking(int threshold) {
        boolean enabled() {
            return threshold > 0;
        }
    }

    /** Finds a deployed model by id for the {@code learning_to_rank} rescorer. */
    @FunctionalInterface
    public interface ModelLookup {
        /** The model {@code id}, if deployed. */
        Optional<DeployedModel> find(String id);

        /** No models at all. */
        ModelLookup NONE = id -> Optional.empty();
    }

    private final IndexView index;
    private final IndexSearcher searcher;
    private final QueryCompiler compiler;
    private final ModelLookup models;
    /** Every LTR rescorer this request bound, in binding order: for feature logging, explain and profile. */
    private final List<LtrWindowRescorer> ltrRescorers = new ArrayList<>();
    private long firstPassNanos;
    /** Whether the {@code timeout} expired before the rescorers finished, so that their work was dropped. */
    private boolean rescoreTimedOut;
    private boolean explainTrees;
    /** Whether hits are explained: only then are the rescore windows remembered. */
    private boolean explain;
    /** Whether LTR rescorers keep their feature rows after rescoring (explain, feature logging). */
    private boolean keepRows;
    /** Whether a field-sorted search computes scores anyway ({@code track_scores}). */
    private boolean trackScores;
    /** The best score over every match of a field-sorted search that tracks scores, NaN when none was computed. */
    private float trackedMaxScore = Float.NaN;
    /** The request's {@code search_after} values, taken by the first (top-level) sorted search that runs. */
    private List<dev.rankql.ast.Value> searchAfter = List.of();
    /** A scroll page's start: the last hit of the page before, taken by the first (top-level) search that runs. */
    private ScoreDoc scrollAfter;
    /** The last hit of the page this executor answered, where a scroll's next page starts. */
    private ScoreDoc lastOfPage;
    /** The doc value fields of each collapse inner hits section, resolved and checked before the search runs. */
    private Map<dev.rankql.ast.InnerHits, List<HitExtras.DocValueField>> innerDocValues = Map.of();
    /** Whether {@code terminate_after} stopped the collection of matches, and the last document it collected. */
    private boolean terminatedEarly;
    private int lastCollected = -1;
    /**
     * Whether this run is one shard of a search over several indices ({@link #executeShard}): its hits are its best
     * {@code from + size}, unpaged, without inner hits, its terms aggregations unbounded, for the coordinator to merge.
     */
    private boolean shard;

    static {
        EngineLimits.apply();
    }

    private SearchExecutor(IndexView index, IndexSearcher searcher, ModelLookup models, CompiledQueries compiled) {
        this.index = index;
        this.searcher = searcher;
        this.compiler = new QueryCompiler(index, searcher.getIndexReader(), compiled);
        this.models = models;
    }

    /** Runs {@code request} on {@code searcher} without deployed models. */
    public static SearchResponse execute(IndexView index, IndexSearcher searcher, SearchRequest request, SearchOptions options) {
        return execute(index, searcher, request, options, ModelLookup.NONE);
    }

    /** Runs {@code request} on {@code searcher}; errors are {@link EngineException}s in Elasticsearch's terms. */
    public static SearchResponse execute(
            IndexView index, IndexSearcher searcher, SearchRequest request, SearchOptions options, ModelLookup models) {
        return execute(index, searcher, request, options, models, System::nanoTime, null);
    }

    /**
     * Runs {@code request} on {@code searcher}, its {@code timeout} (the URL parameter's in {@code options} first,
     * then the body's) measured on {@code nanoClock} from the start of the search, taking first-pass queries from
     * {@code compiled} (the index's cache for these mappings; null for none) when an equal query was compiled before.
     * A timed search collects on a searcher of its own that Lucene stops at the deadline (its bulk scorers check the
     * timeout every few hundred documents, its vector searches as they visit nodes); what was collected by then is the
     * answer, marked {@code timed_out}, as Elasticsearch answers with partial results.
     */
    public static SearchResponse execute(IndexView index, IndexSearcher searcher, SearchRequest request,
            SearchOptions options, ModelLookup models, java.util.function.LongSupplier nanoClock, CompiledQueries compiled) {
        return execute(index, searcher, request, options, models, nanoClock, compiled, false);
    }

    /**
     * Like {@link #execute(IndexView, IndexSearcher, SearchRequest, SearchOptions, ModelLookup,
     * java.util.function.LongSupplier, CompiledQueries)}, as one shard of a search over several indices answers
     * Elasticsearch's coordinator: validated with the request's own {@code from} and {@code size}, but its hits are
     * the best {@code from + size} (not paged), collapsed hits carry no inner hits (the coordinator fetches them for
     * the merged groups) and terms aggregations keep every bucket, so that the merge is exact.
     */
    public static SearchResponse executeShard(IndexView index, IndexSearcher searcher, SearchRequest request,
            SearchOptions options, ModelLookup models, java.util.function.LongSupplier nanoClock, CompiledQueries compiled) {
        return execute(index, searcher, request, options, models, nanoClock, compiled, true);
    }

    private static SearchResponse execute(IndexView index, IndexSearcher searcher, SearchRequest request,
            SearchOptions options, ModelLookup models, java.util.function.LongSupplier nanoClock, CompiledQueries compiled,
            boolean shard) {
        long start = System.nanoTime();
        var timeout = options.timeout().or(request::timeout).filter(t -> !t.equals(SearchRequest.NO_TIMEOUT));
        var effective = searcher;
        if (timeout.isPresent()) {
            effective = timed(searcher, timeout.get(), nanoClock);
        }
        try {
            var executor = new SearchExecutor(index, effective, models, compiled);
            executor.shard = shard;
            var response = executor.run(request, options, start);
            return timeout.isPresent() && (effective.timedOut() || executor.rescoreTimedOut)
                    ? response.withTimedOut(true)
                    : response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page of a scroll: the response, and its last hit (empty when the page is empty) where the next one starts. */
    public record ScrollPage(SearchResponse response, Optional<ScoreDoc> last) {}

    /**
     * Runs one page of a scroll: {@code request} as {@link #execute(IndexView, IndexSearcher, SearchRequest,
     * SearchOptions, ModelLookup, java.util.function.LongSupplier, CompiledQueries)} runs it, but collecting only the
     * hits ranked after {@code after} (null for the first page), as Lucene's search-after does, so that the order is
     * score or sort values with ties broken by document, and pages on the same reader never overlap.
     */
    public static ScrollPage executeScrollPage(IndexView index, IndexSearcher searcher, SearchRequest request,
            SearchOptions options, ModelLookup models, java.util.function.LongSupplier nanoClock, CompiledQueries compiled,
            ScoreDoc after) {
        long start = System.nanoTime();
        var timeout = options.timeout().or(request::timeout).filter(t -> !t.equals(SearchRequest.NO_TIMEOUT));
        var effective = timeout.isPresent() ? timed(searcher, timeout.get(), nanoClock) : searcher;
        try {
            var executor = new SearchExecutor(index, effective, models, compiled);
            executor.scrollAfter = after;
            var response = executor.run(request, options, start);
            if (timeout.isPresent() && (effective.timedOut() || executor.rescoreTimedOut)) {
                response = response.withTimedOut(true);
            }
            return new ScrollPage(response, Optional.ofNullable(executor.lastOfPage));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A searcher over the same reader whose searches stop once {@code timeout} has passed on {@code clock}. The shared
     * searcher is left alone: its timeout and timed-out flag would be seen by every concurrent search.
     */
    private static IndexSearcher timed(IndexSearcher searcher, java.time.Duration timeout, java.util.function.LongSupplier clock) {
        var timed = new IndexSearcher(searcher.getIndexReader());
        timed.setSimilarity(searcher.getSimilarity());
        timed.setQueryCache(searcher.getQueryCache());
        timed.setQueryCachingPolicy(searcher.getQueryCachingPolicy());
        long budget;
        try {
            budget = timeout.toNanos();
        } catch (ArithmeticException e) {
            budget = Long.MAX_VALUE;
        }
        long limit = budget;
        long begin = clock.getAsLong();
        // Elasticsearch's check, "now > start + timeout", written on the elapsed time so that it cannot overflow; a
        // negative timeout other than -1 (-1s, say) has expired at once, as there.
        timed.setTimeout(() -> clock.getAsLong() - begin > limit);
        return timed;
    }

    /**
     * Elasticsearch's explain API: whether document {@code id} matches {@code query} and why, explained exactly as a
     * search for {@code query} with {@code explain: true} explains that document among its hits (the same compilation,
     * the same {@link #chained} explainer), taking compilations from {@code compiled} as searches do (null for none).
     * The document is looked up in the searcher's view, as Elasticsearch's explain reads the refreshed index. With
     * {@code source} asked for (and fetching) or {@code storedFields}, the answer carries the document, as there.
     * A query that cannot run is its own error, not a search's shard failure, as the explain API is a single-shard
     * action in Elasticsearch.
     */
    public static ExplainResponse explain(IndexView index, IndexSearcher searcher, Query query, String id,
            CompiledQueries compiled, Optional<dev.rankql.ast.SourceFilter> source, boolean storedFields) {
        try {
            var executor = new SearchExecutor(index, searcher, ModelLookup.NONE, compiled);
            // As classicQuery compiles a search's query.
            var firstPass = executor.compiler.compileCached(query);
            var found = searcher.search(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(FieldNames.ID, id)), 1);
            if (found.scoreDocs.length == 0) {
                return ExplainResponse.missing(index.name(), id);
            }
            int doc = found.scoreDocs[0].doc;
            var explanation = chained(executor.firstPassExplainer(firstPass), List.of(), List.of()).explain(doc);
            boolean withSource = source.isPresent() && SourceFiltering.fetches(source);
            if (!withSource && !storedFields) {
                return new ExplainResponse(index.name(), id, Optional.of(explanation), Optional.empty());
            }
            var seqNo = HitExtras.metadata(searcher, doc, false, true).seqNo();
            Optional<JsonNode> filtered = Optional.empty();
            if (withSource) {
                var bytes = searcher.storedFields().document(doc, Set.of(FieldNames.SOURCE)).getBinaryValue(FieldNames.SOURCE);
                if (bytes != null) {
                    JsonNode parsed;
                    try {
                        parsed = Json.readSource(bytes.bytes, bytes.offset, bytes.length);
                    } catch (JacksonException e) {
                        throw EngineException.parsing("stored source of [" + id + "] cannot be read: " + e.getOriginalMessage());
                    }
                    filtered = Optional.of(SourceFiltering.apply(parsed, source));
                }
            }
            return new ExplainResponse(index.name(), id, Optional.of(explanation),
                    Optional.of(new ExplainResponse.Get(seqNo, filtered)));
        } catch (IndexSearcher.TooManyClauses e) {
            throw tooManyClauses(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code learning_to_rank} rescore stage alone, exactly as a search's rescore list runs it on its first-pass
     * hits with a window of {@code hits.length}: binds {@code deployed} with {@code params} (templates rendered, one
     * weight per extractor, or the model's cached binding), extracts the features, scores and re-sorts. Like a search,
     * it works on {@code hits} in place: {@code hits} must be in Elasticsearch's order (score descending, then doc id),
     * and comes back as the result, its {@link ScoreDoc}s carrying the model's scores in the new order; a caller that
     * needs the first-pass hits again keeps its own copy. For benchmarks and tools that time this stage apart from the
     * first pass.
     */
    public static ScoreDoc[] rescoreWithModel(IndexView index, IndexSearcher searcher, DeployedModel deployed,
            Map<String, dev.rankql.ast.Value> params, ScoreDoc[] hits) {
        if (deployed.ltr().isEmpty()) {
            throw notLearningToRank(deployed);
        }
        try {
            return LtrWindowRescorer.bind(searcher, index, deployed, params, Math.max(1, hits.length), false, false)
                    .rescore(hits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Elasticsearch's 400 for a model whose inference config is not {@code learning_to_rank} (spec b.7). */
    private static EngineException notLearningToRank(DeployedModel deployed) {
        return new EngineException("status_exception", "Inference config of type [" + deployed.inferenceType()
                + "] is invalid, must be of type [learning_to_rank]", 400);
    }

    /** One document's logged features: its id, first-pass score (NaN if the query does not match it) and values. */
    public record LoggedRow(String docId, float firstPassScore, float[] values) {}

    /**
     * Feature logging for training data: runs {@code query} for its top {@code topK} hits, adds the documents of
     * {@code extraIds} (judged documents) wherever they rank, and extracts {@code deployed}'s features for all of them
     * with the same code the rescorer uses. Rows come in first-pass order, then the extra documents in given order;
     * ids that are not in the index are skipped.
     */
    public static List<LoggedRow> logFeatures(IndexView index, IndexSearcher searcher, Query query, DeployedModel deployed,
            Map<String, dev.rankql.ast.Value> params, List<String> extraIds, int topK) {
        if (deployed.ltr().isEmpty()) {
            throw notLearningToRank(deployed);
        }
        try {
            var executor = new SearchExecutor(index, searcher, ModelLookup.NONE, null);
            var firstPass = executor.compiler.compile(query);
            var docs = new ArrayList<ScoreDoc>();
            var seen = new HashSet<Integer>();
            if (topK > 0) {
                for (var hit : searcher.search(firstPass, topK).scoreDocs) {
                    docs.add(new ScoreDoc(hit.doc, hit.score));
                    seen.add(hit.doc);
                }
            }
            var weight = searcher.createWeight(searcher.rewrite(firstPass), org.apache.lucene.search.ScoreMode.COMPLETE, 1f);
            var leaves = searcher.getIndexReader().leaves();
            for (var id : extraIds) {
                var found = searcher.search(new org.apache.lucene.search.TermQuery(
                        new org.apache.lucene.index.Term(FieldNames.ID, id)), 1).scoreDocs;
                if (found.length == 0 || !seen.add(found[0].doc)) {
                    continue;
                }
                int doc = found[0].doc;
                var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                float score = Float.NaN;
                var scorer = weight.scorer(leaf);
                if (scorer != null) {
                    var twoPhase = scorer.twoPhaseIterator();
                    var approximation = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                    int target = doc - leaf.docBase;
                    if (approximation.advance(target) == target && (twoPhase == null || twoPhase.matches())) {
                        score = scorer.score();
                    }
                }
                docs.add(new ScoreDoc(doc, score));
            }
            var rescorer = LtrWindowRescorer.bind(searcher, index, deployed, params, docs.size(), false, true);
            // On copies: the rescorer reorders and rescores in place, and the rows report first-pass scores.
            rescorer.rescore(WindowRescorer.copy(docs.toArray(ScoreDoc[]::new)));
            var rows = new ArrayList<LoggedRow>(docs.size());
            for (var doc : docs) {
                var id = searcher.storedFields().document(doc.doc, Set.of(FieldNames.ID)).get(FieldNames.ID);
                rows.add(new LoggedRow(id, doc.score, rescorer.row(doc.doc)));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SearchResponse run(SearchRequest request, SearchOptions options, long start) throws IOException {
        int from = options.from().or(request::from).orElse(0);
        var explicitSize = options.size().or(request::size);
        int size = explicitSize.orElse(DEFAULT_SIZE);
        boolean explain = options.explain().or(request::explain).orElse(false);
        var tracking = tracking(request.trackTotalHits());
        validateAfterOverrides(request, options);
        var rankqlExt = RankqlExt.of(request);
        explainTrees = rankqlExt.explainTrees();
        this.explain = explain;
        keepRows = explain || rankqlExt.logFeatures();
        trackScores = request.hitOptions().trackScores();
        searchAfter = request.searchAfter();
        if (!searchAfter.isEmpty()) {
            validateSearchAfter(request, from);
        }
        if (request.retriever().isPresent()) {
            validateRetrieverTree(request.retriever().get(), explicitSize, true);
        }
        Ranked ranked;
        org.apache.lucene.search.Query aggregationQuery;
        List<TermsAggregator.Result> aggregations = List.of();
        List<HitExtras.DocValueField> docValues;
        HitExtras.StoredFieldsPlan storedPlan;
        try {
            docValues = HitExtras.docValueFields(index, request.hitOptions().docvalueFields());
            boolean sourceAsked = request.source().isPresent() && SourceFiltering.fetches(request.source());
            boolean sourceDisabled = request.source().isPresent() && !SourceFiltering.fetches(request.source());
            storedPlan = HitExtras.storedFields(index, request.hitOptions(), sourceAsked, sourceDisabled);
            var sections = collapseOf(request).map(Collapse::innerHits).orElse(List.of());
            if (!sections.isEmpty()) {
                innerDocValues = new java.util.IdentityHashMap<>();
                for (var section : sections) {
                    innerDocValues.put(section, HitExtras.docValueFields(index, section.docvalueFields()));
                }
            }
            int resultWindow = from + size;
            if (resultWindow > index.settings().maxResultWindow()) {
                throw EngineException.illegalArgument("Result window is too large, from + size must be less than or equal to: ["
                        + index.settings().maxResultWindow() + "] but was [" + resultWindow + "]. See the scroll api for a more "
                        + "efficient way to request large data sets. This limit can be set by changing the ["
                        + "index.max_result_window] index level setting.");
            }
            if (request.retriever().isPresent()) {
                ranked = switch (request.retriever().get()) {
                    case Retriever.Standard s -> {
                        var collapse = s.collapse().or(request::collapse);
                        var query = terminateAfter(standardQuery(s, List.of()), s.terminateAfter(), s.minScore());
                        yield search(query, s.minScore(), List.of(), from + size, size == 0, collapse, tracking, s.sort());
                    }
                    case Retriever.Rescorer r -> {
                        var result = rescorerRetriever(r, List.of(), tracking);
                        if (request.collapse().isPresent()) {
                            var collapser = new Collapser(searcher, index, request.collapse().get().field());
                            result = new Ranked(collapser.collapse(result.docs()), result.total(), result.explainer());
                        }
                        yield result;
                    }
                    case Retriever.Knn k -> retrieve(k, List.of(), from + size, tracking);
                    case Retriever.Rrf r -> collapsed(retrieve(r, List.of(), from + size, tracking), request);
                    case Retriever.Linear l -> collapsed(retrieve(l, List.of(), from + size, tracking), request);
                };
                // Compiling the tree's queries again costs as much as the first compilation: only aggregations and
                // the groups' inner hits need the tree's matches as one query.
                boolean innerHitsWanted = collapseOf(request).map(c -> !c.innerHits().isEmpty()).orElse(false);
                aggregationQuery = request.aggregations().isEmpty() && !innerHitsWanted ? null
                        : matchQuery(request.retriever().get(), List.of(), from + size);
                if (aggregationQuery != null && terminatedEarly) {
                    aggregationQuery = new TerminateAfterQuery(aggregationQuery, lastCollected);
                }
            } else {
                var firstPass = terminateAfter(classicQuery(request, size), request.terminateAfter(), request.minScore());
                ranked = search(firstPass, request.minScore(), request.rescore(), from + size, size == 0,
                        request.collapse(), tracking, request.sort());
                aggregationQuery = request.minScore().isPresent()
                        ? new MinScoreQuery(firstPass, request.minScore().get())
                        : firstPass;
            }
            if (!request.aggregations().isEmpty()) {
                aggregations = aggregate(request.aggregations(), aggregationQuery);
            }
        } catch (EngineException e) {
            // Elasticsearch loads LTR models on the coordinating node, so their errors are not shard failures.
            if (e.type().equals("resource_not_found_exception") || e.type().equals("status_exception")) {
                throw e;
            }
            throw EngineException.shardFailure(index.name(), e);
        } catch (IndexSearcher.TooManyClauses e) {
            throw EngineException.shardFailure(index.name(), tooManyClauses(e));
        }
        var docs = ranked.docs();
        int pageFrom = shard ? 0 : from;
        var page = docs.length <= pageFrom ? new ScoreDoc[0] : Arrays.copyOfRange(docs, pageFrom, Math.min(docs.length, from + size));
        lastOfPage = page.length == 0 ? null : page[page.length - 1];
        // Sorted by a field, Elasticsearch computes no scores, so it reports no max_score.
        Optional<Float> maxScore = size == 0 ? Optional.empty() : maxScore(docs);
        if (size > 0 && docs.length > 0 && !Float.isNaN(trackedMaxScore)) {
            maxScore = Optional.of(trackedMaxScore);
        }
        var collapseField = collapseField(request);
        Collapser collapser = collapseField.map(f -> new Collapser(searcher, index, f)).orElse(null);
        var hits = new ArrayList<SearchResponse.Hit>(page.length);
        var named = matchers();
        // One stored-fields reader for the whole page: hits in the same compressed block decompress it once.
        var stored = page.length == 0 ? null : searcher.storedFields();
        var hitOptions = request.hitOptions();
        var innerHits = shard ? List.<dev.rankql.ast.InnerHits>of() : collapseOf(request).map(Collapse::innerHits).orElse(List.of());
        for (var doc : page) {
            var hit = hit(doc, stored, request.source(), hitOptions.fields(),
                    explain ? Optional.of(ranked.explainer().explain(doc.doc)) : Optional.empty(), collapser, collapseField, named,
                    docValues, storedPlan);
            if (rankqlExt.logFeatures()) {
                hit = hit.withRankql(loggedFeatures(doc.doc));
            }
            var metadata = HitExtras.metadata(searcher, doc.doc, hitOptions.version(), hitOptions.seqNoPrimaryTerm());
            hit = hit.withMetadata(storedPlan.loadId() ? metadata : metadata.withoutId());
            if (!innerHits.isEmpty()) {
                hit = hit.withInnerHits(innerHits(aggregationQuery, collapseField.orElseThrow(), collapser.value(doc.doc), innerHits));
            }
            hits.add(hit);
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        var response = new SearchResponse(took, ranked.total(), maxScore, hits);
        if (!request.aggregations().isEmpty()) {
            response = response.withAggregations(aggregations);
        }
        if (request.profile().orElse(false)) {
            response = response.withProfile(profile(start));
        }
        if (terminatedEarly) {
            response = response.withTerminatedEarly(true);
        }
        return response;
    }

    /**
     * The first-pass query cut to its first {@code terminate_after} matches in index order (after {@code min_score}),
     * as Elasticsearch's collector stops after that many documents on each shard; every later step (ranking,
     * rescoring, collapsing, counting, aggregating) sees only those. Notes whether the limit was reached.
     */
    private org.apache.lucene.search.Query terminateAfter(
            org.apache.lucene.search.Query query, Optional<Integer> terminateAfter, Optional<Float> minScore) throws IOException {
        int limit = terminateAfter.orElse(0);
        if (limit == 0) {
            return query;
        }
        var filtered = minScore.isPresent() ? new MinScoreQuery(query, minScore.get()) : query;
        int last = TerminateAfterQuery.lastCollected(searcher, filtered, limit);
        if (last < 0) {
            return query;
        }
        terminatedEarly = true;
        lastCollected = last;
        return new TerminateAfterQuery(query, last);
    }

    /** The highest score of {@code docs}, or empty when there are none or any is unscored (NaN). */
    private static Optional<Float> maxScore(ScoreDoc[] docs) {
        if (docs.length == 0) {
            return Optional.empty();
        }
        float max = Float.NEGATIVE_INFINITY;
        for (var doc : docs) {
            if (Float.isNaN(doc.score)) {
                return Optional.empty();
            }
            max = Math.max(max, doc.score);
        }
        return Optional.of(max);
    }

    /** rankql's options under {@code ext.rankql}. */
    private record RankqlExt(boolean logFeatures, boolean explainTrees) {
        static RankqlExt of(SearchRequest request) {
            var ext = request.ext().get("rankql");
            if (ext == null) {
                return new RankqlExt(false, false);
            }
            if (!(ext instanceof dev.rankql.ast.Value.Obj obj)) {
                throw EngineException.illegalArgument("[ext.rankql] must be an object");
            }
            boolean log = false;
            boolean trees = false;
            for (var entry : obj.entries().entrySet()) {
                if (!(entry.getValue() instanceof dev.rankql.ast.Value.Bool(boolean flag))) {
                    throw EngineException.illegalArgument("[ext.rankql." + entry.getKey() + "] must be a boolean");
                }
                switch (entry.getKey()) {
                    case "log_features" -> log = flag;
                    case "explain_trees" -> trees = flag;
                    default -> throw EngineException.illegalArgument("[ext.rankql] unknown option [" + entry.getKey()
                            + "]: expected log_features or explain_trees");
                }
            }
            return new RankqlExt(log, trees);
        }
    }

    /**
     * Elasticsearch validates the request after URL parameters have been applied, so {@code ?size=} can make an LTR
     * window too small even when the body alone was valid.
     */
    private static void validateAfterOverrides(SearchRequest request, SearchOptions options) {
        var effective = options.from().isEmpty() && options.size().isEmpty()
                ? request
                : request.withPage(options.from().or(request::from), options.size().or(request::size));
        var problems = RequestValidation.validate(effective);
        if (problems.isEmpty()) {
            return;
        }
        var reason = new StringBuilder("Validation Failed: ");
        for (int i = 0; i < problems.size(); i++) {
            reason.append(i + 1).append(": ").append(problems.get(i).message()).append(';');
        }
        throw new EngineException("action_request_validation_exception", reason.toString(), 400);
    }

    /** The features of {@code doc} from the last LTR rescorer whose window held it, reusing its matrix. */
    private Optional<tools.jackson.databind.node.ObjectNode> loggedFeatures(int doc) {
        for (int i = ltrRescorers.size() - 1; i >= 0; i--) {
            var rescorer = ltrRescorers.get(i);
            var features = rescorer.features(doc);
            if (features != null) {
                var node = Json.object();
                node.put("model_id", rescorer.deployed().id());
                node.set("features", features);
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** Elasticsearch's {@code profile} section, with rankql's stage timings under {@code shards[0].rankql}. */
    private tools.jackson.databind.node.ObjectNode profile(long start) {
        var node = Json.object();
        var shard = node.putArray("shards").addObject();
        shard.put("id", "[rankql][" + index.name() + "][0]");
        shard.put("node_id", "rankql");
        shard.put("shard_id", 0);
        shard.put("index", index.name());
        shard.put("cluster", "(local)");
        var search = shard.putArray("searches").addObject();
        var query = search.putArray("query").addObject();
        query.put("type", "rankql first pass");
        query.put("description", "the first-pass query of the request");
        query.put("time_in_nanos", firstPassNanos);
        query.putObject("breakdown");
        search.put("rewrite_time", 0);
        var collector = search.putArray("collector").addObject();
        collector.put("name", "TopDocsCollector");
        collector.put("reason", "search_top_hits");
        collector.put("time_in_nanos", firstPassNanos);
        shard.putArray("aggregations");
        var rankql = shard.putObject("rankql");
        rankql.put("first_pass_time_in_nanos", firstPassNanos);
        var rescore = rankql.putArray("rescore");
        ltrRescorers.forEach(r -> rescore.add(r.profile()));
        if (!retrieverProfiles.isEmpty()) {
            // Children finish before their parents, so the list is the tree in post-order.
            var retrievers = rankql.putArray("retrievers");
            for (var p : retrieverProfiles) {
                var entry = retrievers.addObject();
                entry.put("type", p.type());
                p.name().ifPresent(n -> entry.put("_name", n));
                entry.put("time_in_nanos", p.nanos());
                entry.put("hits", p.hits());
            }
        }
        rankql.put("total_time_in_nanos", System.nanoTime() - start);
        return node;
    }

    /** Elasticsearch's checks of {@code search_after} against the page and the collapse. */
    private static void validateSearchAfter(SearchRequest request, int from) {
        if (from > 0) {
            throw EngineException.illegalArgument("`from` parameter must be set to 0 when `search_after` is used.");
        }
        var collapse = collapseOf(request);
        var sort = request.sort().isEmpty()
                ? request.retriever().map(r -> r instanceof Retriever.Standard s ? s.sort() : List.<SortField>of()).orElse(List.of())
                : request.sort();
        if (collapse.isPresent() && (sort.size() != 1 || !sort.getFirst().field().equals(collapse.get().field()))) {
            throw EngineException.illegalArgument("Cannot use [collapse] in conjunction with [search_after] unless the search is "
                    + "sorted on the same field. Multiple sort fields are not allowed.");
        }
    }

    private static Optional<String> collapseField(SearchRequest request) {
        return collapseOf(request).map(Collapse::field);
    }

    private static Optional<Collapse> collapseOf(SearchRequest request) {
        if (request.collapse().isPresent()) {
            return request.collapse();
        }
        return request.retriever().flatMap(r -> r instanceof Retriever.Standard s ? s.collapse() : Optional.empty());
    }

    /**
     * The inner hits of one collapse group: for each section, the documents of {@code query} whose collapse value is
     * {@code value}, ranked by the section's sort (collapsed again when it asks), paged by its from and size.
     */
    private Map<String, SearchResponse.InnerHits> innerHits(
            org.apache.lucene.search.Query query, String field, Object value, List<dev.rankql.ast.InnerHits> sections)
            throws IOException {
        var group = new BooleanQuery.Builder()
                .add(query, BooleanClause.Occur.MUST)
                .add(HitExtras.groupFilter(index, field, value), BooleanClause.Occur.FILTER)
                .build();
        var result = new LinkedHashMap<String, SearchResponse.InnerHits>();
        boolean outerTrackScores = trackScores;
        float outerMaxScore = trackedMaxScore;
        try {
            for (var section : sections) {
                int from = section.from().orElse(0);
                int size = section.size().orElse(dev.rankql.ast.InnerHits.DEFAULT_SIZE);
                trackScores = section.trackScores();
                trackedMaxScore = Float.NaN;
                var ranked = search(group, Optional.empty(), List.of(), from + size, true, section.collapse(),
                        new Tracking(Integer.MAX_VALUE), section.sort());
                var docs = ranked.docs();
                var page = docs.length <= from ? new ScoreDoc[0] : Arrays.copyOfRange(docs, from, Math.min(docs.length, from + size));
                Optional<Float> maxScore = maxScore(docs);
                if (!Float.isNaN(trackedMaxScore)) {
                    maxScore = Optional.of(trackedMaxScore);
                }
                var innerField = section.collapse().map(Collapse::field);
                Collapser innerCollapser = innerField.map(f -> new Collapser(searcher, index, f)).orElse(null);
                var stored = page.length == 0 ? null : searcher.storedFields();
                var hits = new ArrayList<SearchResponse.Hit>(page.length);
                for (var doc : page) {
                    hits.add(hit(doc, stored, section.source(), section.fields(), Optional.empty(), innerCollapser, innerField, Map.of(),
                            innerDocValues.getOrDefault(section, List.of()), HitExtras.StoredFieldsPlan.DEFAULT)
                            .withMetadata(HitExtras.metadata(searcher, doc.doc, section.version(), section.seqNoPrimaryTerm())));
                }
                var total = ranked.total().orElse(new SearchResponse.Total(docs.length, true));
                result.put(section.name().orElse(field), new SearchResponse.InnerHits(total, maxScore, hits));
            }
        } finally {
            trackScores = outerTrackScores;
            trackedMaxScore = outerMaxScore;
        }
        return result;
    }

    private static Tracking tracking(Optional<TrackTotalHits> option) {
        if (option.isEmpty()) {
            return new Tracking(DEFAULT_TRACK_TOTAL_HITS);
        }
        return switch (option.get()) {
            case TrackTotalHits.Flag f -> new Tracking(f.enabled() ? Integer.MAX_VALUE : 0);
            case TrackTotalHits.UpTo u -> new Tracking(u.limit() < 0 ? 0 : u.limit());
        };
    }

    /** Request-level checks of a retriever tree, which Elasticsearch makes before any shard runs. */
    private void validateRetrieverTree(Retriever retriever, Optional<Integer> size, boolean top) {
        switch (retriever) {
            case Retriever.Standard s -> {
                if (!top && !s.searchAfter().isEmpty()) {
                    throw EngineException.illegalArgument("[search_after] cannot be used in children of compound retrievers");
                }
                if (!top && s.terminateAfter().isPresent()) {
                    throw EngineException.illegalArgument("[terminate_after] cannot be used in children of compound retrievers");
                }
                if (top && !s.searchAfter().isEmpty()) {
                    throw EngineException.illegalArgument("rankql does not support [search_after] in a retriever yet");
                }
            }
            case Retriever.Rescorer r -> {
                int window = r.rankWindowSize();
                if (top && size.isPresent() && size.get() > window) {
                    throw new EngineException("action_request_validation_exception", "Validation Failed: 1: [rescorer] requires [window_size: "
                            + window + "] be greater than or equal to [size: " + size.get() + "];", 400);
                }
                var childWindow = switch (r.retriever()) {
                    case Retriever.Rescorer child -> Optional.of(child.rankWindowSize());
                    case Retriever.Rrf child -> Optional.of(child.effectiveRankWindowSize());
                    case Retriever.Linear child -> Optional.of(child.effectiveRankWindowSize());
                    case Retriever.Standard child -> Optional.<Integer>empty();
                    case Retriever.Knn child -> Optional.<Integer>empty();
                };
                if (childWindow.isPresent() && window > childWindow.get()) {
                    throw new EngineException("action_request_validation_exception", "Validation Failed: 1: [rescorer] requires [window_size: "
                            + window + "] to be smaller than or equal to its sub retriever's " + r.retriever().type()
                            + " [rank_window_size: " + childWindow.get() + "];", 400);
                }
                validateRetrieverTree(r.retriever(), size, false);
            }
            case Retriever.Knn k -> {
                // Checked when its query is built: the field and vector need the index's mappings.
            }
            case Retriever.Rrf r -> {
                checkSizeFits(r, r.effectiveRankWindowSize(), size, top);
                r.retrievers().forEach(c -> validateRetrieverTree(c.retriever(), size, false));
            }
            case Retriever.Linear l -> {
                checkSizeFits(l, l.effectiveRankWindowSize(), size, top);
                l.retrievers().forEach(c -> validateRetrieverTree(c.retriever(), size, false));
            }
        }
    }

    /** Elasticsearch's check that a compound retriever's window holds the requested {@code size} (not from + size). */
    private static void checkSizeFits(Retriever compound, int window, Optional<Integer> size, boolean top) {
        if (top && size.isPresent() && size.get() > window) {
            throw new EngineException("action_request_validation_exception", "Validation Failed: 1: [" + compound.type()
                    + "] requires [rank_window_size: " + window + "] be greater than or equal to [size: " + size.get() + "];", 400);
        }
    }

    /** The query of a standard retriever with every pre-filter (its own and its parents') as bool filters. */
    private org.apache.lucene.search.Query standardQuery(Retriever.Standard s, List<Query> parentFilters) {
        var query = compiler.compileCached(s.query().orElse(new Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty())));
        var filters = new ArrayList<Query>(s.filter());
        filters.addAll(parentFilters);
        if (filters.isEmpty()) {
            return query;
        }
        var bool = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST);
        filters.forEach(f -> bool.add(compiler.compileCached(f), BooleanClause.Occur.FILTER));
        return bool.build();
    }

    /**
     * The query phase and rescore phase of one (sub-)search: collects {@code max(top, windows)} first-pass hits
     * (collapsed to group heads when asked), then applies the rescorers in order unless {@code skipRescore}.
     */
    private Ranked search(
            org.apache.lucene.search.Query query, Optional<Float> minScore, List<Rescore> rescores, int top,
            boolean skipRescore, Optional<Collapse> collapse, Tracking tracking, List<SortField> sort) throws IOException {
        validateSort(sort, !rescores.isEmpty());
        var rescorers = bind(rescores);
        int numDocs = top;
        for (var r : rescorers) {
            numDocs = Math.max(numDocs, r.window());
        }
        var firstPass = minScore.isPresent() ? new MinScoreQuery(query, minScore.get()) : query;
        long firstPassStart = System.nanoTime();
        ScoreDoc[] docs;
        Optional<SearchResponse.Total> total;
        var after = searchAfter;
        searchAfter = List.of();
        var scrollFrom = scrollAfter;
        scrollAfter = null;
        if (!FieldSort.byScore(sort) || !after.isEmpty()) {
            var fieldSort = FieldSort.of(sort.isEmpty() ? List.of(new SortField(Span.NONE, "_score", Optional.empty())) : sort, index);
            var afterDoc = scrollFrom instanceof org.apache.lucene.search.FieldDoc fieldDoc ? fieldDoc
                    : after.isEmpty() ? null : fieldSort.after(after);
            if (collapse.isPresent()) {
                // Heads by sort order: every match is ranked, then the first of each group is kept.
                int all = Math.max(1, searcher.getIndexReader().maxDoc());
                var ranked = searcher.search(firstPass, new TopFieldCollectorManager(fieldSort.sort(), all, afterDoc, Integer.MAX_VALUE));
                var heads = new Collapser(searcher, index, collapse.get().field()).collapse(ranked.scoreDocs);
                docs = Arrays.copyOf(heads, Math.min(numDocs, heads.length));
                total = totalOf(ranked.totalHits.value(), true, tracking);
            } else {
                int threshold = tracking.enabled() ? tracking.threshold() : Math.max(numDocs, 1);
                var topDocs = searcher.search(firstPass,
                        new TopFieldCollectorManager(fieldSort.sort(), Math.max(numDocs, 1), afterDoc, threshold));
                docs = Arrays.copyOf(topDocs.scoreDocs, Math.min(numDocs, topDocs.scoreDocs.length));
                total = totalOf(topDocs.totalHits.value(), topDocs.totalHits.relation() == TotalHits.Relation.EQUAL_TO, tracking);
            }
            if (fieldSort.tracksScores() || trackScores) {
                org.apache.lucene.search.TopFieldCollector.populateScores(docs, searcher, firstPass);
            }
            if (trackScores) {
                trackedMaxScore = HitExtras.maxScore(searcher, firstPass);
            }
        } else if (collapse.isPresent()) {
            var heads = new Collapser(searcher, index, collapse.get().field()).search(firstPass);
            docs = Arrays.copyOf(heads.heads(), Math.min(numDocs, heads.heads().length));
            total = totalOf(heads.totalMatches(), true, tracking);
        } else {
            int threshold = tracking.enabled() ? tracking.threshold() : Math.max(numDocs, 1);
            var topDocs = searcher.search(firstPass, new TopScoreDocCollectorManager(Math.max(numDocs, 1), scrollFrom, threshold));
            // The collector's hits belong to this search alone, so rescorers may work on them in place.
            docs = topDocs.scoreDocs.length <= numDocs ? topDocs.scoreDocs : Arrays.copyOf(topDocs.scoreDocs, numDocs);
            total = totalOf(topDocs.totalHits.value(), topDocs.totalHits.relation() == TotalHits.Relation.EQUAL_TO, tracking);
        }
        firstPassNanos += System.nanoTime() - firstPassStart;
        var windows = new ArrayList<Set<Integer>>();
        if (!skipRescore) {
            docs = rescore(docs, rescorers, windows);
        }
        return new Ranked(docs, total, chained(firstPassExplainer(firstPass), rescorers, windows));
    }

    /** How the first pass {@code firstPass} explains a document: Lucene's explanation of the compiled query. */
    private Explainer firstPassExplainer(org.apache.lucene.search.Query firstPass) {
        return doc -> searcher.explain(firstPass, doc);
    }

    /**
     * {@code base}'s explanation of a document, then that of each rescorer in order, given whether the document was in
     * its window ({@code windows} lists the windows of the rescorers that ran); the one way hits and the explain API
     * are explained.
     */
    private static Explainer chained(Explainer base, List<WindowRescorer> rescorers, List<Set<Integer>> windows) {
        return doc -> {
            var explanation = base.explain(doc);
            for (int i = 0; i < windows.size(); i++) {
                explanation = rescorers.get(i).explain(doc, explanation, windows.get(i).contains(doc));
            }
            return explanation;
        };
    }

    /**
     * Applies {@code rescorers} in order, noting each one's window in {@code windows} for explain. Under a
     * {@code timeout}, as in Elasticsearch, rescoring that the deadline cuts short is dropped as a whole: when the
     * deadline has passed before a stage begins (the first pass timed out, or an earlier stage ran past it), the hits
     * keep their first-pass order and scores and the response is {@code timed_out}. A stage that has begun runs to
     * its end.
     */
    private ScoreDoc[] rescore(ScoreDoc[] docs, List<WindowRescorer> rescorers, List<Set<Integer>> windows)
            throws IOException {
        if (rescorers.isEmpty()) {
            return docs;
        }
        var timeout = searcher.getTimeout();
        // Rescorers work in place, so the first-pass order is copied when it may have to be restored.
        var firstPass = timeout == null ? null : WindowRescorer.copy(docs);
        var ranked = docs;
        for (var rescorer : rescorers) {
            if (timeout != null && (searcher.timedOut() || timeout.shouldExit())) {
                windows.clear();
                rescoreTimedOut = true;
                return firstPass;
            }
            windows.add(explain ? window(ranked, rescorer.window()) : Set.of());
            ranked = rescorer.rescore(ranked);
        }
        return ranked;
    }

    private static Set<Integer> window(ScoreDoc[] docs, int window) {
        var set = new HashSet<Integer>();
        for (int i = 0; i < Math.min(window, docs.length); i++) {
            set.add(docs[i].doc);
        }
        return set;
    }

    private static Optional<SearchResponse.Total> totalOf(long count, boolean exact, Tracking tracking) {
        if (!tracking.enabled()) {
            return Optional.empty();
        }
        if (count > tracking.threshold() || !exact) {
            return Optional.of(new SearchResponse.Total(Math.min(count, tracking.threshold()), false));
        }
        return Optional.of(new SearchResponse.Total(count, true));
    }

    /**
     * A {@code rescorer} retriever: its child's top hits (a standard child runs as a sub-search with the rescorers
     * appended; a rescorer child's ranked list is rescored as is), cut to the smallest rescore window.
     */
    private Ranked rescorerRetriever(Retriever.Rescorer retriever, List<Query> parentFilters, Tracking tracking) throws IOException {
        int window = retriever.rankWindowSize();
        var filters = new ArrayList<Query>(retriever.filter());
        filters.addAll(parentFilters);
        Ranked ranked = switch (retriever.retriever()) {
            case Retriever.Standard s -> search(standardQuery(s, filters), s.minScore(), retriever.rescore(), window, window == 0,
                    s.collapse(), tracking, s.sort());
            // Other children hand up their ranked list (a compound child its merged list), which is rescored as is.
            case Retriever.Rescorer child -> rescoreList(retrieve(child, filters, window, tracking), retriever.rescore(), window);
            case Retriever.Knn child -> rescoreList(retrieve(child, filters, window, tracking), retriever.rescore(), window);
            case Retriever.Rrf child -> rescoreList(retrieve(child, filters, window, tracking), retriever.rescore(), window);
            case Retriever.Linear child -> rescoreList(retrieve(child, filters, window, tracking), retriever.rescore(), window);
        };
        var docs = ranked.docs().length > window ? Arrays.copyOf(ranked.docs(), window) : ranked.docs();
        return new Ranked(docs, ranked.total(), ranked.explainer());
    }

    /** A compound retriever's list with the request's {@code collapse} applied (group heads in fused order). */
    private Ranked collapsed(Ranked ranked, SearchRequest request) throws IOException {
        if (request.collapse().isEmpty()) {
            return ranked;
        }
        var collapser = new Collapser(searcher, index, request.collapse().get().field());
        return new Ranked(collapser.collapse(ranked.docs()), ranked.total(), ranked.explainer());
    }

    /** No hit counting: children of compound retrievers hand up hits only. */
    private static final Tracking NOT_COUNTED = new Tracking(0);

    /**
     * Runs {@code retriever} as a sub-search for its best {@code top} hits, with {@code parentFilters} (the
     * pre-filters of every compound ancestor) applied as Elasticsearch propagates them.
     */
    private Ranked retrieve(Retriever retriever, List<Query> parentFilters, int top, Tracking tracking) throws IOException {
        long start = System.nanoTime();
        Ranked ranked = switch (retriever) {
            case Retriever.Standard s -> search(standardQuery(s, parentFilters), s.minScore(), List.of(), top, false,
                    s.collapse(), tracking, s.sort());
            case Retriever.Knn k -> search(knnQuery(k, parentFilters, top), k.minScore(), List.of(), top, false,
                    Optional.empty(), tracking, List.of());
            case Retriever.Rescorer r -> rescorerRetriever(r, parentFilters, tracking);
            case Retriever.Rrf r -> fuse(r, r.retrievers().stream().map(Retriever.Rrf.Component::retriever).toList(),
                    r.effectiveRankWindowSize(), parentFilters, tracking);
            case Retriever.Linear l -> fuse(l, l.retrievers().stream().map(Retriever.Linear.Component::retriever).toList(),
                    l.effectiveRankWindowSize(), parentFilters, tracking);
        };
        retrieverProfiles.add(new RetrieverProfile(retriever.type(), retriever.name(), System.nanoTime() - start,
                ranked.docs().length));
        return ranked;
    }

    /** One retriever node's run, for the profile: its type, {@code _name}, time and hits handed up. */
    private record RetrieverProfile(String type, Optional<String> name, long nanos, int hits) {}

    private final List<RetrieverProfile> retrieverProfiles = new ArrayList<>();

    /** Every pre-filter that applies to {@code retriever}'s children: its own, then its ancestors'. */
    private static List<Query> withFilters(List<Query> own, List<Query> parentFilters) {
        var filters = new ArrayList<Query>(own);
        filters.addAll(parentFilters);
        return filters;
    }

    /**
     * An {@code rrf} or {@code linear} retriever: each child runs for {@code window} hits under the propagated
     * pre-filters, the lists are fused ({@link Fusion}) and cut to the window; the total counts every document any
     * child matches, as Elasticsearch's final query over the children's queries does.
     */
    private Ranked fuse(Retriever compound, List<Retriever> children, int window, List<Query> parentFilters, Tracking tracking)
            throws IOException {
        var filters = withFilters(compound.filter(), parentFilters);
        var childRanked = new ArrayList<Ranked>();
        var rankings = new ArrayList<Fusion.Ranking>();
        for (var child : children) {
            var ranked = retrieve(child, filters, window, NOT_COUNTED);
            childRanked.add(ranked);
            var docs = new int[ranked.docs().length];
            var scores = new float[docs.length];
            for (int i = 0; i < docs.length; i++) {
                docs[i] = ranked.docs()[i].doc;
                scores[i] = ranked.docs()[i].score;
            }
            rankings.add(new Fusion.Ranking(docs, scores));
        }
        Fusion.Ranking fused;
        Explainer explainer;
        switch (compound) {
            case Retriever.Rrf r -> {
                var weights = new float[children.size()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = r.retrievers().get(i).effectiveWeight();
                }
                fused = Fusion.rrf(rankings, weights, r.effectiveRankConstant(), window);
                explainer = rrfExplainer(r, rankings, childRanked, fused);
            }
            case Retriever.Linear l -> {
                var weights = new float[children.size()];
                var normalizers = new Fusion.Normalizer[children.size()];
                for (int i = 0; i < weights.length; i++) {
                    var component = l.retrievers().get(i);
                    weights[i] = component.effectiveWeight();
                    normalizers[i] = Fusion.Normalizer.byName(component.effectiveNormalizer(l.normalizer()).keyword())
                            .orElseThrow();
                }
                fused = Fusion.linear(rankings, weights, normalizers, window, l.minScore());
                explainer = linearExplainer(l, weights, normalizers, rankings, childRanked, fused);
            }
            case Retriever.Standard s -> throw new IllegalStateException("not a fusing retriever: " + s.type());
            case Retriever.Knn k -> throw new IllegalStateException("not a fusing retriever: " + k.type());
            case Retriever.Rescorer r -> throw new IllegalStateException("not a fusing retriever: " + r.type());
        }
        var docs = new ScoreDoc[fused.size()];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = new ScoreDoc(fused.docs()[i], fused.scores()[i]);
        }
        Optional<SearchResponse.Total> total = Optional.empty();
        if (tracking.enabled()) {
            var counted = searcher.count(matchQuery(compound, parentFilters, window));
            total = totalOf(counted, true, tracking);
        }
        return new Ranked(docs, total, explainer);
    }

    private static int rankOf(Fusion.Ranking ranking, int doc) {
        for (int i = 0; i < ranking.size(); i++) {
            if (ranking.docs()[i] == doc) {
                return i;
            }
        }
        return -1;
    }

    private static float scoreOf(Fusion.Ranking ranking, int doc) {
        for (int i = 0; i < ranking.size(); i++) {
            if (ranking.docs()[i] == doc) {
                return ranking.scores()[i];
            }
        }
        return 0;
    }

    /** Elasticsearch's wording for an rrf hit: its rank in every child and the child's own explanation. */
    private static Explainer rrfExplainer(Retriever.Rrf rrf, List<Fusion.Ranking> rankings, List<Ranked> children,
            Fusion.Ranking fused) {
        int constant = rrf.effectiveRankConstant();
        return doc -> {
            var details = new ArrayList<Explanation>();
            var ranks = new ArrayList<String>();
            for (int i = 0; i < rankings.size(); i++) {
                int rank = rankOf(rankings.get(i), doc);
                ranks.add(rank < 0 ? "-1" : Integer.toString(rank + 1));
                if (rank < 0) {
                    details.add(Explanation.noMatch("rrf score: [0], result not found in query at index [" + i + "]"));
                } else {
                    float score = rrf.retrievers().get(i).effectiveWeight() * (1.0f / (constant + rank + 1));
                    details.add(Explanation.match(score, "rrf score: [" + score + "], for rank [" + (rank + 1)
                            + "] in query at index [" + i + "] computed as [1 / (" + (rank + 1) + " + " + constant
                            + ")], for matching query with score", children.get(i).explainer().explain(doc)));
                }
            }
            float total = scoreOf(fused, doc);
            return Explanation.match(total, "rrf score: [" + total + "] computed for initial ranks " + ranks
                    + " with rankConstant: [" + constant + "] as sum of [1 / (rank + rankConstant)] for each query"
                    + rrf.name().map(n -> " in retriever [" + n + "]").orElse(""), details);
        };
    }

    /** A linear hit's explanation: the weighted normalized score of every child that returned it. */
    private static Explainer linearExplainer(Retriever.Linear linear, float[] weights, Fusion.Normalizer[] normalizers,
            List<Fusion.Ranking> rankings, List<Ranked> children, Fusion.Ranking fused) {
        var normalized = new ArrayList<float[]>();
        for (int i = 0; i < rankings.size(); i++) {
            normalized.add(normalizers[i].normalize(rankings.get(i).scores()));
        }
        return doc -> {
            var details = new ArrayList<Explanation>();
            for (int i = 0; i < rankings.size(); i++) {
                int rank = rankOf(rankings.get(i), doc);
                if (rank < 0) {
                    details.add(Explanation.noMatch("weighted score: [0], result not found in query at index [" + i + "]"));
                } else {
                    float value = normalized.get(i)[rank];
                    details.add(Explanation.match(weights[i] * value, "weighted score: [" + (weights[i] * value)
                            + "] in query at index [" + i + "] computed as [" + weights[i] + " * " + value + "] using score "
                            + "normalizer [" + normalizers[i].esName() + "] for original matching query with score:",
                            children.get(i).explainer().explain(doc)));
                }
            }
            float total = scoreOf(fused, doc);
            return Explanation.match(total, "weighted linear combination score: [" + total + "] computed for normalized "
                    + "scores and weights as sum of (weight[i] * score[i]) for each query"
                    + linear.name().map(n -> " in retriever [" + n + "]").orElse(""), details);
        };
    }

    /** The rescorers applied in order to a child's ranked list, cut to {@code window}; explanations chained. */
    private Ranked rescoreList(Ranked inner, List<Rescore> rescores, int window) throws IOException {
        var rescorers = bind(rescores);
        var docs = inner.docs();
        var windows = new ArrayList<Set<Integer>>();
        if (window > 0) {
            docs = rescore(docs, rescorers, windows);
        }
        return new Ranked(docs, inner.total(), chained(inner.explainer(), rescorers, windows));
    }

    /** Compiled pre-filters as one filter query, or none. */
    private Optional<org.apache.lucene.search.Query> filterQuery(List<Query> filters) {
        if (filters.isEmpty()) {
            return Optional.empty();
        }
        var bool = new BooleanQuery.Builder();
        filters.forEach(f -> bool.add(compiler.compile(f), BooleanClause.Occur.FILTER));
        return Optional.of(bool.build());
    }

    /**
     * Elasticsearch's default {@code num_candidates}: one and a half times {@code k}, capped at 10,000 but never under
     * {@code k}.
     */
    private static int defaultCandidates(int k) {
        return Math.max(k, Math.min(KnnQuery.MAX_NUM_CANDIDATES, (int) Math.ceil(k * 1.5)));
    }

    /** A knn retriever's query: its filters and its ancestors' pre-filters restrict the graph search. */
    private org.apache.lucene.search.Query knnQuery(Retriever.Knn knn, List<Query> parentFilters, int top) {
        int k = knn.k().orElse(Math.max(1, top));
        int candidates = knn.numCandidates().orElse(defaultCandidates(k));
        return KnnQuery.build(index, knn.field(), knn.queryVector().values(), k, candidates,
                filterQuery(withFilters(knn.filter(), parentFilters)), knn.similarity(), Optional.empty());
    }

    /**
     * The classic search's first-pass query: the {@code query} (match_all without one), or with top-level {@code knn}
     * searches their union, scores summed, as Elasticsearch combines them (a knn alone replaces match_all).
     */
    private org.apache.lucene.search.Query classicQuery(SearchRequest request, int size) {
        if (request.knn().isEmpty()) {
            return compiler.compileCached(request.query().orElse(new Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty())));
        }
        var union = new BooleanQuery.Builder();
        request.query().ifPresent(q -> union.add(compiler.compile(q), BooleanClause.Occur.SHOULD));
        for (var knn : request.knn()) {
            // Elasticsearch's k defaults to the request's size.
            int k = knn.k().orElse(Math.max(1, size));
            int candidates = knn.numCandidates().orElse(defaultCandidates(k));
            var query = KnnQuery.build(index, knn.field(), knn.queryVector().values(), k, candidates,
                    filterQuery(knn.filter()), knn.similarity(), knn.boost());
            if (knn.name().isPresent()) {
                query = compiler.named(knn.name().get(), query);
            }
            union.add(query, BooleanClause.Occur.SHOULD);
        }
        return union.build();
    }

    /**
     * The documents a retriever tree matches, for {@code hits.total} of compound retrievers and for aggregations: a
     * standard retriever's query and filters, a knn retriever's hits, and the union of a compound's children.
     */
    private org.apache.lucene.search.Query matchQuery(Retriever retriever, List<Query> parentFilters, int top) {
        return switch (retriever) {
            case Retriever.Standard s -> s.minScore().isPresent()
                    ? new MinScoreQuery(standardQuery(s, parentFilters), s.minScore().get())
                    : standardQuery(s, parentFilters);
            case Retriever.Knn k -> knnQuery(k, parentFilters, top);
            case Retriever.Rescorer r -> matchQuery(r.retriever(), withFilters(r.filter(), parentFilters), r.rankWindowSize());
            case Retriever.Rrf r -> union(r.retrievers().stream().map(Retriever.Rrf.Component::retriever).toList(),
                    withFilters(r.filter(), parentFilters), r.effectiveRankWindowSize());
            case Retriever.Linear l -> union(l.retrievers().stream().map(Retriever.Linear.Component::retriever).toList(),
                    withFilters(l.filter(), parentFilters), l.effectiveRankWindowSize());
        };
    }

    private org.apache.lucene.search.Query union(List<Retriever> children, List<Query> filters, int window) {
        var bool = new BooleanQuery.Builder();
        for (var child : children) {
            bool.add(matchQuery(child, filters, window), BooleanClause.Occur.SHOULD);
        }
        return bool.build();
    }

    /** Every aggregation over every document {@code query} matches, in one pass. */
    private List<TermsAggregator.Result> aggregate(Map<String, dev.rankql.ast.Aggregation> aggregations,
            org.apache.lucene.search.Query query) throws IOException {
        var aggregators = new ArrayList<TermsAggregator>();
        aggregations.forEach((name, aggregation) -> aggregators.add(switch (aggregation) {
            case dev.rankql.ast.Aggregation.Terms t -> TermsAggregator.of(name, index.resolve(t.field()),
                    index.fields().get(index.resolve(t.field())),
                    shard ? Integer.MAX_VALUE : t.effectiveSize());
        }));
        var manager = new org.apache.lucene.search.MultiCollectorManager(aggregators.toArray(TermsAggregator[]::new));
        var results = searcher.search(query, manager);
        var out = new ArrayList<TermsAggregator.Result>();
        for (var result : results) {
            out.add((TermsAggregator.Result) result);
        }
        return out;
    }

    /**
     * Lucene's clause limit as Elasticsearch reports it: {@code too_many_nested_clauses} when the whole query has too
     * many clauses, {@code too_many_clauses} when one boolean query or a term expansion does; both are the client's
     * error.
     */
    static EngineException tooManyClauses(IndexSearcher.TooManyClauses e) {
        String type = e instanceof IndexSearcher.TooManyNestedClauses ? "too_many_nested_clauses" : "too_many_clauses";
        return new EngineException(type, e.getMessage() + "; it is set with -Drankql.indices.query.bool.max_clause_count",
                400);
    }

    /** Binds rescore definitions to this searcher, checking each window against {@code index.max_rescore_window}. */
    private List<WindowRescorer> bind(List<Rescore> rescores) throws IOException {
        var bound = new ArrayList<WindowRescorer>();
        for (var rescore : rescores) {
            int window = rescore.effectiveWindowSize();
            int max = index.settings().maxRescoreWindow();
            if (window > max) {
                throw EngineException.illegalArgument("Rescore window [" + window + "] is too large. It must be less than [" + max
                        + "]. This prevents allocating massive heaps for storing the results to be rescored. This limit can be set by "
                        + "changing the [index.max_rescore_window] index level setting.");
            }
            bound.add(switch (rescore) {
                case Rescore.QueryRescore q -> new QueryWindowRescorer(searcher, compiler.compile(q.rescoreQuery()), window,
                        q.queryWeight().orElse(1f), q.rescoreQueryWeight().orElse(1f), q.scoreMode().orElse(ScoreMode.TOTAL));
                case Rescore.ScriptRescore s -> new ScriptWindowRescorer(searcher, Scripts.compile(s.script(), index), window);
                case Rescore.LearningToRank l -> {
                    var deployed = models.find(l.modelId()).orElseThrow(() -> ModelRegistry.notFound(l.modelId()));
                    if (deployed.ltr().isEmpty()) {
                        throw notLearningToRank(deployed);
                    }
                    var rescorer = LtrWindowRescorer.bind(searcher, index, deployed, l.params(), window, explainTrees,
                            keepRows);
                    ltrRescorers.add(rescorer);
                    yield rescorer;
                }
            });
        }
        return bound;
    }

    /** Elasticsearch allows only {@code _score} (then {@code _shard_doc}) as the sort of a rescored search. */
    private static void validateSort(List<SortField> sort, boolean rescored) {
        if (sort.isEmpty() || !rescored) {
            return;
        }
        boolean allowed = isScoreDesc(sort.get(0)) && (sort.size() == 1
                || sort.size() == 2 && sort.get(1).field().equals("_shard_doc")
                        && sort.get(1).order().orElse(SortOrder.ASC) == SortOrder.ASC);
        if (!allowed) {
            throw EngineException.illegalArgument("Cannot use [sort] option in conjunction with [rescore].");
        }
    }

    private static boolean isScoreDesc(SortField field) {
        return field.field().equals("_score") && field.order().orElse(SortOrder.DESC) == SortOrder.DESC;
    }

    /** Weights of the {@code _name}d queries, to list each hit's {@code matched_queries}. */
    private Map<String, org.apache.lucene.search.Weight> matchers() throws IOException {
        var result = new LinkedHashMap<String, org.apache.lucene.search.Weight>();
        for (var entry : compiler.namedQueries().entrySet()) {
            result.put(entry.getKey(), searcher.createWeight(searcher.rewrite(entry.getValue()),
                    org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES, 1f));
        }
        return result;
    }

    private SearchResponse.Hit hit(
            ScoreDoc doc, org.apache.lucene.index.StoredFields storedFields, Optional<dev.rankql.ast.SourceFilter> sourceFilter,
            List<String> fetchFields, Optional<Explanation> explanation, Collapser collapser, Optional<String> collapseField,
            Map<String, org.apache.lucene.search.Weight> named, List<HitExtras.DocValueField> docValues,
            HitExtras.StoredFieldsPlan storedPlan) throws IOException {
        Set<String> load = ID_AND_SOURCE;
        if (storedPlan != HitExtras.StoredFieldsPlan.DEFAULT) {
            var names = new HashSet<>(storedPlan.luceneFields());
            // The id names the hit even when it is not shown, and the fields option reads the source.
            names.add(FieldNames.ID);
            if (!fetchFields.isEmpty()) {
                names.add(FieldNames.SOURCE);
            }
            load = names;
        }
        var stored = storedFields.document(doc.doc, load);
        var id = stored.get(FieldNames.ID);
        var sourceBytes = stored.getBinaryValue(FieldNames.SOURCE);
        byte[] unparsed = null;
        Optional<JsonNode> source = Optional.empty();
        if (sourceBytes != null && storedPlan.loadSource() && SourceFiltering.fetches(sourceFilter)) {
            // The stored-fields visitor reads each binary value into an array of its own, so a whole one needs no copy.
            var bytes = sourceBytes.offset == 0 && sourceBytes.length == sourceBytes.bytes.length
                    ? sourceBytes.bytes
                    : Arrays.copyOfRange(sourceBytes.bytes, sourceBytes.offset, sourceBytes.offset + sourceBytes.length);
            if (sourceFilter.isEmpty()) {
                // Returned whole: parsed only if someone reads it, as Elasticsearch returns _source bytes untouched.
                unparsed = bytes;
            } else {
                JsonNode parsed;
                try {
                    parsed = Json.readSource(bytes);
                } catch (JacksonException e) {
                    parsed = Json.object();
                }
                source = Optional.of(SourceFiltering.apply(parsed, sourceFilter));
            }
        }
        Map<String, List<Object>> fields = Map.of();
        if (!fetchFields.isEmpty() && sourceBytes != null) {
            JsonNode whole;
            try {
                whole = Json.SOURCE_MAPPER.readTree(
                        Arrays.copyOfRange(sourceBytes.bytes, sourceBytes.offset, sourceBytes.offset + sourceBytes.length));
            } catch (JacksonException e) {
                whole = Json.object();
            }
            fields = new LinkedHashMap<>(HitExtras.fetchFields(index, whole, fetchFields));
        }
        if (!storedPlan.fields().isEmpty()) {
            fields = new LinkedHashMap<>(fields);
            fields.putAll(HitExtras.readStoredFields(index, stored, storedPlan));
        }
        if (!docValues.isEmpty()) {
            fields = new LinkedHashMap<>(fields);
            fields.putAll(HitExtras.readDocValues(searcher, doc.doc, docValues));
        }
        if (collapser != null) {
            var values = new ArrayList<Object>();
            values.add(collapser.value(doc.doc));
            fields = new LinkedHashMap<>(fields);
            fields.put(collapseField.orElseThrow(), values);
        }
        var matched = named.isEmpty() ? List.<String>of() : matchedQueries(doc.doc, named);
        var score = Float.isNaN(doc.score) ? Optional.<Float>empty() : Optional.of(doc.score);
        if (unparsed != null) {
            return SearchResponse.Hit.withStoredSource(index.name(), id, score, unparsed, explanation, fields, FieldSort.values(doc),
                    matched, doc.doc);
        }
        return new SearchResponse.Hit(index.name(), id, score, source, explanation, fields, FieldSort.values(doc), matched, doc.doc);
    }

    /** The names of the {@code named} queries that match {@code doc}, for the hit's {@code matched_queries}. */
    private List<String> matchedQueries(int doc, Map<String, org.apache.lucene.search.Weight> named) throws IOException {
        var matched = new ArrayList<String>();
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        int target = doc - leaf.docBase;
        for (var entry : named.entrySet()) {
            var scorer = entry.getValue().scorer(leaf);
            if (scorer == null) {
                continue;
            }
            var twoPhase = scorer.twoPhaseIterator();
            var approximation = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
            if (approximation.advance(target) == target && (twoPhase == null || twoPhase.matches())) {
                matched.add(entry.getKey());
            }
        }
        return matched;
    }
}
