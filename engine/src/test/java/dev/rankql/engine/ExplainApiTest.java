package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.SourceFilter;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Elasticsearch's explain API on the engine: the same explanation as a search hit's, misses, missing documents, errors. */
class ExplainApiTest {

    @TempDir
    Path data;

    private Engine engine;

    @BeforeEach
    void index() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("products", """
                {"mappings": {"properties": {"title": {"type": "text"}, "tags": {"type": "keyword"},
                 "price": {"type": "integer"}, "popularity": {"type": "rank_feature"},
                 "include": {"properties": {"field1": {"type": "keyword"}, "field2": {"type": "keyword"}}}}}}""");
        var bulk = """
                {"index": {"_id": "1"}}
                {"title": "desk lamp", "tags": ["office", "light"], "price": 30, "popularity": 5, "include": {"field1": "v1", "field2": "v2"}}
                {"index": {"_id": "2"}}
                {"title": "floor lamp with a lamp shade", "tags": ["light"], "price": 80, "popularity": 2}
                {"index": {"_id": "3"}}
                {"title": "usb cable", "tags": ["office"], "price": 5, "popularity": 9}
                {"index": {"_id": "4"}}
                {"title": "lamp", "tags": ["light"], "price": 12, "popularity": 1}
                """;
        assertThat(engine.bulk("products", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws Exception {
        engine.close();
    }

    private static dev.rankql.ast.Query query(String json) {
        return EsJson.parseQuery(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"match\": {\"title\": \"lamp\"}}",
        "{\"match\": {\"title\": {\"query\": \"desk lamp\", \"operator\": \"and\"}}}",
        "{\"multi_match\": {\"query\": \"lamp office\", \"fields\": [\"title^2\", \"tags\"], \"tie_breaker\": 0.3}}",
        "{\"bool\": {\"must\": [{\"match\": {\"title\": \"lamp\"}}], \"should\": [{\"term\": {\"tags\": \"office\"}}],"
                + " \"filter\": [{\"range\": {\"price\": {\"gte\": 10}}}]}}",
        "{\"constant_score\": {\"filter\": {\"term\": {\"tags\": \"light\"}}, \"boost\": 1.5}}",
        "{\"dis_max\": {\"queries\": [{\"match\": {\"title\": \"lamp\"}}, {\"term\": {\"tags\": \"light\"}}], \"tie_breaker\": 0.5}}",
        "{\"rank_feature\": {\"field\": \"popularity\", \"saturation\": {\"pivot\": 3}}}",
        "{\"script_score\": {\"query\": {\"match\": {\"title\": \"lamp\"}}, \"script\": {\"source\": \"_score * 2 + doc['price'].value\"}}}",
        "{\"match_all\": {\"boost\": 3}}"
    })
    void everyHitIsExplainedAsTheSearchExplainsIt(String queryJson) {
        var query = query(queryJson);
        var search = engine.search("products", EsJson.parseSearch("{\"query\": " + queryJson + ", \"explain\": true}"));
        assertThat(search.hits()).isNotEmpty();
        for (var hit : search.hits()) {
            var explained = engine.explain("products", hit.id(), query, Optional.empty(), false);
            assertThat(explained.exists()).isTrue();
            assertThat(explained.matched()).as("hit %s", hit.id()).isTrue();
            assertThat(explained.status()).isEqualTo(200);
            var json = explained.toJson();
            assertThat(json.get("explanation"))
                    .isEqualTo(SearchResponse.explanationJson(hit.explanation().orElseThrow()));
            assertThat(json.at("/explanation/value").floatValue()).isEqualTo(hit.score().orElseThrow());
            assertThat(Json.write(json)).isEqualTo(Json.write(engine.explain("products", hit.id(), query)));
        }
    }

    @Test
    void aMatchAnswersTheIndexIdAndExplanation() {
        var json = engine.explain("products", "4", query("{\"match_all\": {}}"));
        assertThat(List.copyOf(json.propertyNames())).containsExactly("_index", "_id", "matched", "explanation");
        assertThat(json.get("_index").asString()).isEqualTo("products");
        assertThat(json.get("_id").asString()).isEqualTo("4");
        assertThat(json.get("matched").asBoolean()).isTrue();
        assertThat(json.at("/explanation/value").floatValue()).isEqualTo(1f);
        assertThat(json.at("/explanation/description").asString()).isEqualTo("*:*");
        assertThat(json.at("/explanation/details").isArray()).isTrue();
    }

    @Test
    void aDocumentTheQueryMissesIsExplainedWhyNot() {
        var term = engine.explain("products", "3", query("{\"term\": {\"tags\": \"light\"}}"), Optional.empty(), false);
        assertThat(term.exists()).isTrue();
        assertThat(term.matched()).isFalse();
        assertThat(term.status()).isEqualTo(200);
        var json = term.toJson();
        assertThat(json.get("matched").asBoolean()).isFalse();
        assertThat(json.at("/explanation/value").floatValue()).isZero();
        assertThat(json.at("/explanation/description").asString()).contains("no matching term");

        var bool = engine.explain("products", "2", query("""
                {"bool": {"must": [{"match": {"title": "lamp"}}], "filter": [{"range": {"price": {"lt": 50}}}]}}"""))
                .at("/explanation");
        assertThat(bool.get("value").floatValue()).isZero();
        // The miss names the clause that failed, among the clauses that matched.
        assertThat(Json.write(bool)).contains("price").contains("no match");
    }

    @Test
    void aMissingDocumentIsNotFoundWithoutExplanation() {
        var missing = engine.explain("products", "nope", query("{\"match_all\": {}}"), Optional.of(new SourceFilter.Fetch(true)), true);
        assertThat(missing.exists()).isFalse();
        assertThat(missing.matched()).isFalse();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.get()).isEmpty();
        var json = missing.toJson();
        assertThat(List.copyOf(json.propertyNames())).containsExactly("_index", "_id", "matched");
        assertThat(json.get("matched").asBoolean()).isFalse();
    }

    @Test
    void aDocumentNotYetRefreshedIsNotFoundAsInElasticsearch() {
        engine.indexDocument("products", Optional.of("5"), "{\"title\": \"lamp\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                false, RefreshPolicy.NONE);
        assertThat(engine.explain("products", "5", query("{\"match_all\": {}}"), Optional.empty(), false).status()).isEqualTo(404);
        engine.refresh("products");
        assertThat(engine.explain("products", "5", query("{\"match_all\": {}}"), Optional.empty(), false).matched()).isTrue();
    }

    @Test
    void aQueryThatCannotRunIsItsOwnError() {
        assertThatThrownBy(() -> engine.explain("products", "1", query("{\"term\": {\"price\": \"cheap\"}}")))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("query_shard_exception");
                    assertThat(e.getMessage()).contains("cheap");
                });
        assertThatThrownBy(() -> engine.explain("products", "1", query(
                "{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"source\": \"for (;;) {}\"}}}")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(400));
        var shoulds = new StringBuilder("{\"bool\": {\"should\": [");
        for (int i = 0; i <= EngineLimits.MAX_CLAUSE_COUNT; i++) {
            shoulds.append(i == 0 ? "" : ", ").append("{\"term\": {\"tags\": \"t").append(i).append("\"}}");
        }
        var tooMany = query(shoulds.append("]}}").toString());
        assertThatThrownBy(() -> engine.explain("products", "1", tooMany))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("too_many_clauses");
                });
        assertThatThrownBy(() -> engine.explain("nope", "1", query("{\"match_all\": {}}")))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("index_not_found_exception");
                });
    }

    @Test
    void theSourceIsAddedOnlyWhenAskedFor() {
        var all = query("{\"match_all\": {}}");
        assertThat(engine.explain("products", "1", all, Optional.of(new SourceFilter.Fetch(false)), false).toJson().has("get")).isFalse();

        var whole = engine.explain("products", "1", all, Optional.of(new SourceFilter.Fetch(true)), false).toJson();
        assertThat(whole.at("/get/found").asBoolean()).isTrue();
        assertThat(whole.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(whole.at("/get/_source/price").asInt()).isEqualTo(30);
        assertThat(whole.at("/get/_seq_no").isIntegralNumber()).isTrue();
        assertThat(whole.at("/get/_primary_term").asInt()).isEqualTo(1);

        var included = engine.explain("products", "1", all,
                Optional.of(new SourceFilter.Fields(List.of("include.field1"), List.of())), false).toJson();
        assertThat(included.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(included.at("/get/_source/include").has("field2")).isFalse();
        assertThat(included.at("/get/_source").has("price")).isFalse();

        var excluded = engine.explain("products", "1", all,
                Optional.of(new SourceFilter.Fields(List.of("include"), List.of("*.field2"))), false).toJson();
        assertThat(excluded.at("/get/_source/include/field1").asString()).isEqualTo("v1");
        assertThat(excluded.at("/get/_source/include").has("field2")).isFalse();
        assertThat(excluded.at("/get/_source").has("title")).isFalse();

        var stored = engine.explain("products", "1", all, Optional.empty(), true).toJson();
        assertThat(stored.at("/get/found").asBoolean()).isTrue();
        assertThat(stored.get("get").has("_source")).isFalse();
        var storedAndSource = engine.explain("products", "1", all, Optional.of(new SourceFilter.Fetch(true)), true).toJson();
        assertThat(storedAndSource.at("/get/_source/title").asString()).isEqualTo("desk lamp");
    }
}
