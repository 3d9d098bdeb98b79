package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreNormalizer;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** knn, rrf and linear retrievers, top-level knn and terms aggregations against brute-force references. */
class HybridSearchTest {

    private static final int DOCS = 300;
    private static final int DIMS = 8;
    private static final String[] TAGS = {"red", "green", "blue", "amber", "teal"};
    private static final String[] PRODUCTS = {"TV", "VCR", "Laptop"};

    @TempDir
    Path data;

    Engine engine;
    final List<Map<String, Object>> docs = new ArrayList<>();
    final Random random = new Random(2026);

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("h", """
                {"mappings": {"properties": {"text": {"type": "text"}, "tag": {"type": "keyword"},
                  "n": {"type": "integer"}, "price": {"type": "double"}, "flag": {"type": "boolean"},
                  "product": {"type": "keyword"}, "cost": {"type": "integer"},
                  "v": {"type": "dense_vector", "dims": 8, "similarity": "cosine"}}}}""");
        var sources = new ArrayList<String>();
        for (int i = 0; i < DOCS; i++) {
            var doc = new LinkedHashMap<String, Object>();
            var words = new ArrayList<String>();
            for (int w = 0, count = 1 + random.nextInt(6); w < count; w++) {
                words.add("w" + random.nextInt(12));
            }
            doc.put("text", String.join(" ", words));
            var tags = new ArrayList<String>();
            for (int t = 0, count = random.nextInt(3); t < count; t++) {
                tags.add(TAGS[random.nextInt(TAGS.length)]);
            }
            doc.put("tag", tags);
            doc.put("n", random.nextInt(6));
            doc.put("price", random.nextInt(4) * 0.5);
            doc.put("flag", random.nextBoolean());
            doc.put("product", PRODUCTS[random.nextInt(3)]);
            doc.put("cost", 10 + random.nextInt(700));
            var v = DenseVectorTest.randomUnit(random, DIMS);
            var list = new ArrayList<Double>();
            for (float x : v) {
                list.add((double) x);
            }
            doc.put("v", list);
            docs.add(doc);
            sources.add(Json.write(Json.MAPPER.valueToTree(doc)));
        }
        TestIndex.indexDocs(engine, "h", sources);
        engine.putModel("ltr-model", LtrTest.BODY, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    static Query match(String text) {
        return Ast.match("text", text);
    }

    static Retriever.Standard standard(Query query, Query... filters) {
        return new Retriever.Standard(Span.NONE, Optional.of(query), List.of(filters), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    static Retriever.Knn knn(float[] vector, int k, int candidates, Query... filters) {
        return new Retriever.Knn(Span.NONE, "v", QueryVector.of(vector), Optional.of(k), Optional.of(candidates),
                Optional.empty(), List.of(filters), Optional.empty(), Optional.empty());
    }

    static Retriever.Rrf rrf(int window, int constant, List<Query> filter, Retriever... children) {
        return new Retriever.Rrf(Span.NONE, Arrays.stream(children).map(Retriever.Rrf.Component::of).toList(),
                Optional.of(window), Optional.of(constant), filter, Optional.empty(), Optional.of("fused"));
    }

    static SearchRequest request(Retriever retriever, Integer from, Integer size) {
        return new SearchRequest(Span.NONE, Optional.empty(), Optional.of(retriever), Optional.empty(), List.of(),
                Optional.ofNullable(from), Optional.ofNullable(size), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of());
    }

    static SearchRequest withAggs(SearchRequest r, Map<String, Aggregation> aggs) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(),
                r.minScore(), r.explain(), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), aggs);
    }

    record Scored(int doc, String id, float score) {}

    List<Scored> run(SearchRequest request) {
        return engine.search("h", request).hits().stream()
                .map(h -> new Scored(h.luceneDoc(), h.id(), h.score().orElseThrow())).toList();
    }

    float[] vector() {
        return DenseVectorTest.randomUnit(random, DIMS);
    }

    Query randomQuery() {
        return match("w" + random.nextInt(12) + " w" + random.nextInt(12));
    }

