package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.mapping.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A trained model's {@code tags} and user {@code metadata}: kept with the model, shown by GET, checked as Elasticsearch does. */
class ModelTagsMetadataTest {

    @TempDir
    Path data;

    private static String body(String extra) {
        return """
                {"description": "tagged", %s
                 "inference_config": {"learning_to_rank": {"feature_extractors": %s}},
                 "definition": %s}""".formatted(extra, LtrTest.EXTRACTORS, LtrTest.DEFINITION);
    }

    private static JsonNode config(Engine engine, String id) {
        return engine.getModels(id).get("trained_model_configs").get(0);
    }

    @Test
    void tagsAndMetadataSurvivePutGetAndReopen() throws Exception {
        var metadata = "{\"trained_on\": \"scifact\", \"ndcg\": 0.71, \"params\": {\"depth\": [3, 6]}}";
        try (var engine = Engine.open(data)) {
            var put = engine.putModel("ltr-model", body("\"tags\": [\"prod\", \"scifact-v2\"], \"metadata\": " + metadata + ","), false);
            assertThat(put.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\", \"scifact-v2\"]"));

            var got = config(engine, "ltr-model");
            assertThat(got.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\", \"scifact-v2\"]"));
            assertThat(got.at("/metadata/trained_on").asString()).isEqualTo("scifact");
            assertThat(got.at("/metadata/ndcg").asDouble()).isEqualTo(0.71);
            assertThat(got.at("/metadata/params")).isEqualTo(Json.MAPPER.readTree("{\"depth\": [3, 6]}"));
            // rankql's own details sit beside the user's.
            assertThat(got.at("/metadata/rankql/format").asString()).isEqualTo("es");
            assertThat(List.copyOf(got.get("metadata").propertyNames())).containsExactly("trained_on", "ndcg", "params", "rankql");
        }
        try (var engine = Engine.open(data)) {
            var reopened = config(engine, "ltr-model");
            assertThat(reopened.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\", \"scifact-v2\"]"));
            var userMetadata = reopened.get("metadata").deepCopy();
            ((tools.jackson.databind.node.ObjectNode) userMetadata).remove("rankql");
            assertThat(userMetadata).isEqualTo(Json.MAPPER.readTree(metadata));
            assertThat(engine.models().require("ltr-model").tags()).containsExactly("prod", "scifact-v2");

            // A replace takes the new body's tags and metadata, none when it has none.
            engine.putModel("ltr-model", body(""), true);
            var replaced = config(engine, "ltr-model");
            assertThat(replaced.get("tags").isEmpty()).isTrue();
            assertThat(List.copyOf(replaced.get("metadata").propertyNames())).containsExactly("rankql");
        }
        try (var engine = Engine.open(data)) {
            assertThat(config(engine, "ltr-model").get("tags").isEmpty()).isTrue();
        }
    }

    @Test
    void getKeepsTheModelsThatCarryEveryTagAsked() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.putModel("a", body("\"tags\": [\"prod\", \"title\"],"), false);
            engine.putModel("b", body("\"tags\": [\"prod\"],"), false);
            engine.putModel("c", body(""), false);
            assertThat(ids(engine.getModels("_all", List.of("prod")))).containsExactly("a", "b");
            assertThat(ids(engine.getModels("*", List.of("prod", "title")))).containsExactly("a");
            assertThat(ids(engine.getModels("_all", List.of()))).containsExactly("a", "b", "c");
            assertThat(ids(engine.getModels("a", List.of("title")))).containsExactly("a");
            assertThat(ids(engine.getModels("x*", List.of("prod")))).isEmpty();
            // An id named outright must be found, as in Elasticsearch: one without the tags is not.
            assertThatThrownBy(() -> engine.getModels("a,b", List.of("title")))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.reason()).isEqualTo("Could not find trained model [b]");
                    });
        }
    }

    private static List<String> ids(JsonNode response) {
        var ids = new java.util.ArrayList<String>();
        response.get("trained_model_configs").forEach(c -> ids.add(c.get("model_id").asString()));
        return ids;
    }

    @Test
    void aModelWithoutTagsOrMetadataShowsAnEmptyListAndOnlyRankqlsDetails() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.putModel("plain", body(""), false);
            var got = config(engine, "plain");
            assertThat(got.get("tags").isArray()).isTrue();
            assertThat(got.get("tags").isEmpty()).isTrue();
            assertThat(List.copyOf(got.get("metadata").propertyNames())).containsExactly("rankql");
        }
    }

    @Test
    void tagsAndMetadataAreCheckedAsElasticsearchChecksThem() throws Exception {
        try (var engine = Engine.open(data)) {
            assertThatThrownBy(() -> engine.putModel("m1", body("\"tags\": [\"Prod\", \"ok\", \"-x\"],"), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.type()).isEqualTo("action_request_validation_exception");
                        assertThat(e.reason()).isEqualTo("Validation Failed: 1: Invalid tags [Prod, -x]; must only can contain "
                                + "lowercase alphanumeric (a-z and 0-9), hyphens or underscores, must start and end with "
                                + "alphanumeric, and must be less than 64 characters.;");
                    });
            assertThatThrownBy(() -> engine.putModel("m1", body("\"tags\": [\"m1\"], \"metadata\": {\"model_aliases\": []},"), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(
                            "Validation Failed: 1: none of the tags must equal the model_id;"
                                    + "2: illegal to set [metadata.model_aliases] at inference model creation;"));
            assertThatThrownBy(() -> engine.putModel("m1", body("\"metadata\": {\"total_feature_importance\": []},"), false))
                    .hasMessageContaining("illegal to set [metadata.total_feature_importance] at inference model creation");
            assertThatThrownBy(() -> engine.putModel("m1", body("\"metadata\": {\"rankql\": {}},"), false))
                    .hasMessageContaining("illegal to set [metadata.rankql]");
            assertThatThrownBy(() -> engine.putModel("m1", body("\"tags\": \"prod\","), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("x_content_parse_exception"));
            assertThatThrownBy(() -> engine.putModel("m1", body("\"tags\": [1],"), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("x_content_parse_exception"));
            assertThatThrownBy(() -> engine.putModel("m1", body("\"metadata\": [1],"), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("x_content_parse_exception"));

            // Tags and model ids never share a name.
            engine.putModel("m1", body("\"tags\": [\"prod\"],"), false);
            assertThatThrownBy(() -> engine.putModel("prod", body(""), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.type()).isEqualTo("status_exception");
                        assertThat(e.reason()).isEqualTo("The provided model_id prod must not match existing tags.");
                    });
            assertThatThrownBy(() -> engine.putModel("m2", body("\"tags\": [\"staging\", \"m1\"],"), false))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                            .isEqualTo("The provided tags [staging, m1] must not match existing model_ids."));
            // Replacing a model may keep its own tags.
            engine.putModel("m1", body("\"tags\": [\"prod\", \"v2\"],"), true);
            assertThat(config(engine, "m1").get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\", \"v2\"]"));
            assertThat(engine.getModels("_all").get("count").asInt()).isEqualTo(1);
        }
    }
}
