package dev.rankql.engine;

import static dev.rankql.engine.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios written after Elasticsearch's REST tests for the rescorer retriever and for collapse with rescore: the same
 * mappings, the same bulk bodies, the same searches and the same expected ids and scores.
 */
class EsRestScenariosTest {

    @TempDir
    Path data;

    private static Query linear(String field) {
        return new Query.RankFeature(Span.NONE, field, Optional.of(new RankFeatureFunction.Linear()), Optional.empty(), Optional.empty());
    }

    @Test
    void rescorerRetriever() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("test", "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0}, \"mappings\": {\"properties\": "
                    + "{\"available\": {\"type\": \"boolean\"}, \"features\": {\"type\": \"rank_features\"}}}}");
            var bulk = new StringBuilder();
            boolean[] available = {true, false, false, true, true, false, true, true, true, false};
            int[] group = {1, 1, 3, 1, 3, 2, 3, 1, 2, 1};
            for (int i = 1; i <= 10; i++) {
                bulk.append("{\"index\": {\"_id\": ").append(i).append(" }}\n")
                        .append("{\"features\": { \"first_stage\": ").append(i).append(", \"second_stage\": ").append(11 - i)
                        .append("}, \"available\": ").append(available[i - 1]).append(", \"group\": ").append(group[i - 1]).append("}\n");
            }
            assertThat(engine.bulk("test", new StringReader(bulk.toString()), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var second = queryRescore(10, linear("features.second_stage"), 0f, null, null);

            var basic = engine.search("test", retriever(rescorer(standard(linear("features.first_stage")), List.of(), second), null, 2));
            assertThat(basic.total().orElseThrow().value()).isEqualTo(10);
            assertThat(TestIndex.ids(basic)).containsExactly("1", "2");
            assertThat(TestIndex.scores(basic)).containsExactly(10f, 9f);

            var narrow = queryRescore(3, linear("features.second_stage"), 0f, null, null);
            var windowed = engine.search("test", retriever(rescorer(standard(linear("features.first_stage")), List.of(), narrow), null, 2));
            assertThat(TestIndex.ids(windowed)).containsExactly("8", "9");
            assertThat(TestIndex.scores(windowed)).containsExactly(3f, 2f);

            var availableTrue = match("available", "true");
            var availableMatch = new Query.Match(Span.NONE, "available", Value.of(true), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            var filtered = engine.search("test", retriever(rescorer(standard(linear("features.first_stage")), List.of(availableMatch), second), null, 2));
            assertThat(filtered.total().orElseThrow().value()).isEqualTo(6);
            assertThat(TestIndex.ids(filtered)).containsExactly("1", "4");
            assertThat(TestIndex.scores(filtered)).containsExactly(10f, 7f);

            var four = queryRescore(4, linear("features.second_stage"), 0f, null, null);
            var childFiltered = engine.search("test", retriever(rescorer(standard(linear("features.first_stage"), availableTrue), List.of(), four), null, 2));
            assertThat(childFiltered.total().orElseThrow().value()).isEqualTo(6);
            assertThat(TestIndex.ids(childFiltered)).containsExactly("5", "7");
            assertThat(TestIndex.scores(childFiltered)).containsExactly(6f, 4f);

            var collapsed = engine.search("test", withCollapse(retriever(rescorer(standard(linear("features.first_stage")), List.of(), second), null, 3), "group"));
            assertThat(collapsed.total().orElseThrow().value()).isEqualTo(10);
            assertThat(TestIndex.ids(collapsed)).containsExactly("1", "3", "6");
            assertThat(TestIndex.scores(collapsed)).containsExactly(10f, 8f, 5f);
            assertThat(collapsed.hits().get(1).fields()).isEqualTo(Map.of("group", List.of(3L)));

            var five = queryRescore(5, linear("features.second_stage"), 0f, null, null);
            assertThatThrownBy(() -> engine.search("test", retriever(rescorer(standard(linear("features.first_stage")), List.of(), five), null, 10)))
                    .hasMessageContaining("[rescorer] requires [window_size: 5] be greater than or equal to [size: 10]");
        }
    }

    @Test
    void fieldCollapsingWithRescore() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("products", "{\"mappings\": {\"properties\": {\"product_id\": {\"type\": \"keyword\"}, "
                    + "\"description\": {\"type\": \"text\"}, \"popularity\": {\"type\": \"integer\"}}}}");
            var bulk = """
                    {"index": {"_id": "1", "routing": "0"}}
                    {"product_id": "0", "description": "flat tv 4K HDR", "score": 2, "popularity": 30}
                    {"index": {"_id": "2", "routing": "10"}}
                    {"product_id": "10", "description": "LED Smart TV 32", "score": 5, "popularity": 100}
                    {"index": {"_id": "3", "routing": "10"}}
                    {"product_id": "10", "description": "LED Smart TV 65", "score": 10, "popularity": 50}
                    {"index": {"_id": "4", "routing": "0"}}
                    {"product_id": "0", "description": "flat tv", "score": 1, "popularity": 10}
                    {"index": {"_id": "5", "routing": "129"}}
                    {"product_id": "129", "description": "just a tv", "score": 100, "popularity": 3}
                    """;
            assertThat(engine.bulk("products", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var query = bool(List.of(), List.of(scriptScore(matchAll(), "doc['score'].value", Map.of())),
                    List.of(match("description", "tv")), List.of(), null);
            var rescore = queryRescore(null, scriptScore(matchAll(), "doc['popularity'].value", Map.of()), 0f, 1f, null);

            var all = engine.search("products", withCollapse(search(query, null, null, rescore), "product_id"));
            assertThat(all.total().orElseThrow().value()).isEqualTo(5);
            assertThat(TestIndex.ids(all)).containsExactly("3", "1", "5");
            assertThat(TestIndex.scores(all)).containsExactly(50f, 30f, 3f);
            assertThat(all.hits().get(0).fields()).isEqualTo(Map.of("product_id", List.of("10")));

            var windowed = queryRescore(2, scriptScore(matchAll(), "doc['popularity'].value", Map.of()), 0f, 1f, null);
            var one = engine.search("products", withCollapse(search(query, null, 1, windowed), "product_id"));
            assertThat(one.total().orElseThrow().value()).isEqualTo(5);
            assertThat(TestIndex.ids(one)).containsExactly("3");
            assertThat(TestIndex.scores(one)).containsExactly(50f);
        }
    }

    private static dev.rankql.ast.Rescore likes(int window, String source, Map<String, Value> params) {
        return new dev.rankql.ast.Rescore.ScriptRescore(Span.NONE, Optional.of(window), script(source, params));
    }

    private static void assertHits(dev.rankql.engine.search.SearchResponse response, List<String> ids, double... scores) {
        assertThat(TestIndex.ids(response)).containsExactlyElementsOf(ids);
        for (int i = 0; i < scores.length; i++) {
            assertThat((double) response.hits().get(i).score().orElseThrow()).as("hit %d", i)
                    .isCloseTo(scores[i], org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, Math.abs(scores[i]))));
        }
    }

    @Test
    void scriptRescoreWithExactBm25Scores() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("books", "{\"settings\": {\"number_of_shards\": 1}, \"mappings\": {\"properties\": {\"title\": "
                    + "{\"type\": \"text\"}, \"author\": {\"type\": \"keyword\"}, \"num_likes\": {\"type\": \"integer\"}}}}");
            var bulk = """
                    {"index": {"_id": "1"}}
                    {"title": "The Ethics of Ambiguity", "author": "Simone de Beauvoir", "num_likes": 150}
                    {"index": {"_id": "2"}}
                    {"title": "The Ethics of Being and Nothingness", "author": "Jean-Paul Sartre", "num_likes": 250}
                    {"index": {"_id": "3"}}
                    {"title": "The Ambiguity of The Second Sex", "author": "Simone de Beauvoir", "num_likes": 300}
                    {"index": {"_id": "4"}}
                    {"title": "The Ethics of Nausea", "author": "Jean-Paul Sartre", "num_likes": 180}
                    {"index": {"_id": "5"}}
                    {"title": "The Ambiguity in the Myth of Sisyphus", "author": "Albert Camus", "num_likes": 220}
                    """;
            assertThat(engine.bulk("books", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var query = match("title", "ethics of ambiguity");
            var ten = Map.<String, Value>of("multiplier", Value.of(10));
            var plain = "doc['num_likes'].value * params.multiplier";
            var withScore = "doc['num_likes'].value * params.multiplier + _score";

            var all = engine.search("books", search(query, null, null, likes(5, plain, ten)));
            assertThat(all.total().orElseThrow().value()).isEqualTo(5);
            assertHits(all, List.of("3", "2", "5", "4", "1"), 3000, 2500, 2200, 1800, 1500);
            assertHits(engine.search("books", search(query, null, null, likes(5, withScore, ten))), List.of("3", "2", "5", "4", "1"),
                    3000.5989, 2500.5989, 2200.5583, 1800.7003, 1501.3032);
            assertHits(engine.search("books", search(query, null, null, likes(3, plain, ten))), List.of("2", "4", "1", "3", "5"),
                    2500, 1800, 1500, 0.59879, 0.5583);
            assertHits(engine.search("books", search(query, null, null, likes(3, withScore, ten), likes(2, "_score * params.factor",
                    Map.of("factor", Value.of(10))))), List.of("2", "4", "1", "3", "5"), 25005.989, 18007.0039, 1501.3032, 0.59879, 0.5583);

            var explained = engine.search("books", withExplain(search(query, null, null, likes(3, withScore, ten))));
            var top = explained.hits().get(0).explanation().orElseThrow();
            assertThat(top.getDescription()).contains("script score function");
            assertThat(top.getValue().doubleValue()).isCloseTo(2500.5989, org.assertj.core.api.Assertions.within(1e-3));
            assertThat(top.getDetails()[0].getDescription()).isEqualTo("_score: ");
            assertThat(top.getDetails()[0].getValue().doubleValue()).isCloseTo(0.5987902, org.assertj.core.api.Assertions.within(1e-4));
            assertThat(explained.hits().get(4).explanation().orElseThrow().getDescription()).isEqualTo("sum of:");

            // Updates leave deleted documents in the statistics and a second segment, as in Elasticsearch.
            var updates = """
                    {"update": {"_id": "1"}}
                    {"doc": {"num_likes": 300}}
                    {"update": {"_id": "3"}}
                    {"doc": {"num_likes": 150}}
                    """;
            assertThat(engine.bulk("books", new StringReader(updates), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            assertHits(engine.search("books", search(query, null, null, likes(5, withScore, ten))), List.of("1", "2", "5", "4", "3"),
                    3001.1267, 2500.6064, 2200.3877, 1800.7106, 1500.4163);
            assertHits(engine.search("books", search(query, null, null, likes(3, withScore, ten))), List.of("1", "2", "4", "3", "5"),
                    3001.1267, 2500.6064, 1800.7106, 0.41622, 0.38778);
        }
    }

    @Test
    void collapseReportsTheMaxScoreOverAllDocuments() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("user_comments", "{\"settings\": {\"index\": {\"number_of_shards\": 1}}, \"mappings\": {\"properties\": "
                    + "{\"user_id\": {\"type\": \"keyword\"}, \"comment\": {\"type\": \"text\"}}}}");
            var bulk = """
                    {"index": {"_id": "1"}}
                    {"user_id": "user1", "comment": "Canada is beautiful."}
                    {"index": {"_id": "2"}}
                    {"user_id": "user1", "comment": "Canada is the second-largest country in the world by land area."}
                    {"index": {"_id": "3"}}
                    {"user_id": "user2", "comment": "The capital of Canada is Ottawa."}
                    {"index": {"_id": "4"}}
                    {"user_id": "user2", "comment": "Canada is cold."}
                    {"index": {"_id": "5"}}
                    {"user_id": "user3", "comment": "Canada celebrates Canada Day on July 1st."}
                    """;
            assertThat(engine.bulk("user_comments", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var response = engine.search("user_comments", withCollapse(search(match("comment", "Canada"), null, null), "user_id"));
            assertThat(response.total().orElseThrow().value()).isEqualTo(5);
            assertThat(response.hits()).hasSize(3);
            assertThat(response.hits().get(0).fields()).isEqualTo(Map.of("user_id", List.of("user3")));
            assertThat((double) response.maxScore().orElseThrow()).isCloseTo(0.11545, org.assertj.core.api.Assertions.within(1e-5));

            var sorted = engine.search("user_comments", withSort(withCollapse(search(match("comment", "Canada"), null, null), "user_id"),
                    sort("user_id", dev.rankql.ast.SortOrder.ASC)));
            assertThat(sorted.total().orElseThrow().value()).isEqualTo(5);
            assertThat(sorted.hits()).hasSize(3);
            assertThat(sorted.hits().get(0).fields()).isEqualTo(Map.of("user_id", List.of("user1")));
            assertThat(sorted.maxScore()).isEmpty();
            assertThat(dev.rankql.engine.mapping.Json.write(sorted.toJson())).contains("\"max_score\":null")
                    .contains("\"_score\":null").contains("\"sort\":[\"user1\"]");
        }
    }

    @Test
    void fieldCollapsingWithAFieldSort() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("test", "{\"mappings\": {\"properties\": {\"numeric_group\": {\"type\": \"integer\"}, \"tag\": {\"type\": \"keyword\"}}}}");
            var bulk = """
                    {"index": {"_id": "1"}}
                    {"numeric_group": 1, "tag": "A", "sort": 10}
                    {"index": {"_id": "2"}}
                    {"numeric_group": 1, "tag": "B", "sort": 6}
                    {"index": {"_id": "3"}}
                    {"numeric_group": 1, "tag": "A", "sort": 24}
                    {"index": {"_id": "4"}}
                    {"numeric_group": 25, "tag": "B", "sort": 10}
                    {"index": {"_id": "5"}}
                    {"numeric_group": 25, "tag": "A", "sort": 5}
                    {"index": {"_id": "6"}}
                    {"numeric_group": 3, "tag": "B", "sort": 36}
                    """;
            assertThat(engine.bulk("test", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var response = engine.search("test", withSort(withCollapse(search(null, null, null), "numeric_group"),
                    sort("sort", dev.rankql.ast.SortOrder.DESC)));
            assertThat(dev.rankql.engine.mapping.Json.write(response.toJson(true))).contains("\"total\":6,");
            assertThat(TestIndex.ids(response)).containsExactly("6", "3", "4");
            assertThat(response.hits().stream().map(h -> h.fields().get("numeric_group")).toList())
                    .containsExactly(List.of(3L), List.of(1L), List.of(25L));
            assertThat(response.hits().stream().map(h -> h.sort()).toList()).containsExactly(List.of(36L), List.of(24L), List.of(10L));
        }
    }

    @Test
    void explainApi() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("test_1", "{\"aliases\": {\"alias_1\": {\"filter\": {\"term\": {\"foo\": \"bar\"}}}}}");
            engine.bulk("test_1", new StringReader("{\"index\": {\"_id\": \"id_1\"}}\n{\"foo\": \"bar\", \"title\": \"howdy\"}\n"),
                    RefreshPolicy.IMMEDIATE);
            var explained = engine.explain("test_1", "id_1", matchAll());
            assertThat(explained.get("matched").asBoolean()).isTrue();
            assertThat(explained.at("/explanation/value").floatValue()).isEqualTo(1f);
            assertThat(explained.get("_index").asString()).isEqualTo("test_1");
            assertThat(explained.get("_id").asString()).isEqualTo("id_1");
            assertThat(engine.explain("test_1", "id_1", term("foo", Value.of("nope"))).get("matched").asBoolean()).isFalse();
            assertThat(engine.explain("test_1", "missing", matchAll()).get("matched").asBoolean()).isFalse();
            var bm25 = engine.explain("test_1", "id_1", match("title", "howdy"));
            assertThat(dev.rankql.engine.mapping.Json.write(bm25)).contains("\"description\":\"boost\"").contains("PerFieldSimilarity");
        }
    }
}