    /** RRF by its formula over the children's own top lists, ties to the smaller Lucene doc. */
    static List<Scored> referenceRrf(List<List<Scored>> children, int constant, int window) {
        var scores = new LinkedHashMap<Integer, Float>();
        var ids = new HashMap<Integer, String>();
        for (var child : children) {
            for (int i = 0; i < child.size(); i++) {
                var hit = child.get(i);
                scores.merge(hit.doc(), 1.0f / (constant + i + 1), Float::sum);
                ids.put(hit.doc(), hit.id());
            }
        }
        return scores.entrySet().stream().map(e -> new Scored(e.getKey(), ids.get(e.getKey()), e.getValue()))
                .sorted(Comparator.comparing(Scored::score, Comparator.reverseOrder()).thenComparing(Scored::doc))
                .limit(window).toList();
    }

    @Test
    void rrfOverStandardAndKnnMatchesTheFormulaOverItsChildren() {
        for (int round = 0; round < 15; round++) {
            int window = 5 + random.nextInt(30);
            int constant = 1 + random.nextInt(70);
            var text = standard(randomQuery());
            var vector = knn(vector(), window, 100);
            var expected = referenceRrf(List.of(run(request(text, 0, window)), run(request(vector, 0, window))),
                    constant, window);
            var fused = run(request(rrf(window, constant, List.of(), text, vector), 0, window));
            assertThat(fused).isEqualTo(expected);
        }
    }

    @Test
    void linearMatchesWeightedNormalizedSumsOverItsChildren() {
        for (int round = 0; round < 15; round++) {
            int window = 5 + random.nextInt(30);
            var text = standard(randomQuery());
            var vector = knn(vector(), window, 100);
            float wText = 0.5f + random.nextInt(4);
            float wVector = 0.5f + random.nextInt(4);
            var children = List.of(run(request(text, 0, window)), run(request(vector, 0, window)));
            var scores = new LinkedHashMap<Integer, Float>();
            var ids = new HashMap<Integer, String>();
            float[] weights = {wText, wVector};
            for (int c = 0; c < 2; c++) {
                var child = children.get(c);
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (var hit : child) {
                    min = Math.min(min, hit.score());
                    max = Math.max(max, hit.score());
                }
                for (var hit : child) {
                    float normalized = max - min < 1e-6f ? min : (hit.score() - min) / (max - min);
                    scores.merge(hit.doc(), weights[c] * normalized, Float::sum);
                    ids.put(hit.doc(), hit.id());
                }
            }
            var expected = scores.entrySet().stream().map(e -> new Scored(e.getKey(), ids.get(e.getKey()), e.getValue()))
                    .sorted(Comparator.comparing(Scored::score, Comparator.reverseOrder()).thenComparing(Scored::doc))
                    .limit(window).toList();
            var linear = new Retriever.Linear(Span.NONE, List.of(
                    new Retriever.Linear.Component(Span.NONE, text, Optional.of(wText), Optional.empty()),
                    new Retriever.Linear.Component(Span.NONE, vector, Optional.of(wVector), Optional.empty())),
                    Optional.of(window), Optional.of(ScoreNormalizer.MINMAX), List.of(), Optional.empty(), Optional.empty());
            assertThat(run(request(linear, 0, window))).isEqualTo(expected);
        }
    }

    @Test
    void pagesComeFromTheFusedWindowAndPagesBeyondItAreShort() {
        var text = standard(match("w1 w2 w3"));
        var vector = knn(vector(), 10, 50);
        var all = run(request(rrf(12, 60, List.of(), text, vector), 0, 12));
        assertThat(all).hasSize(12);
        assertThat(run(request(rrf(12, 60, List.of(), text, vector), 5, 5))).isEqualTo(all.subList(5, 10));
        assertThat(run(request(rrf(12, 60, List.of(), text, vector), 10, 5))).isEqualTo(all.subList(10, 12));
        assertThat(run(request(rrf(12, 60, List.of(), text, vector), 20, 5))).isEmpty();
        var response = engine.search("h", request(rrf(12, 60, List.of(), text, vector), 0, 12));
        // The total counts every document any child matches, not only the window.
        long textMatches = engine.count("h", match("w1 w2 w3"));
        assertThat(response.total().orElseThrow().value()).isGreaterThanOrEqualTo(textMatches).isLessThanOrEqualTo(textMatches + 10);
    }

