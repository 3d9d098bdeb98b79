package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code PUT _ml/trained_models/{id}} with tags and metadata, then GET, before and after the server restarts. */
class TrainedModelTagsHttpTest {

    private static final String BODY = """
            {"inference_config": {"learning_to_rank": {"feature_extractors": [
              {"query_extractor": {"feature_name": "f", "query": {"match": {"title": "{{query_text}}"}}}}]}},
             "definition": {"trained_model": {"tree": {"feature_names": ["f"], "tree_structure": [
               {"node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "lt", "left_child": 1, "right_child": 2},
               {"node_index": 1, "leaf_value": 1}, {"node_index": 2, "leaf_value": 2}]}}}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JsonNode send(TestServer server, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(server.uri(path));
        builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return Json.MAPPER.readTree(http.send(builder.build(), BodyHandlers.ofString()).body());
    }

    @Test
    void putThenGetShowsTagsAndMetadataAcrossARestart(@TempDir Path data) throws Exception {
        var body = BODY.replaceFirst("\\{",
                "{\"tags\": [\"prod\"], \"metadata\": {\"trained_on\": \"scifact\", \"depth\": [3, 6]}, ");
        try (var server = new TestServer(data)) {
            var put = send(server, "PUT", "/_ml/trained_models/m1", body);
            assertThat(put.get("tags")).as(put.toString()).isEqualTo(Json.MAPPER.readTree("[\"prod\"]"));
            var got = send(server, "GET", "/_ml/trained_models/m1", null).at("/trained_model_configs/0");
            assertThat(got.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\"]"));
            assertThat(got.at("/metadata/trained_on").asString()).isEqualTo("scifact");
        }
        try (var server = new TestServer(data)) {
            var got = send(server, "GET", "/_ml/trained_models/m1", null).at("/trained_model_configs/0");
            assertThat(got.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\"]"));
            assertThat(got.at("/metadata/depth")).isEqualTo(Json.MAPPER.readTree("[3, 6]"));
            assertThat(send(server, "GET", "/_ml/trained_models?tags=prod", null).get("count").asInt()).isEqualTo(1);
            assertThat(send(server, "GET", "/_ml/trained_models/_all?tags=prod,other", null).get("count").asInt()).isZero();
            var invalid = send(server, "PUT", "/_ml/trained_models/m2", body.replace("\"prod\"", "\"Prod\""));
            assertThat(invalid.get("status").asInt()).isEqualTo(400);
            assertThat(invalid.at("/error/type").asString()).isEqualTo("action_request_validation_exception");
        }
    }
}
