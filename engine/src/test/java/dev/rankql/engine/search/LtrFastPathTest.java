package dev.rankql.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.json.EsJson;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LTR rescorer's fast paths (shared postings, cached bindings, pooled in-place rescoring) against its
 * straightforward path (one Lucene scorer per extractor, everything bound per request), and the binding cache's
 * invalidation: a refresh, a replaced model and different params never see another binding.
 */
class LtrFastPathTest {

    /**
     * Extractors of every kind the fast paths treat: term-only trees (shared), phrases, and ranges alone and nested
     * (on doc values in the window, where the straightforward path lets Lucene pick points or doc values).
     */
    private static final List<String> QUERIES = List.of(
            "{\"match\": {\"title\": \"{{q}}\"}}",
            "{\"match\": {\"body\": {\"query\": \"{{q}}\", \"operator\": \"and\"}}}",
            "{\"match\": {\"body\": {\"query\": \"{{q}}\", \"minimum_should_match\": \"-1\"}}}",
            "{\"multi_match\": {\"query\": \"{{q}}\", \"fields\": [\"title\", \"body\"]}}",
            "{\"multi_match\": {\"query\": \"{{q}}\", \"fields\": [\"title^3\", \"body\"], \"tie_breaker\": 0.3}}",
            "{\"multi_match\": {\"query\": \"{{q}}\", \"fields\": [\"title\", \"body\"], \"type\": \"most_fields\"}}",
            "{\"constant_score\": {\"filter\": {\"match\": {\"title\": \"{{q}}\"}}, \"boost\": 2}}",
            "{\"match\": {\"body\": {\"query\": \"{{q}}\", \"boost\": 2}}}",
            "{\"bool\": {\"must\": {\"match\": {\"title\": \"{{q}}\"}}, \"should\": {\"match\": {\"body\": \"{{q}}\"}},"
                    + " \"must_not\": {\"term\": {\"body\": \"w1\"}}}}",
            "{\"match_phrase\": {\"body\": {\"query\": \"{{q}}\", \"slop\": 2}}}",
            "{\"range\": {\"n\": {\"gte\": 10, \"lt\": 60}}}",
            "{\"bool\": {\"must\": {\"match\": {\"body\": \"{{q}}\"}}, \"filter\": {\"range\": {\"n\": {\"lt\": 30}}}}}",
            "{\"constant_score\": {\"filter\": {\"range\": {\"n\": {\"gte\": 50}}}, \"boost\": 3}}",
            "{\"term\": {\"title\": \"w0\"}}");

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\", \"analyzer\": \"whitespace\"},"
                + " \"body\": {\"type\": \"text\", \"analyzer\": \"whitespace\"}, \"n\": {\"type\": \"integer\"}}}}");
        var random = new Random(7);
        // Several bulk requests, so that the index has several segments.
        for (int batch = 0; batch < 4; batch++) {
            var docs = new ArrayList<String>();
            for (int i = 0; i < 40; i++) {
                docs.add("{\"title\": \"" + text(random, 2 + random.nextInt(5)) + "\", \"body\": \"" + text(random, 5 + random.nextInt(30))
                        + "\", \"n\": " + random.nextInt(100) + "}");
            }
            bulk(docs, batch * 40);
        }
        engine.putModel("m", body(QUERIES, 1.0), false);
    }

    @AfterEach
    void tearDown() throws Exception {
        LtrWindowRescorer.fastPaths = true;
        engine.close();
    }

    @Test
    void fastPathsGiveTheStraightforwardFeaturesScoresAndOrder() {
        var random = new Random(11);
        for (int q = 0; q < 12; q++) {
            var text = text(random, 1 + random.nextInt(4));
            int window = 5 + random.nextInt(150);
            var request = """
                    {"size": %d, "query": {"match": {"body": "%s w0 w2"}}, "ext": {"rankql": {"log_features": true}},
                     "rescore": {"window_size": %d, "learning_to_rank": {"model_id": "m", "params": {"q": "%s"}}}}"""
                    .formatted(Math.min(window, 20), text, window, text);
            var plain = search(request, false);
            var fast = search(request, true);
            var again = search(request, true);
            for (var response : List.of(fast, again)) {
                assertThat(response.hits()).hasSameSizeAs(plain.hits());
                for (int i = 0; i < plain.hits().size(); i++) {
                    var expected = plain.hits().get(i);
                    var actual = response.hits().get(i);
                    assertThat(actual.id()).as("rank %d of [%s]", i, text).isEqualTo(expected.id());
                    assertThat(actual.score()).isEqualTo(expected.score());
                    var expectedFeatures = expected.rankql().orElseThrow().get("features");
                    var actualFeatures = actual.rankql().orElseThrow().get("features");
                    assertThat(actualFeatures.propertyNames()).as("present features of %s", actual.id())
                            .containsExactlyInAnyOrderElementsOf(expectedFeatures.propertyNames());
                    for (var name : expectedFeatures.propertyNames()) {
                        double e = expectedFeatures.get(name).doubleValue();
                        assertThat(actualFeatures.get(name).doubleValue()).as("%s of %s", name, actual.id())
                                .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(e))));
                    }
                }
            }
        }
    }

    @Test
    void fastPathsExplainAsTheStraightforwardPath() {
        var request = """
                {"size": 5, "explain": true, "query": {"match": {"body": "w0 w3"}},
                 "rescore": {"window_size": 30, "learning_to_rank": {"model_id": "m", "params": {"q": "w0 w3"}}}}""";
        var plain = search(request, false);
        var fast = search(request, true);
        for (int i = 0; i < plain.hits().size(); i++) {
            assertThat(SearchResponse.explanationJson(fast.hits().get(i).explanation().orElseThrow()).toString())
                    .isEqualTo(SearchResponse.explanationJson(plain.hits().get(i).explanation().orElseThrow()).toString());
        }
    }

    @Test
    void bindingsAreCachedPerParamsAndReused() {
        var model = engine.models().require("m");
        search(request("w0 w3"), true);
        assertThat(model.bindings().size()).isEqualTo(1);
        search(request("w0 w3"), true);
        assertThat(model.bindings().size()).as("the same params on the same reader").isEqualTo(1);
        var other = search(request("w5"), true);
        assertThat(model.bindings().size()).as("different params").isEqualTo(2);
        var plain = search(request("w5"), false);
        assertThat(other.hits().stream().map(SearchResponse.Hit::id).toList())
                .isEqualTo(plain.hits().stream().map(SearchResponse.Hit::id).toList());
        assertThat(other.hits().stream().map(SearchResponse.Hit::score).toList())
                .isEqualTo(plain.hits().stream().map(SearchResponse.Hit::score).toList());
    }

    @Test
    void aRefreshBindsAgainOnTheNewReaderAndDropsTheOldOnes() {
        var model = engine.models().require("m");
        search(request("zz"), true);
        assertThat(model.bindings().size()).isEqualTo(1);
        // A new document with a new term: a binding of the old reader would not know the term exists.
        bulk(List.of("{\"title\": \"zz w0\", \"body\": \"zz zz w0\", \"n\": 20}"), 1000);
        var newDocument = """
                {"query": {"term": {"title": "zz"}}, "size": 1, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "m", "params": {"q": "zz"}}}}""";
        var after = search(newDocument, true);
        var plain = search(newDocument, false);
        assertThat(after.hits().get(0).rankql()).isEqualTo(plain.hits().get(0).rankql());
        assertThat(after.hits().get(0).rankql().orElseThrow().get("features").has("f0")).isTrue();
        assertThat(model.bindings().size()).as("the closed reader's binding is gone").isEqualTo(1);
    }

    @Test
    void aReplacedModelIsBoundAfreshAndItsOldCacheCleared() {
        var old = engine.models().require("m");
        var first = search(request("w0"), true);
        assertThat(old.bindings().size()).isEqualTo(1);
        engine.putModel("m", body(QUERIES, 5.0), true);
        assertThat(old.bindings().size()).isZero();
        var replaced = search(request("w0"), true);
        assertThat(engine.models().require("m").bindings().size()).isEqualTo(1);
        assertThat(replaced.hits().get(0).score().orElseThrow()).isEqualTo(first.hits().get(0).score().orElseThrow() * 5);
        engine.deleteModel("m");
        assertThat(engine.models().find("m")).isEmpty();
    }

    @Test
    void loggedRowsKeepFirstPassScoresAndTheRescorersFeatures() {
        var query = EsJson.parseQuery("{\"match\": {\"body\": \"w0 w4\"}}");
        var params = java.util.Map.<String, dev.rankql.ast.Value>of("q", new dev.rankql.ast.Value.Str("w0 w4"));
        var rows = engine.logFeatures("docs", query, "m", params, List.of(), 15);
        var firstPass = search("{\"size\": 15, \"query\": {\"match\": {\"body\": \"w0 w4\"}}}", true);
        assertThat(rows.stream().map(SearchExecutor.LoggedRow::docId).toList())
                .isEqualTo(firstPass.hits().stream().map(SearchResponse.Hit::id).toList());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).firstPassScore()).isEqualTo(firstPass.hits().get(i).score().orElseThrow());
        }
        var logged = search("""
                {"size": 15, "query": {"match": {"body": "w0 w4"}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 15, "learning_to_rank": {"model_id": "m", "params": {"q": "w0 w4"}}}}""", true);
        for (var hit : logged.hits()) {
            var row = rows.stream().filter(r -> r.docId().equals(hit.id())).findFirst().orElseThrow();
            var features = hit.rankql().orElseThrow().get("features");
            for (int c = 0; c < QUERIES.size(); c++) {
                var name = "f" + c;
                if (Float.isNaN(row.values()[c])) {
                    assertThat(features.has(name)).as(name).isFalse();
                } else {
                    assertThat(features.get(name).floatValue()).as(name).isEqualTo(row.values()[c]);
                }
            }
        }
    }

    private static String request(String text) {
        return """
                {"size": 10, "query": {"match": {"body": "w0 w1 w2 %s"}},
                 "rescore": {"window_size": 50, "learning_to_rank": {"model_id": "m", "params": {"q": "%s"}}}}"""
                .formatted(text, text);
    }

    private SearchResponse search(String json, boolean fastPaths) {
        LtrWindowRescorer.fastPaths = fastPaths;
        try {
            return engine.search("docs", EsJson.parseSearch(json), SearchOptions.NONE);
        } finally {
            LtrWindowRescorer.fastPaths = true;
        }
    }

    private void bulk(List<String> docs, int firstId) {
        var ndjson = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            ndjson.append("{\"index\":{\"_id\":\"").append(firstId + i).append("\"}}\n").append(docs.get(i)).append('\n');
        }
        var response = engine.bulk("docs", new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
        assertThat(response.errors()).isFalse();
    }

    /**
     * An Elasticsearch model body over {@code queries}: one tree per feature whose leaves are the feature's own value
     * scaled (a split at a threshold per feature), all multiplied by {@code scale}.
     */
    private static String body(List<String> queries, double scale) {
        var extractors = new ArrayList<String>();
        var names = new ArrayList<String>();
        var trees = new ArrayList<String>();
        for (int i = 0; i < queries.size(); i++) {
            extractors.add("{\"query_extractor\": {\"feature_name\": \"f" + i + "\", \"query\": " + queries.get(i) + "}}");
            names.add("\"f" + i + "\"");
            trees.add("""
                    {"tree": {"feature_names": ["f%d"], "target_type": "regression", "tree_structure": [
                      {"node_index": 0, "split_feature": 0, "threshold": %s, "decision_type": "lt", "default_left": true,
                       "left_child": 1, "right_child": 2},
                      {"node_index": 1, "leaf_value": %s}, {"node_index": 2, "leaf_value": %s}]}}"""
                    .formatted(i, 0.5 + 0.25 * i, scale * (i + 1), scale * 10 * (i + 1)));
        }
        return """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [%s]}},
                 "definition": {"trained_model": {"ensemble": {"feature_names": [%s],
                   "target_type": "regression", "trained_models": [%s]}}}}"""
                .formatted(String.join(",", extractors), String.join(",", names), String.join(",", trees));
    }

    private static String text(Random random, int words) {
        var out = new ArrayList<String>();
        for (int i = 0; i < words; i++) {
            out.add("w" + (int) (12 * Math.pow(random.nextDouble(), 2)));
        }
        return String.join(" ", out);
    }
}