    @Test
    void sizeAboveTheWindowAndARescoreWindowAboveTheRrfWindowAreRefused() {
        var fused = rrf(5, 60, List.of(), standard(match("w1")), knn(vector(), 5, 20));
        assertThatThrownBy(() -> engine.search("h", request(fused, null, 6)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("[rrf] requires [rank_window_size: 5] be greater than or equal to [size: 6]");
                });
        var rescorer = new Retriever.Rescorer(Span.NONE, fused, List.of(ltr(8)), List.of(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> engine.search("h", request(rescorer, null, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).contains(
                        "[rescorer] requires [window_size: 8] to be smaller than or equal to its sub retriever's rrf [rank_window_size: 5]"));
    }

    @Test
    void filtersOfTheRrfRetrieverReachEveryChild() {
        var filter = Ast.term("product", Value.of("TV"));
        var fused = run(request(rrf(20, 60, List.of(filter), standard(match("w1 w2")), knn(vector(), 20, 100)), 0, 20));
        assertThat(fused).isNotEmpty();
        assertThat(fused).allSatisfy(hit -> assertThat(docs.get(Integer.parseInt(hit.id()) - 1).get("product")).isEqualTo("TV"));
        // The knn child found 20 TVs: the filter ran inside the graph search, not after it.
        var tvs = docs.stream().filter(d -> d.get("product").equals("TV")).count();
        assertThat(fused.size()).isEqualTo((int) Math.min(20, tvs));
    }

    static Rescore.LearningToRank ltr(int window) {
        return new Rescore.LearningToRank(Span.NONE, Optional.of(window), "ltr-model", Map.of());
    }

    @Test
    void anLtrRescorerOverRrfRescoresTheFusedWindowOnly() {
        var fused = rrf(20, 60, List.of(), standard(match("w1 w2 w3")), knn(vector(), 20, 100));
        var fusedHits = run(request(fused, 0, 20));
        var rescorer = new Retriever.Rescorer(Span.NONE, fused, List.of(ltr(10)), List.of(), Optional.empty(), Optional.empty());
        var rescored = run(request(rescorer, 0, 10));
        // The LTR model of the store example: cost <= 400 gives 5 else 2, TV 12 else 1, "two" 2, bm25 missing 1.
        var expected = fusedHits.subList(0, 10).stream().map(hit -> {
            var doc = docs.get(Integer.parseInt(hit.id()) - 1);
            float score = ((Integer) doc.get("cost") <= 400 ? 5 : 2) + (doc.get("product").equals("TV") ? 12 : 1) + 2 + 1;
            return new Scored(hit.doc(), hit.id(), score);
        }).sorted(Comparator.comparing(Scored::score, Comparator.reverseOrder()).thenComparing(Scored::doc)).toList();
        assertThat(rescored).isEqualTo(expected);
    }

    @Test
    void retrieverTreesNest() {
        var inner = rrf(15, 60, List.of(), standard(match("w4")), knn(vector(), 15, 60));
        var linear = new Retriever.Linear(Span.NONE, List.of(
                new Retriever.Linear.Component(Span.NONE, inner, Optional.of(2f), Optional.empty()),
                new Retriever.Linear.Component(Span.NONE, standard(match("w5")), Optional.of(1f), Optional.of(ScoreNormalizer.L2_NORM))),
                Optional.of(15), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        var outer = rrf(12, 10, List.of(), linear, knn(vector(), 12, 60));
        var rescorer = new Retriever.Rescorer(Span.NONE, outer, List.of(ltr(10)), List.of(), Optional.empty(), Optional.empty());
        var top = new Retriever.Rescorer(Span.NONE, rescorer, List.of(ltr(5)), List.of(), Optional.empty(), Optional.empty());
        var expectedOuter = referenceRrf(List.of(run(request(linear, 0, 12)), run(request(outer.retrievers().get(1).retriever(), 0, 12))), 10, 12);
        assertThat(run(request(outer, 0, 12))).isEqualTo(expectedOuter);
        var hits = run(request(top, 0, 5));
        assertThat(hits).hasSize(5);
        assertThat(expectedOuter.subList(0, 10).stream().map(Scored::id)).containsAll(hits.stream().map(Scored::id).toList());
        var explained = engine.search("h", withExplain(request(top, 0, 5))).hits().get(0).explanation().orElseThrow();
        assertThat(explained.toString()).contains("rrf score").contains("weighted linear combination score");
    }

    static SearchRequest withExplain(SearchRequest r) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(),
                r.minScore(), Optional.of(true), Optional.of(true), r.source(), r.trackTotalHits(), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), r.aggregations());
    }

