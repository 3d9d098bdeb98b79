package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.engine.search.TermsAggregator;
import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches over several indices, each index one shard as in Elasticsearch: per-index statistics, the coordinator's
 * merge order, paging, collapsing and inner hits across indices, totals, aggregations, and index expressions.
 */
class MultiIndexSearchTest {

    @TempDir
    Path data;

    private Engine engine;

    /**
     * Two libraries' catalogues: "books" (an integer shelf) and "books-annex" (whose old field name "shelf" is an
     * alias of "rack"), and an unrelated "music" index.
     */
    @BeforeEach
    void libraries() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("books", """
                {"mappings": {"properties": {"title": {"type": "text"}, "shelf": {"type": "integer"},
                  "genre": {"type": "keyword"}, "pages": {"type": "integer"}}}}""");
        engine.createIndex("books-annex", """
                {"mappings": {"properties": {"title": {"type": "text"}, "rack": {"type": "integer"},
                  "shelf": {"type": "alias", "path": "rack"}, "genre": {"type": "keyword"}, "pages": {"type": "integer"}}}}""");
        engine.createIndex("music", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
        TestIndex.indexDocs(engine, "books", List.of(
                "{\"title\": \"the sea and the river\", \"shelf\": 1, \"genre\": \"novel\", \"pages\": 310}",
                "{\"title\": \"river of stones\", \"shelf\": 1, \"genre\": \"poetry\", \"pages\": 96}",
                "{\"title\": \"the long river\", \"shelf\": 1, \"genre\": \"novel\", \"pages\": 420}",
                "{\"title\": \"mountain days\", \"shelf\": 7, \"genre\": \"essay\", \"pages\": 150}",
                "{\"title\": \"river mountain sea\", \"shelf\": 7, \"genre\": \"novel\", \"pages\": 88}",
                "{\"title\": \"a quiet sea\", \"shelf\": 4, \"genre\": \"poetry\", \"pages\": 500}"));
        TestIndex.indexDocs(engine, "books-annex", List.of(
                "{\"title\": \"river songs\", \"rack\": 1, \"genre\": \"poetry\", \"pages\": 120}",
                "{\"title\": \"the sea\", \"rack\": 7, \"genre\": \"novel\", \"pages\": 150}"));
        TestIndex.indexDocs(engine, "music", List.of("{\"title\": \"river deep mountain high\"}"));
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
    }

    private SearchResponse search(String indices, String body) {
        return engine.searchIndices(indices, EsJson.parseSearch(body), SearchOptions.NONE);
    }

    private static List<String> where(SearchResponse response) {
        return response.hits().stream().map(h -> h.index() + "/" + h.id()).toList();
    }

    @Test
    void eachIndexScoresWithItsOwnStatisticsAndTheHitsMergeByScore() {
        var body = "{\"query\": {\"match\": {\"title\": \"river sea\"}}, \"size\": 20}";
        var both = search("books,books-annex", body);
        var alone = new ArrayList<SearchResponse.Hit>();
        alone.addAll(engine.search("books", EsJson.parseSearch(body)).hits());
        alone.addAll(engine.search("books-annex", EsJson.parseSearch(body)).hits());
        assertThat(both.hits()).hasSize(alone.size());
        for (var hit : both.hits()) {
            var own = alone.stream().filter(h -> h.index().equals(hit.index()) && h.id().equals(hit.id())).findFirst().orElseThrow();
            assertThat(hit.score()).isEqualTo(own.score());
        }
        var scores = TestIndex.scores(both);
        for (int i = 1; i < scores.size(); i++) {
            assertThat(scores.get(i)).isLessThanOrEqualTo(scores.get(i - 1));
        }
        assertThat(both.total().orElseThrow()).isEqualTo(new SearchResponse.Total(alone.size(), true));
        assertThat(both.maxScore()).contains(scores.getFirst());
        assertThat(both.toJson().path("_shards").path("total").asInt()).isEqualTo(2);
        assertThat(both.toJson().path("_shards").path("successful").asInt()).isEqualTo(2);
    }

    @Test
    void tiesGoToTheEarlierIndexNameThenTheEarlierDocumentAndPagesCrossIndices() {
        // match_all scores every document 1: the order is the shard order (sorted names), then document order.
        var all = search("books-annex,books", "{\"size\": 20}");
        assertThat(where(all)).containsExactly("books/1", "books/2", "books/3", "books/4", "books/5", "books/6",
                "books-annex/1", "books-annex/2");
        var page = search("books-annex,books", "{\"from\": 5, \"size\": 2}");
        assertThat(where(page)).containsExactly("books/6", "books-annex/1");
        var overridden = engine.searchIndices("books*", EsJson.parseSearch("{\"size\": 1}"), SearchOptions.NONE.withFrom(6).withSize(5));
        assertThat(where(overridden)).containsExactly("books-annex/1", "books-annex/2");
    }

