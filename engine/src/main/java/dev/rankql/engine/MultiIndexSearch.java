package dev.rankql.engine;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.Collapse;
import dev.rankql.ast.HitOptions;
import dev.rankql.ast.InnerHits;
import dev.rankql.ast.Query;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortField;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchExecutor;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.engine.search.TermsAggregator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.node.ObjectNode;

/**
 * A search over several indices as Elasticsearch runs one over several shards, each index being one shard: every
 * index is searched alone (its own term statistics, its own rescore windows) for its best {@code from + size} hits,
 * and the coordinator merges them by score (or by the sort values), ties broken by the index's position among the
 * sorted index names and then by document order, collapses groups across indices, fetches inner hits for the merged
 * groups over every index, sums the totals and reduces the terms aggregations.
 */
final class MultiIndexSearch {

    /** Runs the request on one index as a shard ({@link SearchExecutor#executeShard}) with the given URL options. */
    @FunctionalInterface
    interface ShardSearch {
        SearchResponse run(String index, SearchOptions options);
    }

    /** Runs a whole search (an inner-hits group search) over the same indices. */
    @FunctionalInterface
    interface GroupSearch {
        SearchResponse run(SearchRequest request);
    }

    /** One shard's hit and the position of its index among the searched indices. */
    private record Entry(SearchResponse.Hit hit, int shard) {}

    /** The group key of hits without a collapse value. */
    private static final Object MISSING = new Object();

    private MultiIndexSearch() {}

    /** Searches {@code names} (sorted, more or fewer than one) and merges the answers. */
    static SearchResponse search(List<String> names, SearchRequest request, SearchOptions options, ShardSearch shards,
            GroupSearch groups) {
        long start = System.nanoTime();
        refuseUnsupported(request);
        int from = options.from().or(request::from).orElse(0);
        int size = options.size().or(request::size).orElse(SearchExecutor.DEFAULT_SIZE);
        var responses = new ArrayList<SearchResponse>(names.size());
        for (var name : names) {
            responses.add(shards.run(name, options));
        }
        var entries = new ArrayList<Entry>();
        for (int shard = 0; shard < responses.size(); shard++) {
            for (var hit : responses.get(shard).hits()) {
                entries.add(new Entry(hit, shard));
            }
        }
        entries.sort(order(effectiveSort(request)));
        var collapse = collapseOf(request);
        List<Entry> merged = entries;
        if (collapse.isPresent()) {
            var seen = new HashSet<Object>();
            merged = new ArrayList<>();
            for (var entry : entries) {
                if (seen.add(groupKey(entry.hit(), collapse.get().field()))) {
                    merged.add(entry);
                }
            }
        }
        var page = merged.size() <= from ? List.<Entry>of() : merged.subList(from, Math.min(merged.size(), from + size));
        var hits = new ArrayList<SearchResponse.Hit>(page.size());
        for (var entry : page) {
            var hit = entry.hit();
            if (collapse.isPresent() && !collapse.get().innerHits().isEmpty()) {
                hit = hit.withInnerHits(innerHits(request, collapse.get(), hit, groups));
            }
            hits.add(hit);
        }
        Optional<Float> maxScore = Optional.empty();
        if (size > 0) {
            for (var response : responses) {
                if (response.maxScore().isPresent()) {
                    maxScore = Optional.of(Math.max(maxScore.orElse(Float.NEGATIVE_INFINITY), response.maxScore().get()));
                }
            }
        }
        boolean timedOut = responses.stream().anyMatch(SearchResponse::timedOut);
        boolean terminatedEarly = responses.stream().anyMatch(SearchResponse::terminatedEarly);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        var response = new SearchResponse(took, total(request, responses), maxScore, hits, Optional.empty(),
                reduceAggregations(request, responses), timedOut, terminatedEarly, names.size());
        var profile = profile(responses);
        return profile.isPresent() ? response.withProfile(profile.get()) : response;
    }

    /**
     * Elasticsearch runs compound retrievers and knn searches over several shards with steps of its own (each child
     * across every shard before the fusion; a global top k before the query phase); rankql does not yet, and says so
     * rather than answer differently.
     */
    private static void refuseUnsupported(SearchRequest request) {
        if (!request.knn().isEmpty()) {
            throw EngineException.illegalArgument("rankql does not support top-level [knn] in a search over several indices: "
                    + "search one index");
        }
        request.retriever().ifPresent(MultiIndexSearch::refuseRetriever);
    }

