package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.embed.PretrainedModel;
import dev.rankql.embed.TextEncoder;
import dev.rankql.engine.mapping.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An LTR model whose {@code vector_similarity} feature embeds the query's text (query_vector_builder) served over
 * HTTP: the client sends only text, the feature equals the one computed from the vector sent by hand, and an
 * unknown embedding model is an Elasticsearch-shaped 400.
 */
class TextEmbeddingHttpTest {

    private static final List<String> TEXTS = List.of(
            "Aspirin lowers the risk of a second heart attack.",
            "An oblique shock forms on a wedge in supersonic flow.",
            "Vitamin D supplements did not prevent fractures in older women.");

    private static final String TREE = """
            "definition": {"trained_model": {"tree": {"feature_names": ["semantic"], "tree_structure": [
              {"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lt", "left_child": 1,
               "right_child": 2}, {"node_index": 1, "leaf_value": 1}, {"node_index": 2, "leaf_value": 2}]}}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JsonNode send(TestServer server, String method, String path, String body, String type) throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path));
        builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", type);
        }
        return Json.MAPPER.readTree(http.send(builder.build(), BodyHandlers.ofString()).body());
    }

    private JsonNode send(TestServer server, String method, String path, String body) throws Exception {
        return send(server, method, path, body, "application/json");
    }

    private static String model(String vector) {
        return """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"vector_similarity": {"feature_name": "semantic", "field": "embedding", %s}}]}},
                 %s}""".formatted(vector, TREE);
    }

    private static String search(String model, String params) {
        return """
                {"size": 3, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 3, "learning_to_rank": {"model_id": "%s", "params": {%s}}}}"""
                .formatted(model, params);
    }

    @Test
    void theClientSendsOnlyTheQueryText(@TempDir Path data) throws Exception {
        String question = "does acetylsalicylic acid prevent myocardial infarction";
        float[] sent;
        var bulk = new StringBuilder();
        try (var encoder = TextEncoder.open(PretrainedModel.BGE_SMALL_EN_V15)) {
            for (int i = 0; i < TEXTS.size(); i++) {
                bulk.append("{\"index\": {\"_id\": \"").append(i + 1).append("\"}}\n")
                        .append("{\"text\": ").append(Json.write(Json.MAPPER.valueToTree(TEXTS.get(i))))
                        .append(", \"embedding\": ").append(Arrays.toString(encoder.embedDocument(TEXTS.get(i))))
                        .append("}\n");
            }
            sent = encoder.embedQuery(question);
        }
        try (var server = new TestServer(data)) {
            send(server, "PUT", "/docs", """
                    {"mappings": {"properties": {"text": {"type": "text"},
                      "embedding": {"type": "dense_vector", "dims": 384, "similarity": "cosine"}}}}""");
            var indexed = send(server, "POST", "/docs/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
            assertThat(indexed.get("errors").asBoolean()).as(indexed.toString()).isFalse();
            var built = send(server, "PUT", "/_ml/trained_models/built", model("""
                    "query_vector_builder": {"text_embedding": {"model_id": "bge-small-en-v1.5",
                      "model_text": "{{query_text}}"}}"""));
            assertThat(built.get("model_id").asString()).as(built.toString()).isEqualTo("built");
            send(server, "PUT", "/_ml/trained_models/sent", model("\"query_vector\": \"{{query_vector}}\""));

            var byText = send(server, "POST", "/docs/_search",
                    search("built", "\"query_text\": " + Json.write(Json.MAPPER.valueToTree(question))));
            var byVector = send(server, "POST", "/docs/_search",
                    search("sent", "\"query_vector\": " + Arrays.toString(sent)));
            var textHits = byText.at("/hits/hits");
            assertThat(textHits).as(byText.toString()).hasSize(3);
            double best = -1;
            String closest = null;
            for (int i = 0; i < textHits.size(); i++) {
                var hit = textHits.get(i);
                var semantic = hit.at("/_rankql/features/semantic");
                assertThat(semantic).isEqualTo(byVector.at("/hits/hits/" + i + "/_rankql/features/semantic"));
                if (semantic.asDouble() > best) {
                    best = semantic.asDouble();
                    closest = hit.get("_id").asString();
                }
            }
            assertThat(closest).isEqualTo("1");

            var unknown = send(server, "PUT", "/_ml/trained_models/unknown", model("""
                    "query_vector_builder": {"text_embedding": {"model_id": "gpt-9", "model_text": "{{query_text}}"}}"""));
            assertThat(unknown.get("status").asInt()).isEqualTo(400);
            assertThat(unknown.at("/error/reason").asString())
                    .contains("no text embedding model [gpt-9]; the models available are [bge-small-en-v1.5]");
        }
        try (var server = new TestServer(data)) {
            // The stored model comes back with its builder and serves text again after a restart.
            var again = send(server, "POST", "/docs/_search",
                    search("built", "\"query_text\": " + Json.write(Json.MAPPER.valueToTree(question))));
            assertThat(again.at("/hits/hits/0/_rankql/features/semantic").isNumber()).as(again.toString()).isTrue();
        }
    }
}