    @Test
    void sortedSearchesMergeBySortValues() {
        var sorted = search("books,books-annex", "{\"sort\": [{\"pages\": \"desc\"}], \"size\": 4}");
        assertThat(where(sorted)).containsExactly("books/6", "books/3", "books/1", "books/4");
        assertThat(sorted.hits().get(3).sort()).containsExactly(150L);
        var ascending = search("books,books-annex", "{\"sort\": [{\"pages\": \"asc\"}], \"size\": 3}");
        assertThat(where(ascending)).containsExactly("books/5", "books/2", "books-annex/1");
        assertThat(ascending.maxScore()).isEmpty();
    }

    /** The scenario of Elasticsearch's "field collapsing on a field alias" test, on this test's own data. */
    @Test
    void collapseOnAnAliasGroupsAcrossIndicesAndInnerHitsComeFromEveryIndex() {
        var response = search("books-annex,books", """
                {"collapse": {"field": "shelf", "inner_hits": {"name": "same_shelf", "sort": [{"pages": "asc"}], "size": 5}},
                 "sort": [{"pages": "desc"}]}""");
        assertThat(response.total().orElseThrow()).isEqualTo(new SearchResponse.Total(8, true));
        assertThat(where(response)).containsExactly("books/6", "books/3", "books/4");
        assertThat(response.hits().stream().map(h -> h.fields().get("shelf"))).containsExactly(List.of(4L), List.of(1L),
                List.of(7L));
        var totals = response.hits().stream().map(h -> h.innerHits().get("same_shelf").total().value()).toList();
        assertThat(totals).containsExactly(1L, 4L, 3L);
        var shelfOne = response.hits().get(1).innerHits().get("same_shelf").hits();
        assertThat(shelfOne.stream().map(h -> h.index() + "/" + h.id()))
                .containsExactly("books/2", "books-annex/1", "books/1", "books/3");
        var shelfSeven = response.hits().get(2).innerHits().get("same_shelf").hits();
        assertThat(shelfSeven.stream().map(h -> h.index() + "/" + h.id()))
                .containsExactly("books/5", "books/4", "books-annex/2");
    }

    @Test
    void innerHitsAcrossIndicesCarryTheirDocValueFields() {
        var response = search("books-annex,books", """
                {"collapse": {"field": "shelf", "inner_hits": {"name": "same_shelf", "sort": [{"pages": "asc"}],
                  "docvalue_fields": ["pages", "genre"]}},
                 "sort": [{"pages": "desc"}]}""");
        var shelfSeven = response.hits().get(2).innerHits().get("same_shelf").hits();
        assertThat(shelfSeven.stream().map(h -> h.index() + "/" + h.id())).containsExactly("books/5", "books/4",
                "books-annex/2");
        assertThat(shelfSeven.stream().map(h -> h.fields().get("pages"))).containsExactly(List.of(88L), List.of(150L),
                List.of(150L));
        assertThat(shelfSeven.getLast().fields().get("genre")).containsExactly("novel");
    }

    @Test
    void searchAfterCollapsePagingAndProfileWorkAcrossIndices() {
        var after = search("books,books-annex", "{\"sort\": [{\"pages\": \"desc\"}], \"search_after\": [150], \"size\": 3}");
        assertThat(where(after)).containsExactly("books-annex/1", "books/2", "books/5");
        var secondGroup = search("books,books-annex", "{\"collapse\": {\"field\": \"genre\"}, \"sort\": [{\"pages\": \"asc\"}],"
                + " \"from\": 1, \"size\": 2}");
        // Heads by pages ascending: novel (books/5, 88), poetry (books/2, 96), essay (books/4, 150).
        assertThat(where(secondGroup)).containsExactly("books/2", "books/4");
        var profiled = search("books,books-annex", "{\"profile\": true, \"query\": {\"match\": {\"title\": \"sea\"}}}");
        var shards = profiled.profile().orElseThrow().path("shards");
        assertThat(shards.size()).isEqualTo(2);
        assertThat(shards.get(0).path("index").asString()).isEqualTo("books");
        assertThat(shards.get(1).path("index").asString()).isEqualTo("books-annex");
    }

    @Test
    void totalsFollowTrackTotalHits() {
        var bounded = search("books,books-annex", "{\"track_total_hits\": 5, \"size\": 0}");
        assertThat(bounded.total().orElseThrow()).isEqualTo(new SearchResponse.Total(5, false));
        assertThat(search("books,books-annex", "{\"track_total_hits\": false}").total()).isEmpty();
        assertThat(search("books,books-annex", "{\"track_total_hits\": true, \"size\": 0}").total().orElseThrow())
                .isEqualTo(new SearchResponse.Total(8, true));
        var count = engine.countIndices("books*", EsJson.parseQuery("{\"match\": {\"title\": \"river\"}}"), IndicesOptions.DEFAULT);
        assertThat(count.total().orElseThrow().value()).isEqualTo(5);
        assertThat(count.shards()).isEqualTo(2);
    }