    private static void refuseRetriever(Retriever retriever) {
        switch (retriever) {
            case Retriever.Standard s -> {
                // Runs on each index as a plain query, as Elasticsearch rewrites it.
            }
            case Retriever.Rescorer r -> refuseRetriever(r.retriever());
            case Retriever.Knn k -> throw unsupportedRetriever(k);
            case Retriever.Rrf r -> throw unsupportedRetriever(r);
            case Retriever.Linear l -> throw unsupportedRetriever(l);
        }
    }

    private static EngineException unsupportedRetriever(Retriever retriever) {
        return EngineException.illegalArgument("rankql does not support the [" + retriever.type() + "] retriever in a search "
                + "over several indices: search one index, or use the standard and rescorer retrievers");
    }

    /** The sort the hits were ranked by: the request's, or its standard retriever's. */
    private static List<SortField> effectiveSort(SearchRequest request) {
        if (!request.sort().isEmpty()) {
            return request.sort();
        }
        return request.retriever().map(MultiIndexSearch::standardOf).flatMap(s -> s).map(Retriever.Standard::sort)
                .orElse(List.of());
    }

    /** The standard retriever at the bottom of a chain of rescorer retrievers, if that is what the tree is. */
    private static Optional<Retriever.Standard> standardOf(Retriever retriever) {
        return switch (retriever) {
            case Retriever.Standard s -> Optional.of(s);
            case Retriever.Rescorer r -> standardOf(r.retriever());
            case Retriever.Knn k -> Optional.empty();
            case Retriever.Rrf r -> Optional.empty();
            case Retriever.Linear l -> Optional.empty();
        };
    }

    private static Optional<Collapse> collapseOf(SearchRequest request) {
        if (request.collapse().isPresent()) {
            return request.collapse();
        }
        return request.retriever().flatMap(r -> r instanceof Retriever.Standard s ? s.collapse() : Optional.empty());
    }

    /**
     * Elasticsearch's merge order: the sort values (when the hits carry them) or the score descending, then the
     * shard's position, then the document's.
     */
    private static Comparator<Entry> order(List<SortField> sort) {
        Comparator<Entry> first = (a, b) -> {
            var x = a.hit().sort();
            var y = b.hit().sort();
            if (!x.isEmpty() && x.size() == y.size() && x.size() == sort.size()) {
                for (int i = 0; i < x.size(); i++) {
                    var key = sort.get(i);
                    boolean descending = key.order().orElse(key.field().equals("_score") ? SortOrder.DESC : SortOrder.ASC)
                            == SortOrder.DESC;
                    int c = compareSortValues(x.get(i), y.get(i), descending, key.field());
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            }
            float s = a.hit().score().orElse(Float.NaN);
            float t = b.hit().score().orElse(Float.NaN);
            if (Float.isNaN(s) || Float.isNaN(t)) {
                return Boolean.compare(Float.isNaN(s), Float.isNaN(t));
            }
            return Float.compare(t, s);
        };
        return first.thenComparingInt(Entry::shard).thenComparingInt(e -> e.hit().luceneDoc());
    }

    /** Two sort values of one key; a missing value (null) sorts last in either order, as the shards sort it. */
    private static int compareSortValues(Object a, Object b, boolean descending, String field) {
        if (a == null || b == null) {
            return Boolean.compare(a == null, b == null);
        }
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = x instanceof Long l && y instanceof Long m ? Long.compare(l, m) : Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof String x && b instanceof String y) {
            c = new BytesRef(x).compareTo(new BytesRef(y));
        } else {
            throw EngineException.illegalArgument("Can't sort on field [" + field + "] across indices: it has values of "
                    + "different types in different indices");
        }
        return descending ? -c : c;
    }

    /** The hit's collapse value as a group key: whole numbers alike whichever numeric type an index maps. */
    private static Object groupKey(SearchResponse.Hit hit, String field) {
        var values = hit.fields().get(field);
        if (values == null || values.isEmpty() || values.getFirst() == null) {
            return MISSING;
        }
        var value = values.getFirst();
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        return value;
    }

