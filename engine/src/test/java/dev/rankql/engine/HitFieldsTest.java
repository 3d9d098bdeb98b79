package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hit options that read values apart from the source, as Elasticsearch returns them: {@code docvalue_fields}
 * (typed, sorted, formatted), dates under {@code fields} in the mapping's format, {@code stored_fields} with the
 * {@code store} mapping parameter, and {@code terminate_after}.
 */
class HitFieldsTest {

    @TempDir
    Path data;

    private Engine engine;

    /** Four books on two shelves, ingested in two batches so that the index has two segments. */
    @BeforeEach
    void books() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("books", """
                {"mappings": {"properties": {
                  "title": {"type": "text", "store": true, "fields": {"raw": {"type": "keyword"}}},
                  "tag": {"type": "keyword", "store": true}, "shelf": {"type": "keyword"},
                  "pages": {"type": "integer", "store": true}, "weight": {"type": "float", "store": true},
                  "price": {"type": "double"}, "available": {"type": "boolean", "store": "true"},
                  "published": {"type": "date", "store": true}, "day": {"type": "date", "format": "yyyy/MM/dd"},
                  "stamp": {"type": "date", "format": "epoch_millis"}}}}""");
        assertThat(engine.bulk("books", new StringReader("""
                {"index": {"_id": "fox"}}
                {"title": "Red fox", "tag": ["b", "a", "b"], "shelf": "x", "pages": [300, 120], "weight": 1.1, "price": 12.5, "available": true, "published": "2015-01-01", "day": "2020/03/04", "stamp": 1420070400001}
                {"index": {"_id": "whale"}}
                {"title": "Blue whale", "tag": "c", "shelf": "x", "pages": 90, "weight": 2.5, "available": false, "published": "2015-01-01T12:10:30Z"}
                """), RefreshPolicy.IMMEDIATE).errors()).isFalse();
        assertThat(engine.bulk("books", new StringReader("""
                {"index": {"_id": "tea"}}
                {"title": "Green tea", "shelf": "y", "pages": 45, "published": 1420070400000}
                {"index": {"_id": "owl"}}
                {"title": "Grey owl fox", "shelf": "y", "pages": 10}
                """), RefreshPolicy.IMMEDIATE).errors()).isFalse();
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
    }

    private SearchResponse search(String body) {
        return engine.search("books", EsJson.parseSearch(body));
    }

    private SearchResponse.Hit fox(String body) {
        return search(body).hits().stream().filter(h -> h.id().equals("fox")).findFirst().orElseThrow();
    }

    private static String reason(EngineException e) {
        return e.causedBy().map(EngineException::reason).orElse(e.reason());
    }

    @Test
    void docValueFieldsReturnEachTypeAsElasticsearchDoes() {
        var hit = fox("""
                {"docvalue_fields": ["tag", "pages", "weight", "price", "available", "published", "day", "stamp", "title.raw",
                  "no_such_field"]}""");
        assertThat(hit.fields())
                .containsEntry("tag", List.of("a", "b"))
                .containsEntry("pages", List.of(120L, 300L))
                .containsEntry("weight", List.of((double) 1.1f))
                .containsEntry("price", List.of(12.5))
                .containsEntry("available", List.of(true))
                .containsEntry("published", List.of("2015-01-01T00:00:00.000Z"))
                .containsEntry("day", List.of("2020/03/04"))
                .containsEntry("stamp", List.of("1420070400001"))
                .containsEntry("title.raw", List.of("Red fox"))
                .doesNotContainKey("no_such_field");
        assertThat(hit.source()).isPresent();
        var json = hit.toJson();
        assertThat(json.get("fields").get("weight").get(0).doubleValue()).isEqualTo(1.100000023841858);
        assertThat(json.get("fields").get("pages").toString()).isEqualTo("[120,300]");
    }

    @Test
    void docValueFieldsTakeFormatsForDatesAndNumbers() {
        var hit = fox("""
                {"docvalue_fields": [{"field": "published", "format": "epoch_millis"}, {"field": "day", "format": "yyyy"},
                  {"field": "stamp", "format": "strict_date_optional_time"}, {"field": "price", "format": "0.000"},
                  {"field": "pages"}]}""");
        assertThat(hit.fields())
                .containsEntry("published", List.of("1420070400000"))
                .containsEntry("day", List.of("2020"))
                .containsEntry("stamp", List.of("2015-01-01T00:00:00.001Z"))
                .containsEntry("price", List.of("12.500"))
                .containsEntry("pages", List.of(120L, 300L));
    }

    @Test
    void docValueFieldPatternsMatchMappedFieldsAndTextFieldsFailAsInElasticsearch() {
        var hit = fox("""
                {"docvalue_fields": [{"field": "p*"}, "sh*"]}""");
        assertThat(hit.fields()).containsOnlyKeys("pages", "price", "published", "shelf");

        assertThatThrownBy(() -> search("""
                {"docvalue_fields": ["title"]}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("search_phase_execution_exception");
                    assertThat(reason(e)).isEqualTo("Text fields are not optimised for operations that require per-document "
                            + "field data like aggregations and sorting, so these operations are disabled by default. Please use "
                            + "a keyword field instead. Alternatively, set fielddata=true on [title] in order to load field data by "
                            + "uninverting the inverted index. Note that this can use significant memory.");
                });
        assertThatThrownBy(() -> search("""
                {"docvalue_fields": ["*"]}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(reason(e)).contains("set fielddata=true on [title]"));
        assertThatThrownBy(() -> search("""
                {"docvalue_fields": [{"field": "tag", "format": "x"}]}"""))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(reason(e)).isEqualTo("Field [tag] of type [keyword] doesn't support formats."));
        assertThatThrownBy(() -> search("""
                {"docvalue_fields": [{"field": "published", "format": "yyyy-MM-dd'T"}]}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(reason(e)).startsWith("Invalid format: [yyyy-MM-dd'T]"));
    }

    @Test
    void docValueFieldsWorkInsideCollapseInnerHits() {
        var response = search("""
                {"query": {"match_all": {}}, "collapse": {"field": "shelf", "inner_hits": {"name": "by_pages", "size": 5,
                   "sort": [{"pages": "desc"}], "docvalue_fields": ["pages", {"field": "published", "format": "yyyy"}]}},
                 "sort": [{"shelf": "asc"}]}""");
        var x = response.hits().getFirst().innerHits().get("by_pages").hits();
        assertThat(x).extracting(SearchResponse.Hit::id).containsExactly("fox", "whale");
        assertThat(x.getFirst().fields()).containsEntry("pages", List.of(120L, 300L)).containsEntry("published", List.of("2015"));
        var y = response.hits().get(1).innerHits().get("by_pages").hits();
        assertThat(y).extracting(SearchResponse.Hit::id).containsExactly("tea", "owl");
        assertThat(y.get(1).fields()).containsOnlyKeys("pages");

        assertThatThrownBy(() -> search("""
                {"collapse": {"field": "shelf", "inner_hits": {"docvalue_fields": ["title"]}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(reason(e)).contains("set fielddata=true on [title]"));
    }

    @Test
    void fieldsPrintDatesInTheMappingsFormat() {
        var hit = fox("""
                {"fields": ["published", "day", "stamp", "pages"]}""");
        assertThat(hit.fields())
                .containsEntry("published", List.of("2015-01-01T00:00:00.000Z"))
                .containsEntry("day", List.of("2020/03/04"))
                .containsEntry("stamp", List.of("1420070400001"))
                .containsEntry("pages", List.of(300L, 120L));
        var tea = search("""
                {"query": {"ids": {"values": ["tea"]}}, "fields": ["published"]}""").hits().getFirst();
        assertThat(tea.fields()).containsEntry("published", List.of("2015-01-01T00:00:00.000Z"));
    }

    @Test
    void storedFieldsReturnStoredValuesAndLeaveTheSourceOut() {
        var hit = fox("""
                {"stored_fields": ["title", "tag", "pages", "weight", "available", "published", "price", "shelf"]}""");
        assertThat(hit.fields())
                .containsEntry("title", List.of("Red fox"))
                .containsEntry("tag", List.of("b", "a", "b"))
                .containsEntry("pages", List.of(300L, 120L))
                .containsEntry("weight", List.of(1.1f))
                .containsEntry("available", List.of(true))
                .containsEntry("published", List.of("2015-01-01T00:00:00.000Z"))
                .doesNotContainKeys("price", "shelf");
        var json = hit.toJson();
        assertThat(json.has("_source")).isFalse();
        assertThat(json.get("_id").asString()).isEqualTo("fox");
        assertThat(json.get("fields").get("weight").toString()).isEqualTo("[1.1]");

        assertThat(fox("""
                {"stored_fields": "*"}""").fields()).containsOnlyKeys("title", "tag", "pages", "weight", "available", "published");
        assertThat(fox("""
                {"stored_fields": ["pages"], "_source": true}""").source()).isPresent();
        assertThat(fox("""
                {"stored_fields": ["pages", "_source"]}""").source()).isPresent();
        var bare = fox("""
                {"stored_fields": []}""");
        assertThat(bare.source()).isEmpty();
        assertThat(bare.fields()).isEmpty();
        assertThat(bare.toJson().has("_id")).isTrue();
    }

    @Test
    void storedFieldsNoneDropsTheIdAndTheSource() {
        var response = search("""
                {"stored_fields": "_none_", "query": {"ids": {"values": ["fox"]}}}""");
        var json = response.hits().getFirst().toJson();
        assertThat(json.has("_id")).isFalse();
        assertThat(json.has("_source")).isFalse();
        assertThat(json.get("_index").asString()).isEqualTo("books");

        assertThat(fox("""
                {"stored_fields": "_none_", "docvalue_fields": ["tag"], "_source": false}""").fields())
                .containsEntry("tag", List.of("a", "b"));
        // Elasticsearch's request validation refuses _none_ beside a requested source or the fields option.
        var sourceAndNone = EsJson.parseSearch("{\"_source\": true}");
        var noSource = new dev.rankql.ast.HitOptions(false, false, false, List.of(), List.of(), java.util.Optional.of(List.of("_none_")));
        var request = new dev.rankql.ast.SearchRequest(sourceAndNone.span(), sourceAndNone.index(), sourceAndNone.retriever(),
                sourceAndNone.query(), sourceAndNone.rescore(), sourceAndNone.from(), sourceAndNone.size(), sourceAndNone.minScore(),
                sourceAndNone.explain(), sourceAndNone.profile(), sourceAndNone.source(), sourceAndNone.trackTotalHits(),
                sourceAndNone.collapse(), sourceAndNone.sort(), sourceAndNone.searchAfter(), sourceAndNone.terminateAfter(),
                sourceAndNone.ext(), sourceAndNone.knn(), sourceAndNone.aggregations(), noSource, sourceAndNone.timeout());
        assertThatThrownBy(() -> engine.search("books", request))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("action_request_validation_exception");
                    assertThat(e.reason()).isEqualTo("Validation Failed: 1: [stored_fields] cannot be disabled if [_source] is requested;");
                });
    }

    @Test
    void theStoreParameterIsKeptInTheMappingAndSurvivesAReopen() throws Exception {
        var mapping = engine.getIndex("books").mappings().toJson().toString();
        assertThat(mapping).contains("\"store\":true");
        engine.close();
        engine = Engine.open(data);
        assertThat(fox("""
                {"stored_fields": ["pages"]}""").fields()).containsEntry("pages", List.of(300L, 120L));
        assertThatThrownBy(() -> engine.createIndex("bad", """
                {"mappings": {"properties": {"n": {"type": "long", "store": "maybe"}}}}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("mapper_parsing_exception"));
    }

    @Test
    void terminateAfterCollectsTheFirstMatchesInIndexOrder() {
        var two = search("""
                {"terminate_after": 2}""");
        assertThat(two.hits()).extracting(SearchResponse.Hit::id).containsExactly("fox", "whale");
        assertThat(two.total()).contains(new SearchResponse.Total(2, true));
        assertThat(two.terminatedEarly()).isTrue();
        assertThat(two.toJson().get("terminated_early").booleanValue()).isTrue();

        // Across the segment boundary, and ranked among the collected documents only.
        var three = search("""
                {"terminate_after": 3, "sort": [{"pages": "asc"}]}""");
        assertThat(three.hits()).extracting(SearchResponse.Hit::id).containsExactly("tea", "whale", "fox");
        assertThat(three.total()).contains(new SearchResponse.Total(3, true));

        var scored = search("""
                {"query": {"match": {"title": "fox"}}, "terminate_after": 1}""");
        assertThat(scored.hits()).extracting(SearchResponse.Hit::id).containsExactly("fox");
        assertThat(scored.total()).contains(new SearchResponse.Total(1, true));

        var exact = search("""
                {"terminate_after": 4}""");
        assertThat(exact.total()).contains(new SearchResponse.Total(4, true));
        assertThat(exact.terminatedEarly()).isTrue();

        var more = search("""
                {"terminate_after": 10}""");
        assertThat(more.hits()).hasSize(4);
        assertThat(more.terminatedEarly()).isFalse();
        assertThat(more.toJson().has("terminated_early")).isFalse();

        var aggregated = search("""
                {"terminate_after": 3, "size": 0, "aggs": {"shelves": {"terms": {"field": "shelf"}}}}""");
        var buckets = aggregated.toJson().get("aggregations").get("shelves").get("buckets");
        assertThat(buckets.get(0).get("key").asString()).isEqualTo("x");
        assertThat(buckets.get(0).get("doc_count").asInt()).isEqualTo(2);
        assertThat(buckets.get(1).get("doc_count").asInt()).isEqualTo(1);
    }

    @Test
    void aTopLevelStandardRetrieverTakesTerminateAfter() {
        var response = search("""
                {"retriever": {"standard": {"query": {"match": {"title": "fox"}}, "terminate_after": 1}},
                 "aggs": {"shelves": {"terms": {"field": "shelf"}}}}""");
        assertThat(response.hits()).extracting(SearchResponse.Hit::id).containsExactly("fox");
        assertThat(response.total()).contains(new SearchResponse.Total(1, true));
        assertThat(response.terminatedEarly()).isTrue();
        var buckets = response.toJson().get("aggregations").get("shelves").get("buckets");
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(buckets.get(0).get("key").asString()).isEqualTo("x");

        assertThatThrownBy(() -> search("""
                {"retriever": {"rescorer": {"retriever": {"standard": {"terminate_after": 1}},
                  "rescore": {"window_size": 5, "query": {"rescore_query": {"match_all": {}}}}}}}"""))
                .hasMessageContaining("[terminate_after] cannot be used in children of compound retrievers");
    }

    @Test
    void terminateAfterSkipsDeletedDocumentsAndFollowsMinScore() {
        engine.deleteDocument("books", "fox", RefreshPolicy.IMMEDIATE);
        var response = search("""
                {"terminate_after": 2}""");
        assertThat(response.hits()).extracting(SearchResponse.Hit::id).containsExactly("whale", "tea");

        var filtered = search("""
                {"query": {"match": {"title": "owl fox"}}, "min_score": 0.0001, "terminate_after": 1}""");
        assertThat(filtered.hits()).extracting(SearchResponse.Hit::id).containsExactly("owl");
        assertThat(filtered.terminatedEarly()).isTrue();
    }
}