    @Test
    void termsAggregationsAddUpAcrossIndices() {
        var response = search("books,books-annex", "{\"size\": 0, \"aggs\": {\"genres\": {\"terms\": {\"field\": \"genre\", \"size\": 2}}}}");
        var genres = response.aggregations().getFirst();
        assertThat(genres.buckets()).containsExactly(new TermsAggregator.Bucket("novel", 4), new TermsAggregator.Bucket("poetry", 3));
        assertThat(genres.sumOtherDocCount()).isEqualTo(1);
        var shelves = search("books,books-annex", "{\"size\": 0, \"aggs\": {\"shelves\": {\"terms\": {\"field\": \"shelf\"}}}}");
        assertThat(shelves.aggregations().getFirst().buckets()).containsExactly(new TermsAggregator.Bucket(1L, 4),
                new TermsAggregator.Bucket(7L, 3), new TermsAggregator.Bucket(4L, 1));
        // music has no genre field: it adds no buckets.
        assertThat(search("*", "{\"size\": 0, \"aggs\": {\"g\": {\"terms\": {\"field\": \"genre\"}}}}").aggregations().getFirst()
                .buckets().getFirst()).isEqualTo(new TermsAggregator.Bucket("novel", 4));
    }

    @Test
    void aggregationOfOneFieldWithDifferentTypesIsRefused() throws Exception {
        engine.createIndex("books-old", "{\"mappings\": {\"properties\": {\"genre\": {\"type\": \"long\"}}}}");
        TestIndex.indexDocs(engine, "books-old", List.of("{\"genre\": 3}"));
        assertThatThrownBy(() -> search("books,books-old", "{\"aggs\": {\"genres\": {\"terms\": {\"field\": \"genre\"}}}}"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).contains("[genres]").contains("two different types");
                });
    }

    @Test
    void indexExpressionsResolveAsElasticsearchResolvesThem() {
        assertThat(engine.resolveIndices("_all", IndicesOptions.DEFAULT)).containsExactly("books", "books-annex", "music");
        assertThat(engine.resolveIndices("*", IndicesOptions.DEFAULT)).containsExactly("books", "books-annex", "music");
        assertThat(engine.resolveIndices("music,bo*", IndicesOptions.DEFAULT)).containsExactly("books", "books-annex", "music");
        assertThat(engine.resolveIndices("*,-books*", IndicesOptions.DEFAULT)).containsExactly("music");
        assertThat(engine.resolveIndices("nothing*", IndicesOptions.DEFAULT)).isEmpty();
        assertThat(engine.resolveIndices("books,gone", new IndicesOptions(true, true))).containsExactly("books");
        assertThat(search("*", "{}").total().orElseThrow().value()).isEqualTo(9);
        assertThat(search("*", "{}").toJson().path("_shards").path("total").asInt()).isEqualTo(3);
    }

    @Test
    void aWildcardMatchingNothingIsAnEmptySearchAndAMissingNameIsA404() {
        var empty = search("nothing*", "{\"query\": {\"match\": {\"title\": \"river\"}}}");
        assertThat(empty.hits()).isEmpty();
        assertThat(empty.total().orElseThrow()).isEqualTo(new SearchResponse.Total(0, true));
        assertThat(empty.toJson().path("_shards").path("total").asInt()).isZero();
        assertThatThrownBy(() -> search("books,gone", "{}")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.type()).isEqualTo("index_not_found_exception");
            assertThat(e.reason()).isEqualTo("no such index [gone]");
            assertThat(e.status()).isEqualTo(404);
        });
        assertThatThrownBy(() -> engine.resolveIndices("nothing*", new IndicesOptions(false, false)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo("no such index [nothing*]"));
    }

    @Test
    void rescoreWindowsApplyPerIndex() {
        var body = """
                {"query": {"match": {"title": "river"}},
                 "rescore": {"window_size": 1, "query": {"rescore_query": {"match": {"title": "sea"}}, "rescore_query_weight": 10}}}""";
        var both = search("books,books-annex", body);
        var books = engine.search("books", EsJson.parseSearch(body));
        var annex = engine.search("books-annex", EsJson.parseSearch(body));
        // Each index rescored its own best hit: both top hits carry their own index's rescored score.
        assertThat(both.hits()).anySatisfy(h -> assertThat(h.score()).isEqualTo(books.hits().getFirst().score()));
        assertThat(both.hits()).anySatisfy(h -> assertThat(h.score()).isEqualTo(annex.hits().getFirst().score()));
    }

    @Test
    void retrieversThatNeedACoordinatorOfTheirOwnAreRefused() {
        assertThatThrownBy(() -> search("books,books-annex", """
                {"retriever": {"rrf": {"retrievers": [{"standard": {"query": {"match": {"title": "river"}}}},
                  {"standard": {"query": {"match": {"title": "sea"}}}}]}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).contains("[rrf] retriever").contains("several indices");
                });
        var standard = search("books,books-annex", """
                {"retriever": {"standard": {"query": {"match": {"title": "river"}}, "filter": {"term": {"genre": "poetry"}}}}}""");
        assertThat(where(standard)).containsExactlyInAnyOrder("books/2", "books-annex/1");
    }
}