    /**
     * The inner hits of a merged group, searched as Elasticsearch's expand phase does after the merge: for each
     * section, the request's matches that share the head's collapse value, over every index of the search.
     */
    private static Map<String, SearchResponse.InnerHits> innerHits(SearchRequest request, Collapse collapse,
            SearchResponse.Hit head, GroupSearch groups) {
        var values = head.fields().get(collapse.field());
        Object value = values == null || values.isEmpty() ? null : values.getFirst();
        var base = matches(request);
        var field = collapse.field();
        var group = value == null
                ? new Query.Bool(Span.NONE, List.of(base.query()), List.of(), List.of(),
                        List.of(new Query.Exists(Span.NONE, field, Optional.empty(), Optional.empty())), Optional.empty(),
                        Optional.empty(), Optional.empty())
                : new Query.Bool(Span.NONE, List.of(base.query()), List.of(), List.of(new Query.Term(Span.NONE, field,
                        valueOf(value), Optional.empty(), Optional.empty(), Optional.empty())), List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty());
        var result = new LinkedHashMap<String, SearchResponse.InnerHits>();
        for (var section : collapse.innerHits()) {
            var sub = new SearchRequest(Span.NONE, Optional.empty(), Optional.empty(), Optional.of(group), List.of(),
                    section.from(), Optional.of(section.size().orElse(InnerHits.DEFAULT_SIZE)), base.minScore(),
                    Optional.empty(), Optional.empty(), section.source(), Optional.of(new TrackTotalHits.Flag(true)),
                    section.collapse(), section.sort(), List.of(), Optional.empty(), Map.of(), List.of(), Map.of(),
                    new HitOptions(section.version(), section.seqNoPrimaryTerm(), section.trackScores(), section.fields(),
                            section.docvalueFields(), Optional.empty()),
                    Optional.empty());
            var answer = groups.run(sub);
            var total = answer.total().orElse(new SearchResponse.Total(answer.hits().size(), true));
            result.put(section.name().orElse(field), new SearchResponse.InnerHits(total, answer.maxScore(), answer.hits()));
        }
        return result;
    }

    private static Value valueOf(Object value) {
        return switch (value) {
            case Long l -> new Value.Int(l);
            case Double d -> new Value.Dbl(d);
            case Boolean b -> new Value.Bool(b);
            default -> new Value.Str(value.toString());
        };
    }

    /** The query whose matches a request ranks, with its {@code min_score}: what a group's inner hits are drawn from. */
    private record Matches(Query query, Optional<Float> minScore) {}