    @Test
    void topLevelKnnJoinsTheQueryWithScoresSummed() {
        var vector = vector();
        var query = match("w7");
        var knnSearch = new KnnSearch(Span.NONE, "v", QueryVector.of(vector), Optional.of(10), Optional.of(100),
                Optional.empty(), List.of(), Optional.of(2f), Optional.empty());
        var combined = new SearchRequest(Span.NONE, Optional.empty(), Optional.empty(), Optional.of(query), List.of(),
                Optional.empty(), Optional.of(DOCS), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of(), List.of(knnSearch), Map.of());
        var queryScores = new HashMap<String, Float>();
        engine.search("h", Ast.search(query, 0, DOCS)).hits().forEach(h -> queryScores.put(h.id(), h.score().orElseThrow()));
        var knnScores = new HashMap<String, Float>();
        run(request(knn(vector, 10, 100), 0, 10)).forEach(h -> knnScores.put(h.id(), h.score()));
        var response = engine.search("h", combined);
        var union = new java.util.HashSet<>(queryScores.keySet());
        union.addAll(knnScores.keySet());
        assertThat(response.total().orElseThrow().value()).isEqualTo(union.size());
        for (var hit : response.hits()) {
            float expected = queryScores.getOrDefault(hit.id(), 0f) + 2f * knnScores.getOrDefault(hit.id(), 0f);
            assertThat(hit.score().orElseThrow()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void termsAggregationsCountEveryMatchAsABruteForceCount() {
        for (int round = 0; round < 5; round++) {
            var word = "w" + random.nextInt(12);
            int size = 1 + random.nextInt(5);
            var aggs = new LinkedHashMap<String, Aggregation>();
            aggs.put("tags", new Aggregation.Terms(Span.NONE, "tag", Optional.of(size)));
            aggs.put("ns", new Aggregation.Terms(Span.NONE, "n", Optional.of(size)));
            aggs.put("prices", new Aggregation.Terms(Span.NONE, "price", Optional.empty()));
            aggs.put("flags", new Aggregation.Terms(Span.NONE, "flag", Optional.empty()));
            aggs.put("nothing", new Aggregation.Terms(Span.NONE, "unmapped", Optional.empty()));
            var request = withAggs(Ast.search(match(word), 0, 3), aggs);
            var json = engine.search("h", request).toJson().get("aggregations");
            var matching = docs.stream().filter(d -> Arrays.asList(((String) d.get("text")).split(" ")).contains(word)).toList();
            assertThat(json.get("tags")).isEqualTo(expected(matching, "tag", size, false));
            assertThat(json.get("ns")).isEqualTo(expected(matching, "n", size, false));
            assertThat(json.get("prices")).isEqualTo(expected(matching, "price", 10, false));
            assertThat(json.get("flags")).isEqualTo(expected(matching, "flag", 10, true));
            assertThat(Json.write(json.get("nothing"))).isEqualTo(
                    "{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":[]}");
        }
    }

    @SuppressWarnings("unchecked")
    private static tools.jackson.databind.JsonNode expected(List<Map<String, Object>> matching, String field, int size, boolean bool) {
        var counts = new TreeMap<Comparable<Object>, Long>();
        for (var doc : matching) {
            var value = doc.get(field);
            var values = value instanceof List<?> list ? new java.util.HashSet<Object>(list) : java.util.Set.of(value);
            for (var v : values) {
                Object key = v instanceof Boolean b ? (Object) (b ? 1L : 0L) : v instanceof Integer i ? (Object) i.longValue() : v;
                counts.merge((Comparable<Object>) key, 1L, Long::sum);
            }
        }
        var sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<Comparable<Object>, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
        var node = Json.object();
        node.put("doc_count_error_upper_bound", 0);
        node.put("sum_other_doc_count", sorted.stream().skip(size).mapToLong(Map.Entry::getValue).sum());
        var buckets = node.putArray("buckets");
        for (var entry : sorted.subList(0, Math.min(size, sorted.size()))) {
            var b = buckets.addObject();
            switch ((Object) entry.getKey()) {
                case String s -> b.put("key", s);
                case Long l -> {
                    b.put("key", l);
                    if (bool) {
                        b.put("key_as_string", l == 1 ? "true" : "false");
                    }
                }
                case Double d -> b.put("key", d);
                default -> throw new AssertionError(entry.getKey());
            }
            b.put("doc_count", entry.getValue());
        }
        return node;
    }

    @Test
    void aggregationsUnderRrfCountTheUnionOfTheChildren() {
        var text = standard(match("w3"));
        var vector = knn(vector(), 10, 100);
        var aggs = Map.<String, Aggregation>of("products", new Aggregation.Terms(Span.NONE, "product", Optional.empty()));
        var response = engine.search("h", withAggs(request(rrf(10, 60, List.of(), text, vector), 0, 3), aggs));
        long bucketed = 0;
        for (var bucket : response.toJson().get("aggregations").get("products").get("buckets")) {
            bucketed += bucket.get("doc_count").asLong();
        }
        assertThat(bucketed).isEqualTo(response.total().orElseThrow().value());
    }

    @Test
    void knnErrorsAreElasticsearchs() {
        // As in Elasticsearch, they fail the shard: "all shards failed" caused by the real error.
        assertThatThrownBy(() -> run(request(knn(new float[] {1, 0}, 5, 10), 0, 5))).rootCause()
                .hasMessageContaining("The query vector has a different number of dimensions [2] than the document vectors [8].");
        var onText = new Retriever.Knn(Span.NONE, "text", QueryVector.of(vector()), Optional.of(5), Optional.of(10),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> run(request(onText, 0, 5))).rootCause().hasMessageContaining("[knn] queries are only supported on [dense_vector] fields");
    }

    @Test
    void theSimilarityThresholdAppliesToTheRawCosine() {
        var vector = vector();
        var all = run(request(knn(vector, 50, 300), 0, 50));
        var threshold = new Retriever.Knn(Span.NONE, "v", QueryVector.of(vector), Optional.of(50), Optional.of(300),
                Optional.of(0.5f), List.of(), Optional.empty(), Optional.empty());
        var kept = run(request(threshold, 0, 50));
        // A cosine of 0.5 is a score of (1 + 0.5) / 2 = 0.75.
        assertThat(kept).isEqualTo(all.stream().filter(h -> h.score() >= 0.75f).toList());
        assertThat(kept.size()).isLessThan(all.size());
    }

    @Test
    void profileListsTheRetrieverTree() {
        var response = engine.search("h", withExplain(request(rrf(10, 60, List.of(), standard(match("w1")), knn(vector(), 10, 20)), 0, 10)));
        var retrievers = response.profile().orElseThrow().get("shards").get(0).get("rankql").get("retrievers");
        assertThat(retrievers.findValuesAsString("type")).containsExactly("standard", "knn", "rrf");
        assertThat(retrievers.get(2).get("_name").asString()).isEqualTo("fused");
    }

    @Test
    void vectorSimilarityFeaturesAreTheKnnScoresOfTheParamVector() {
        var model = """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                   {"vector_similarity": {"feature_name": "sim", "field": "v", "query_vector": "{{query_vector}}"}}]}},
                 "definition": {"trained_model": {"tree": {"feature_names": ["sim"], "target_type": "regression",
                   "tree_structure": [{"node_index": 0, "split_feature": 0, "threshold": 0.6, "decision_type": "lt",
                     "default_left": true, "left_child": 1, "right_child": 2},
                     {"node_index": 1, "leaf_value": 1.0}, {"node_index": 2, "leaf_value": 3.0}]}}}}""";
        engine.putModel("semantic", model, false);
        var vector = vector();
        var params = new LinkedHashMap<String, Value>();
        var components = new ArrayList<Value>();
        for (float x : vector) {
            components.add(Value.of((double) x));
        }
        params.put("query_vector", new Value.Arr(components));
        var rows = engine.logFeatures("h", Ast.matchAll(), "semantic", params, List.of("100", "200"), 5);
        assertThat(rows).hasSize(7);
        for (var row : rows) {
            var doc = docs.get(Integer.parseInt(row.docId()) - 1);
            @SuppressWarnings("unchecked")
            var stored = (List<Double>) doc.get("v");
            var docVector = new float[stored.size()];
            for (int i = 0; i < docVector.length; i++) {
                docVector[i] = stored.get(i).floatValue();
            }
            assertThat(row.values()[0]).isCloseTo(dev.rankql.engine.mapping.VectorSimilarity.COSINE.score(vector, docVector),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
        // Without the parameter the feature is missing for every document (the tree sends it left: 1.0).
        var rescored = engine.search("h", Ast.search(Ast.matchAll(), 0, 3,
                new Rescore.LearningToRank(Span.NONE, Optional.of(10), "semantic", Map.of())));
        assertThat(TestIndex.scores(rescored)).containsOnly(1.0f);
    }
}
