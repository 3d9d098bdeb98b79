package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.formats.Models;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trains a small LambdaMART model with xgboost4j on features logged by rankql itself, deploys it both ways (an
 * Elasticsearch body from {@code Models.toElasticsearch}, and the native XGBoost JSON with a feature set), and checks
 * that rankql's rescored scores and order equal xgboost4j's predictions on the same extracted features.
 */
class LtrEndToEndTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<String> TOPICS = List.of("apple", "river", "stone", "cloud", "maple", "ember");
    private static final List<String> FEATURES = List.of("title_bm25", "popularity", "fresh");
    private static final String EXTRACTORS = """
            [{"query_extractor": {"feature_name": "title_bm25", "query": {"match": {"title": "{{query_text}}"}}}},
             {"query_extractor": {"feature_name": "popularity", "query": {"script_score": {"query": {"match_all": {}},
                "script": {"source": "doc['pop'].value"}}}}},
             {"query_extractor": {"feature_name": "fresh", "query": {"constant_score": {"filter": {"term": {"fresh": true}}}}}}]""";

    @TempDir
    Path data;

    @Test
    void rescoredScoresEqualXgboostPredictionsForBothDeployments() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, "
                    + "\"pop\": {\"type\": \"integer\"}, \"fresh\": {\"type\": \"boolean\"}}}}");
            var random = new Random(5);
            var bulk = new StringBuilder();
            var grades = new java.util.HashMap<String, Integer>();
            for (int i = 0; i < 120; i++) {
                var topic = TOPICS.get(i % TOPICS.size());
                var other = TOPICS.get((i / 7) % TOPICS.size());
                int pop = random.nextInt(100);
                boolean fresh = random.nextBoolean();
                var title = topic + " " + (random.nextBoolean() ? topic : other) + " " + (i % 5 == 0 ? "" : other);
                bulk.append("{\"index\": {\"_id\": \"d").append(i).append("\"}}\n");
                bulk.append("{\"title\": \"").append(title.strip()).append("\", \"pop\": ").append(pop)
                        .append(", \"fresh\": ").append(fresh).append("}\n");
                grades.put("d" + i, (pop > 60 ? 2 : pop > 30 ? 1 : 0) + (fresh ? 1 : 0));
            }
            engine.bulk("docs", new StringReader(bulk.toString()), RefreshPolicy.IMMEDIATE);

            // Feature logging with a bootstrap model over the same extractors.
            engine.putModel("bootstrap", "es", bootstrapDefinition(), EXTRACTORS, false);
            var builder = TrainingSet.builder(FEATURES);
            for (var topic : TOPICS) {
                var logged = search(engine, topic, "bootstrap", true);
                for (var hit : logged.hits()) {
                    var features = hit.rankql().orElseThrow().get("features");
                    var row = new float[FEATURES.size()];
                    for (int f = 0; f < row.length; f++) {
                        row[f] = features.has(FEATURES.get(f)) ? features.get(FEATURES.get(f)).floatValue() : Float.NaN;
                    }
                    builder.add(topic, hit.id(), grades.get(hit.id()), row);
                }
            }
            var set = builder.build();
            var params = TrainingParams.defaults().withOverrides(Map.of("num_boost_round", "25", "early_stopping_rounds", "25"));
            var result = new Trainer(params).train(set.select(TOPICS.subList(0, 4)), set.select(TOPICS.subList(4, 6)));
            var modelJson = new String(result.modelJson(), StandardCharsets.UTF_8);
            Booster booster = XGBoost.loadModel(result.modelJson());

            var model = Models.load("xgboost", modelJson, LoadOptions.withFeatures(FEATURES));
            ObjectNode body = (ObjectNode) MAPPER.readTree(Models.toElasticsearch(model, "end to end"));
            ((ObjectNode) body.at("/inference_config/learning_to_rank")).set("feature_extractors", MAPPER.readTree(EXTRACTORS));
            engine.putModel("as-es", MAPPER.writeValueAsString(body), false);
            engine.putModel("as-xgboost", "xgboost", modelJson, EXTRACTORS, false);

            for (var topic : TOPICS) {
                var logged = search(engine, topic, "bootstrap", true);
                var byId = new java.util.HashMap<String, Float>();
                var rows = new float[logged.hits().size() * FEATURES.size()];
                for (int h = 0; h < logged.hits().size(); h++) {
                    var features = logged.hits().get(h).rankql().orElseThrow().get("features");
                    for (int f = 0; f < FEATURES.size(); f++) {
                        rows[h * FEATURES.size() + f] = features.has(FEATURES.get(f))
                                ? features.get(FEATURES.get(f)).floatValue() : Float.NaN;
                    }
                }
                var matrix = new DMatrix(rows, logged.hits().size(), FEATURES.size(), Float.NaN);
                float[][] predicted = booster.predict(matrix);
                for (int h = 0; h < logged.hits().size(); h++) {
                    byId.put(logged.hits().get(h).id(), predicted[h][0]);
                }
                for (var id : List.of("as-es", "as-xgboost")) {
                    var rescored = search(engine, topic, id, false);
                    assertThat(rescored.hits()).hasSameSizeAs(logged.hits());
                    var scores = new ArrayList<Float>();
                    for (var hit : rescored.hits()) {
                        float expected = byId.get(hit.id());
                        assertThat(hit.score().orElseThrow()).as("%s %s %s", id, topic, hit.id())
                                .isCloseTo(expected, within(1e-5f + Math.abs(expected) * 1e-6f));
                        scores.add(hit.score().orElseThrow());
                    }
                    assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());
                    // A model that learnt something: its scores are not one constant.
                    assertThat(scores.stream().distinct().count()).isGreaterThan(3);
                }
            }
        }
    }

    private static SearchResponse search(Engine engine, String topic, String model, boolean log) {
        return engine.search("docs", EsJson.parseSearch("""
                {"size": 200, "query": {"match": {"title": "%s"}},
                 "ext": {"rankql": {"log_features": %s}},
                 "rescore": {"window_size": 200, "learning_to_rank": {"model_id": "%s", "params": {"query_text": "%s"}}}}"""
                .formatted(topic, log, model, topic)));
    }

    /** A one-split tree over the title score: enough to run the extractors and log every feature. */
    private static String bootstrapDefinition() {
        return """
                {"definition": {"trained_model": {"tree": {"feature_names": ["title_bm25"], "tree_structure": [
                  {"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lt", "left_child": 1, "right_child": 2},
                  {"node_index": 1, "leaf_value": 0}, {"node_index": 2, "leaf_value": 1}]}}}}""";
    }
}