    private static Matches matches(SearchRequest request) {
        var matchAll = new Query.MatchAll(Span.NONE, Optional.empty(), Optional.empty());
        if (request.retriever().isEmpty()) {
            return new Matches(request.query().orElse(matchAll), request.minScore());
        }
        var filters = new ArrayList<Query>();
        var node = request.retriever().get();
        while (node instanceof Retriever.Rescorer r) {
            filters.addAll(r.filter());
            node = r.retriever();
        }
        if (!(node instanceof Retriever.Standard s)) {
            throw unsupportedRetriever(node);
        }
        filters.addAll(0, s.filter());
        var query = s.query().orElse(matchAll);
        if (!filters.isEmpty()) {
            query = new Query.Bool(Span.NONE, List.of(query), List.of(), filters, List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }
        return new Matches(query, s.minScore());
    }

    /**
     * The summed {@code hits.total}: counted as the request asks ({@code track_total_hits}), {@code gte} when any
     * index's count is, and cut to the tracking bound as Elasticsearch's coordinator cuts it.
     */
    private static Optional<SearchResponse.Total> total(SearchRequest request, List<SearchResponse> responses) {
        long bound = request.trackTotalHits().map(t -> switch (t) {
            case TrackTotalHits.Flag f -> f.enabled() ? Long.MAX_VALUE : -1L;
            case TrackTotalHits.UpTo u -> u.limit() < 0 ? -1L : (long) u.limit();
        }).orElse((long) SearchExecutor.DEFAULT_TRACK_TOTAL_HITS);
        if (bound < 0) {
            return Optional.empty();
        }
        long sum = 0;
        boolean exact = true;
        for (var response : responses) {
            if (response.total().isEmpty()) {
                return Optional.empty();
            }
            sum += response.total().get().value();
            exact &= response.total().get().exact();
        }
        if (sum > bound) {
            return Optional.of(new SearchResponse.Total(bound, false));
        }
        return Optional.of(new SearchResponse.Total(sum, exact));
    }

    /**
     * The terms aggregations reduced as Elasticsearch reduces shards' terms: counts summed by key, then ordered by
     * count descending and key ascending and cut to {@code size}. The shards kept every bucket, so the counts are
     * exact ({@code doc_count_error_upper_bound} 0). An unmapped index adds nothing; whole and decimal numbers merge
     * as decimals; other mixes of types are Elasticsearch's error.
     */
    private static List<TermsAggregator.Result> reduceAggregations(SearchRequest request, List<SearchResponse> responses) {
        if (request.aggregations().isEmpty() || responses.isEmpty()) {
            return List.of();
        }
        var reduced = new ArrayList<TermsAggregator.Result>();
        for (var entry : request.aggregations().entrySet()) {
            var name = entry.getKey();
            int size = switch (entry.getValue()) {
                case Aggregation.Terms t -> t.effectiveSize();
            };
            var parts = new ArrayList<TermsAggregator.Result>();
            for (var response : responses) {
                response.aggregations().stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(parts::add);
            }
            var kinds = EnumSet.noneOf(TermsAggregator.Kind.class);
            parts.forEach(p -> {
                if (p.kind() != TermsAggregator.Kind.UNMAPPED) {
                    kinds.add(p.kind());
                }
            });
            TermsAggregator.Kind kind;
            if (kinds.isEmpty()) {
                kind = TermsAggregator.Kind.UNMAPPED;
            } else if (kinds.size() == 1) {
                kind = kinds.iterator().next();
            } else if (kinds.equals(EnumSet.of(TermsAggregator.Kind.LONG, TermsAggregator.Kind.DOUBLE))) {
                kind = TermsAggregator.Kind.DOUBLE;
            } else {
                throw new EngineException("aggregation_execution_exception", "Merging/Reducing the aggregations failed when "
                        + "computing the aggregation [" + name + "] because the field you gave in the aggregation query "
                        + "existed as two different types in two different indices", 400);
            }
            var counts = new HashMap<Object, Long>();
            long other = 0;
            for (var part : parts) {
                other += part.sumOtherDocCount();
                for (var bucket : part.buckets()) {
                    Object key = kind == TermsAggregator.Kind.DOUBLE && bucket.key() instanceof Long l ? (Object) l.doubleValue()
                            : bucket.key();
                    counts.merge(key, bucket.docCount(), Long::sum);
                }
            }
            var buckets = new ArrayList<TermsAggregator.Bucket>();
            counts.forEach((k, v) -> buckets.add(new TermsAggregator.Bucket(k, v)));
            buckets.sort(Comparator.comparingLong(TermsAggregator.Bucket::docCount).reversed()
                    .thenComparing(MultiIndexSearch::compareKeys));
            for (int i = size; i < buckets.size(); i++) {
                other += buckets.get(i).docCount();
            }
            reduced.add(new TermsAggregator.Result(name, kind, List.copyOf(buckets.subList(0, Math.min(size, buckets.size()))),
                    other));
        }
        return reduced;
    }

    private static int compareKeys(TermsAggregator.Bucket a, TermsAggregator.Bucket b) {
        if (a.key() instanceof String x && b.key() instanceof String y) {
            return new BytesRef(x).compareTo(new BytesRef(y));
        }
        return Double.compare(((Number) a.key()).doubleValue(), ((Number) b.key()).doubleValue());
    }

    /** The shards' {@code profile} sections as one, their {@code shards} lists joined in shard order. */
    private static Optional<ObjectNode> profile(List<SearchResponse> responses) {
        if (responses.stream().noneMatch(r -> r.profile().isPresent())) {
            return Optional.empty();
        }
        var node = Json.object();
        var shards = node.putArray("shards");
        for (var response : responses) {
            response.profile().ifPresent(p -> p.path("shards").forEach(shards::add));
        }
        return Optional.of(node);
    }
}
