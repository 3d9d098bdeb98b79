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
}
