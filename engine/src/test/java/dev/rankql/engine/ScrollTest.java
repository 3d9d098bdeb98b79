package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elasticsearch's scroll: validation messages, paging through a randomized corpus against one big search, the point
 * in time, keep-alives on an injected clock, the context limit, clearing, and the CLI's self-contained ids.
 */
class ScrollTest {

    private static final String MAPPING = """
            {"mappings": {"properties": {"title": {"type": "text"}, "n": {"type": "long"},
             "tag": {"type": "keyword"}, "numeric_group": {"type": "integer"}}}}""";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path data;

    Engine engine;
    final AtomicLong clock = new AtomicLong(1_000_000);
    int docs;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.scrollClock(clock::get);
        engine.createIndex("c", MAPPING);
        docs = fill("c", new Random(0x5C2011L), 137, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    /** Indexes {@code count} random docs in several bulk requests (so several segments); ids start at {@code first}. */
    private int fill(String index, Random random, int count, int first) {
        var words = List.of("lamp", "desk", "chair", "oak", "steel", "red", "blue");
        var ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            var title = new StringBuilder();
            int length = 1 + random.nextInt(4);
            for (int w = 0; w < length; w++) {
                title.append(words.get(random.nextInt(words.size()))).append(' ');
            }
            ndjson.append("{\"index\":{\"_id\":\"d").append(first + i).append("\"}}\n");
            ndjson.append("{\"title\":\"").append(title.toString().strip()).append("\",\"n\":").append(random.nextInt(20))
                    .append(",\"tag\":\"t").append(random.nextInt(5)).append("\",\"numeric_group\":").append(i % 3)
                    .append("}\n");
            if (i % 40 == 39 || i == count - 1) {
                var response = engine.bulk(index, new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
                assertThat(response.errors()).isFalse();
                ndjson.setLength(0);
            }
        }
        return count;
    }

    private static SearchRequest body(String json) {
        return EsJson.parseSearch(json);
    }

    private static List<String> ids(SearchResponse response) {
        return response.hits().stream().map(SearchResponse.Hit::id).toList();
    }

    /** Every hit of a scroll, page by page, checking the total of each page. */
    private List<SearchResponse.Hit> drain(ScrollResponse first, long total, List<Integer> pageSizes) {
        var hits = new ArrayList<SearchResponse.Hit>(first.response().hits());
        pageSizes.add(first.response().hits().size());
        assertThat(first.response().total().orElseThrow().value()).isEqualTo(total);
        var page = first;
        while (!page.response().hits().isEmpty()) {
            assertThat(hits).as("a scroll that never ends").hasSizeLessThanOrEqualTo((int) total);
            page = engine.scroll(page.scrollId(), Optional.of(MINUTE));
            assertThat(page.response().total().orElseThrow()).isEqualTo(new SearchResponse.Total(total, true));
            hits.addAll(page.response().hits());
            pageSizes.add(page.response().hits().size());
        }
        return hits;
    }

    private void assertSameHits(List<SearchResponse.Hit> scrolled, SearchResponse whole) {
        assertThat(scrolled.stream().map(SearchResponse.Hit::id).toList()).isEqualTo(ids(whole));
        assertThat(scrolled.stream().map(SearchResponse.Hit::score).toList())
                .isEqualTo(whole.hits().stream().map(SearchResponse.Hit::score).toList());
        assertThat(scrolled.stream().map(SearchResponse.Hit::sort).toList())
                .isEqualTo(whole.hits().stream().map(SearchResponse.Hit::sort).toList());
        assertThat(new HashSet<>(scrolled.stream().map(SearchResponse.Hit::id).toList())).hasSize(scrolled.size());
    }

    @Test
    void pagesInScoreOrderReturnEveryMatchOnceInTheOrderOfOneBigSearch() {
        var random = new Random(7);
        for (var query : List.of("lamp", "desk oak", "red blue chair")) {
            int batch = 1 + random.nextInt(17);
            var json = "{\"query\": {\"match\": {\"title\": \"" + query + "\"}}, \"size\": " + batch + "}";
            var whole = engine.search("c", body("{\"query\": {\"match\": {\"title\": \"" + query + "\"}}, \"size\": 1000}"));
            long total = whole.total().orElseThrow().value();
            var sizes = new ArrayList<Integer>();
            var scrolled = drain(engine.searchScroll("c", body(json), SearchOptions.NONE, MINUTE), total, sizes);
            assertSameHits(scrolled, whole);
            assertThat(scrolled).hasSize((int) total);
            assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(s -> s > 0 && s <= batch);
            assertThat(sizes.getLast()).isZero();
        }
    }

    @Test
    void matchAllTiesArePagedInIndexOrder() {
        var whole = engine.search("c", body("{\"size\": 1000}"));
        var scrolled = drain(engine.searchScroll("c", body("{\"size\": 10}"), SearchOptions.NONE, MINUTE), docs, new ArrayList<>());
        assertSameHits(scrolled, whole);
        assertThat(scrolled).hasSize(docs);
    }

    @Test
    void pagesSortedByFieldsFollowTheSortWithTiesByDocument() {
        for (var sort : List.of("[{\"n\": \"asc\"}]", "[{\"tag\": \"desc\"}, {\"n\": \"asc\"}]", "[{\"n\": \"desc\"}, \"_score\"]")) {
            var query = "{\"match\": {\"title\": \"lamp chair\"}}";
            var whole = engine.search("c", body("{\"query\": " + query + ", \"sort\": " + sort + ", \"size\": 1000}"));
            var first = engine.searchScroll("c", body("{\"query\": " + query + ", \"sort\": " + sort + ", \"size\": 7}"),
                    SearchOptions.NONE, MINUTE);
            var scrolled = drain(first, whole.total().orElseThrow().value(), new ArrayList<>());
            assertSameHits(scrolled, whole);
        }
    }

    @Test
    void theUrlSizeParameterSetsTheBatch() {
        var first = engine.searchScroll("c", body("{\"size\": 50}"), SearchOptions.NONE.withSize(3), MINUTE);
        assertThat(first.response().hits()).hasSize(3);
        assertThat(engine.scroll(first.scrollId(), Optional.empty()).response().hits()).hasSize(3);
    }

    @Test
    void aScrollReadsTheIndexAsItWasWhenItBegan() {
        var first = engine.searchScroll("c", body("{\"size\": 20}"), SearchOptions.NONE, MINUTE);
        var seen = new ArrayList<>(ids(first.response()));
        fill("c", new Random(99), 30, 10_000);
        engine.deleteDocument("c", seen.getFirst(), RefreshPolicy.IMMEDIATE);
        engine.deleteDocument("c", "d" + (docs - 1), RefreshPolicy.IMMEDIATE);
        assertThat(engine.search("c", body("{\"size\": 0}")).total().orElseThrow().value()).isEqualTo(docs + 30 - 2);
        var page = first;
        while (!page.response().hits().isEmpty()) {
            assertThat(seen).as("a scroll that never ends").hasSizeLessThanOrEqualTo(docs);
            page = engine.scroll(page.scrollId(), Optional.empty());
            assertThat(page.response().total().orElseThrow().value()).isEqualTo(docs);
            seen.addAll(ids(page.response()));
        }
        assertThat(seen).hasSize(docs).doesNotHaveDuplicates().noneMatch(id -> id.startsWith("d1000"))
                .contains("d" + (docs - 1));
    }

    @Test
    void aContextExpiresAfterItsKeepAliveWhichEachPageRenews() {
        var first = engine.searchScroll("c", body("{\"size\": 5}"), SearchOptions.NONE, MINUTE);
        clock.addAndGet(50_000);
        var second = engine.scroll(first.scrollId(), Optional.empty());
        clock.addAndGet(50_000);
        // 100 s after the first page, but 50 s after the second: the keep-alive was renewed.
        var third = engine.scroll(second.scrollId(), Optional.of(Duration.ofSeconds(10)));
        assertThat(ids(third.response())).doesNotContainAnyElementsOf(ids(second.response()));
        clock.addAndGet(10_001);
        assertMissing(() -> engine.scroll(third.scrollId(), Optional.of(MINUTE)), 1);
        assertThat(engine.openScrollContexts()).isZero();
    }

    @Test
    void aMissingContextIsElasticsearchsSearchContextMissingException() {
        var first = engine.searchScroll("c", body("{\"size\": 5}"), SearchOptions.NONE, MINUTE);
        var unknown = ScrollContexts.encode(42);
        assertMissing(() -> engine.scroll(unknown, Optional.empty()), 42);
        assertThat(engine.scroll(first.scrollId(), Optional.empty()).response().hits()).hasSize(5);
    }

    private static void assertMissing(Runnable call, long id) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.type()).isEqualTo("search_phase_execution_exception");
            assertThat(e.rootCause().type()).isEqualTo("search_context_missing_exception");
            assertThat(e.rootCause().reason()).isEqualTo("No search context found for id [" + id + "]");
        });
    }

    @Test
    void theNumberOfOpenContextsIsBounded() {
        engine.maxOpenScrollContexts(2);
        var a = engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        assertThatThrownBy(() -> engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.rootCause().type()).isEqualTo("too_many_scroll_contexts_exception");
                    assertThat(e.rootCause().reason()).isEqualTo("Trying to create too many scroll contexts. Must be less "
                            + "than or equal to: [2]. This limit can be set by changing the [search.max_open_scroll_context] "
                            + "setting.");
                });
        assertThat(engine.clearScroll(List.of(a.scrollId())).numFreed()).isEqualTo(1);
        engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        // Expired contexts make room as well.
        clock.addAndGet(61_000);
        engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        assertThat(engine.openScrollContexts()).isEqualTo(1);
        assertThat(ScrollRequests.DEFAULT_MAX_OPEN_SCROLL_CONTEXTS).isEqualTo(500);
    }

    @Test
    void aKeepAliveAboveTheMaximumIsRefused() {
        Consumer<Runnable> refused = call -> assertThatThrownBy(call::run).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.rootCause().type()).isEqualTo("illegal_argument_exception");
        });
        assertThatThrownBy(() -> engine.searchScroll("c", body("{}"), SearchOptions.NONE, Duration.ofDays(2)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason()).isEqualTo(
                        "Keep alive for request (2d) is too large. It must be less than (1d). This limit can be set by "
                                + "changing the [search.max_keep_alive] cluster level setting."));
        engine.maxScrollKeepAlive(Duration.ofHours(1));
        assertThatThrownBy(() -> engine.searchScroll("c", body("{}"), SearchOptions.NONE, Duration.ofMinutes(90)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().reason())
                        .startsWith("Keep alive for request (1.5h) is too large. It must be less than (1h)."));
        var first = engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        refused.accept(() -> engine.scroll(first.scrollId(), Optional.of(Duration.ofHours(2))));
        assertThat(engine.openScrollContexts()).isEqualTo(1);
    }

    private void assertValidation(String json, SearchOptions options, String reason) {
        assertThatThrownBy(() -> engine.searchScroll("c", body(json), options, MINUTE))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("action_request_validation_exception");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(reason);
                });
        assertThatThrownBy(() -> engine.searchScrollDetached("c", body(json), options, MINUTE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(engine.openScrollContexts()).isZero();
    }

    @Test
    void elasticsearchsValidationMessagesForAScroll() {
        // Elasticsearch's REST test search/110_field_collapsing.yml, "field collapsing and scroll".
        assertValidation("{\"collapse\": {\"field\": \"numeric_group\"}}", SearchOptions.NONE,
                "Validation Failed: 1: cannot use `collapse` in a scroll context;");
        assertValidation("{\"retriever\": {\"standard\": {\"query\": {\"match_all\": {}}, \"collapse\": {\"field\": \"tag\"}}}}",
                SearchOptions.NONE, "Validation Failed: 1: cannot use `collapse` in a scroll context;");
        assertValidation("{\"from\": 5}", SearchOptions.NONE, "Validation Failed: 1: using [from] is not allowed in a scroll context;");
        assertValidation("{}", SearchOptions.NONE.withFrom(1),
                "Validation Failed: 1: using [from] is not allowed in a scroll context;");
        assertValidation("{\"size\": 0}", SearchOptions.NONE, "Validation Failed: 1: [size] cannot be [0] in a scroll context;");
        assertValidation("{\"sort\": [{\"n\": \"asc\"}], \"search_after\": [3]}", SearchOptions.NONE,
                "Validation Failed: 1: [search_after] cannot be used in a scroll context;");
        assertValidation("{\"track_total_hits\": false}", SearchOptions.NONE,
                "Validation Failed: 1: disabling [track_total_hits] is not allowed in a scroll context;");
        assertValidation("{\"track_total_hits\": 100}", SearchOptions.NONE,
                "Validation Failed: 1: disabling [track_total_hits] is not allowed in a scroll context;");
        assertValidation("{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"rescore\": {\"window_size\": 10, \"query\": "
                + "{\"rescore_query\": {\"match\": {\"title\": \"desk\"}}}}}", SearchOptions.NONE,
                "Validation Failed: 1: using [rescore] is not allowed in a scroll context;");
        assertValidation("{\"from\": 2, \"size\": 0, \"track_total_hits\": false, \"collapse\": {\"field\": \"tag\"}}",
                SearchOptions.NONE, "Validation Failed: 1: disabling [track_total_hits] is not allowed in a scroll context;"
                        + "2: using [from] is not allowed in a scroll context;3: [size] cannot be [0] in a scroll context;"
                        + "4: cannot use `collapse` in a scroll context;");
        assertValidation("""
                {"retriever": {"rrf": {"retrievers": [{"standard": {"query": {"match": {"title": "lamp"}}}},
                 {"standard": {"query": {"match": {"title": "desk"}}}}]}}}""", SearchOptions.NONE,
                "Validation Failed: 1: cannot specify [rrf] and [scroll];");
        assertValidation("""
                {"retriever": {"rescorer": {"retriever": {"linear": {"retrievers": [
                   {"retriever": {"standard": {"query": {"match": {"title": "lamp"}}}}, "weight": 1},
                   {"retriever": {"standard": {"query": {"match": {"title": "desk"}}}}, "weight": 2}]}},
                 "rescore": {"window_size": 10, "query": {"rescore_query": {"match": {"title": "oak"}}}}}}}""",
                SearchOptions.NONE, "Validation Failed: 1: cannot specify [rescorer] and [scroll];"
                        + "2: cannot specify [linear] and [scroll];");
    }

    @Test
    void knnIsRefusedInAScrollWithRankqlsOwnMessage() {
        for (var json : List.of(
                "{\"knn\": {\"field\": \"v\", \"query_vector\": [1, 0], \"k\": 2, \"num_candidates\": 5}}",
                "{\"retriever\": {\"knn\": {\"field\": \"v\", \"query_vector\": [1, 0], \"k\": 2, \"num_candidates\": 5}}}")) {
            assertThatThrownBy(() -> engine.searchScroll("c", body(json), SearchOptions.NONE, MINUTE))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.reason()).startsWith("rankql does not support [knn] in a scroll context");
                    });
        }
        assertThat(engine.openScrollContexts()).isZero();
    }

    @Test
    void aStandardRetrieverScrollsLikeItsQuery() {
        var query = "{\"match\": {\"title\": \"steel\"}}";
        var whole = engine.search("c", body("{\"query\": " + query + ", \"size\": 1000}"));
        var first = engine.searchScroll("c", body("{\"retriever\": {\"standard\": {\"query\": " + query + "}}, \"size\": 4}"),
                SearchOptions.NONE, MINUTE);
        assertSameHits(drain(first, whole.total().orElseThrow().value(), new ArrayList<>()), whole);
    }

    @Test
    void aBatchAboveTheResultWindowIsRefusedWithElasticsearchsMessage() {
        engine.createIndex("small", "{\"settings\": {\"index.max_result_window\": 5}}");
        assertThatThrownBy(() -> engine.searchScroll("small", body("{\"size\": 6}"), SearchOptions.NONE, MINUTE))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("search_phase_execution_exception");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.rootCause().type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.rootCause().reason()).isEqualTo("Batch size is too large, size must be less than or equal "
                            + "to: [5] but was [6]. Scroll batch sizes cost as much memory as result windows so they are "
                            + "controlled by the [index.max_result_window] index level setting.");
                });
        assertThat(engine.searchScroll("small", body("{\"size\": 5}"), SearchOptions.NONE, MINUTE).response().hits()).isEmpty();
    }

    @Test
    void aPatternNamingOneIndexScrollsItAndSeveralIndicesAreRefusedByName() {
        var page = engine.searchScroll("c*", body("{\"size\": 500}"), SearchOptions.NONE, MINUTE);
        assertThat(page.response().hits()).hasSize(docs);
        engine.clearAllScrolls();
        engine.createIndex("c2", MAPPING);
        for (var expression : List.of("c,c2", "c*", "_all")) {
            assertThatThrownBy(() -> engine.searchScroll(expression, body("{}"), SearchOptions.NONE, MINUTE))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("scroll over several indices [c, c2]");
                    });
            assertThatThrownBy(() -> engine.searchScrollDetached(expression, body("{}"), SearchOptions.NONE, MINUTE))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(engine.openScrollContexts()).isZero();
    }

    @Test
    void aScrollOfAMissingIndexIsIndexNotFound() {
        assertThatThrownBy(() -> engine.searchScroll("nope", body("{}"), SearchOptions.NONE, MINUTE))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(engine.openScrollContexts()).isZero();
    }

    @Test
    void clearingFreesContextsAndAnswersNotFoundWhenNoneWasFreed() {
        var a = engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        var b = engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        var c = engine.searchScroll("c", body("{}"), SearchOptions.NONE, MINUTE);
        var freed = engine.clearScroll(List.of(a.scrollId(), b.scrollId()));
        assertThat(freed.numFreed()).isEqualTo(2);
        assertThat(freed.status()).isEqualTo(200);
        assertThat(freed.toJson().toString()).isEqualTo("{\"succeeded\":true,\"num_freed\":2}");
        assertMissing(() -> engine.scroll(a.scrollId(), Optional.empty()), 1);
        var again = engine.clearScroll(List.of(a.scrollId()));
        assertThat(again.numFreed()).isZero();
        assertThat(again.status()).isEqualTo(404);
        assertThat(engine.clearAllScrolls().numFreed()).isEqualTo(1);
        assertMissing(() -> engine.scroll(c.scrollId(), Optional.empty()), 3);
        assertThat(engine.clearAllScrolls().status()).isEqualTo(404);
        assertThatThrownBy(() -> engine.clearScroll(List.of("not an id!")))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("Cannot parse scroll id");
                });
        assertThatThrownBy(() -> engine.clearScroll(List.of()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo("Validation Failed: 1: no scroll ids specified;"));
        assertThatThrownBy(() -> engine.scroll(" ", Optional.empty()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo("Validation Failed: 1: scrollId is missing;"));
    }

    @Test
    void deletingTheIndexFreesItsContexts() {
        var first = engine.searchScroll("c", body("{\"size\": 3}"), SearchOptions.NONE, MINUTE);
        engine.deleteIndex("c");
        assertThat(engine.openScrollContexts()).isZero();
        assertMissing(() -> engine.scroll(first.scrollId(), Optional.empty()), 1);
    }

    @Test
    void aggregationsComeWithTheFirstPageOnly() {
        var first = engine.searchScroll("c", body("{\"size\": 50, \"aggs\": {\"tags\": {\"terms\": {\"field\": \"tag\"}}}}"),
                SearchOptions.NONE, MINUTE);
        assertThat(first.toJson().has("aggregations")).isTrue();
        assertThat(first.toJson().propertyNames().iterator().next()).isEqualTo("_scroll_id");
        assertThat(engine.scroll(first.scrollId(), Optional.empty()).toJson().has("aggregations")).isFalse();
    }

    @Test
    void concurrentScrollsEachSeeEveryDocumentOnce() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            var tasks = new ArrayList<Callable<List<String>>>();
            for (int t = 0; t < 8; t++) {
                int batch = 3 + t;
                tasks.add(() -> {
                    var page = engine.searchScroll("c", body("{\"size\": " + batch + "}"), SearchOptions.NONE, MINUTE);
                    var seen = new ArrayList<>(ids(page.response()));
                    while (!page.response().hits().isEmpty() && seen.size() <= docs) {
                        page = engine.scroll(page.scrollId(), Optional.empty());
                        seen.addAll(ids(page.response()));
                    }
                    return seen;
                });
            }
            var expected = ids(engine.search("c", body("{\"size\": 1000}")));
            for (var future : pool.invokeAll(tasks)) {
                assertThat(future.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void detachedScrollsPageTheSameWayWithoutHoldingAnything() {
        var query = "{\"query\": {\"match\": {\"title\": \"blue oak\"}}, \"sort\": [{\"tag\": \"asc\"}, \"_score\"], \"size\": 6}";
        var whole = engine.search("c", body(query.replace("\"size\": 6", "\"size\": 1000")));
        var page = engine.searchScrollDetached("c", body(query), SearchOptions.NONE, MINUTE);
        var hits = new ArrayList<>(page.response().hits());
        while (!page.response().hits().isEmpty() && hits.size() <= docs) {
            page = engine.scroll(page.scrollId(), Optional.empty());
            assertThat(page.response().total()).isEqualTo(whole.total());
            hits.addAll(page.response().hits());
        }
        assertSameHits(hits, whole);
        assertThat(engine.openScrollContexts()).isZero();
        assertThat(engine.clearScroll(List.of(page.scrollId())).numFreed()).isZero();

        var scored = engine.searchScrollDetached("c", body("{\"query\": {\"match\": {\"title\": \"red\"}}, \"size\": 4}"),
                SearchOptions.NONE, MINUTE);
        var wholeScored = engine.search("c", body("{\"query\": {\"match\": {\"title\": \"red\"}}, \"size\": 1000}"));
        var scoredHits = new ArrayList<>(scored.response().hits());
        while (!scored.response().hits().isEmpty() && scoredHits.size() <= docs) {
            scored = engine.scroll(scored.scrollId(), Optional.empty());
            scoredHits.addAll(scored.response().hits());
        }
        assertSameHits(scoredHits, wholeScored);
    }

    @Test
    void aDetachedScrollIsRefusedOnceTheIndexChangedOrItExpired() {
        var first = engine.searchScrollDetached("c", body("{\"size\": 5}"), SearchOptions.NONE, MINUTE);
        var second = engine.scroll(first.scrollId(), Optional.empty());
        clock.addAndGet(61_000);
        assertThatThrownBy(() -> engine.scroll(second.scrollId(), Optional.empty()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.rootCause().type()).isEqualTo("search_context_missing_exception");
                    assertThat(e.rootCause().reason()).contains("keep-alive [1m] has run out");
                });
        var fresh = engine.searchScrollDetached("c", body("{\"size\": 5}"), SearchOptions.NONE, MINUTE);
        fill("c", new Random(3), 1, 50_000);
        assertThatThrownBy(() -> engine.scroll(fresh.scrollId(), Optional.empty()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.rootCause().reason()).contains("the index has changed since the scroll began");
                });
        var tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "rankql-cursor:{\"index\": 3}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> engine.scroll(tampered, Optional.empty()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo("Cannot parse scroll id"));
    }

    @Test
    void humanTimesAreWrittenAsElasticsearchWritesTimeValues() {
        assertThat(ScrollRequests.humanTime(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(ScrollRequests.humanTime(Duration.ofHours(25))).isEqualTo("1d");
        assertThat(ScrollRequests.humanTime(Duration.ofHours(36))).isEqualTo("1.5d");
        assertThat(ScrollRequests.humanTime(Duration.ofSeconds(90))).isEqualTo("1.5m");
        assertThat(ScrollRequests.humanTime(Duration.ofMillis(250))).isEqualTo("250ms");
    }
}
