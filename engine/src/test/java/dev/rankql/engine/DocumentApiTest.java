package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentApiTest {

    @TempDir
    Path data;

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void indexGetUpdateDeleteOneDocument() throws Exception {
        try (var engine = Engine.open(data)) {
            var created = engine.indexDocument("books", Optional.of("1"), bytes("{\"title\": \"Running dogs\"}"), false,
                    RefreshPolicy.NONE);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.result()).contains("created");
            assertThat(engine.exists("books")).as("auto-created like Elasticsearch").isTrue();

            // Real-time get: visible before any refresh.
            var got = engine.getDocument("books", "1").orElseThrow();
            assertThat(got.version()).isEqualTo(1);
            assertThat(Json.write(got.toJson())).isEqualTo(
                    "{\"_index\":\"books\",\"_id\":\"1\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,\"found\":true,"
                            + "\"_source\":{\"title\":\"Running dogs\"}}");

            var updated = engine.indexDocument("books", Optional.of("1"), bytes("{\"title\": \"Sleeping cats\"}"), false,
                    RefreshPolicy.IMMEDIATE);
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.result()).contains("updated");
            assertThat(updated.version()).contains(2L);
            assertThat(engine.getDocument("books", "1").orElseThrow().source().get("title").asString()).isEqualTo("Sleeping cats");
            assertThat(engine.count("books", EsJson.parseQuery("{\"match\": {\"title\": \"cats\"}}"))).isEqualTo(1);
            assertThat(engine.count("books", EsJson.parseQuery("{\"match\": {\"title\": \"dogs\"}}"))).isZero();

            var conflict = engine.indexDocument("books", Optional.of("1"), bytes("{\"title\": \"x\"}"), true, RefreshPolicy.NONE);
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.error().orElseThrow().type()).isEqualTo("version_conflict_engine_exception");

            var generated = engine.indexDocument("books", Optional.empty(), bytes("{\"title\": \"cats again\"}"), false,
                    RefreshPolicy.WAIT_FOR);
            assertThat(generated.status()).isEqualTo(201);
            assertThat(generated.id()).isNotBlank();
            assertThat(engine.getDocument("books", generated.id())).isPresent();
            assertThat(engine.count("books", EsJson.parseQuery("{\"match\": {\"title\": \"cats\"}}"))).isEqualTo(2);

            var deleted = engine.deleteDocument("books", "1", RefreshPolicy.IMMEDIATE);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.result()).contains("deleted");
            assertThat(engine.getDocument("books", "1")).isEmpty();
            assertThat(engine.count("books", EsJson.parseQuery("{\"match\": {\"title\": \"cats\"}}"))).isEqualTo(1);

            var missing = engine.deleteDocument("books", "1", RefreshPolicy.NONE);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.result()).contains("not_found");
            assertThat(Json.write(StoredDocument.notFoundJson("books", "1")))
                    .isEqualTo("{\"_index\":\"books\",\"_id\":\"1\",\"found\":false}");
        }
    }

    @Test
    void partialUpdatesMergeUpsertAndReportMissingDocuments() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.indexDocument("books", Optional.of("1"), bytes("{\"title\": \"Dogs\", \"count\": 1}"), false, RefreshPolicy.NONE);
            var updated = engine.updateDocument("books", "1", bytes("{\"doc\": {\"count\": 2}}"), RefreshPolicy.NONE);
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.result()).contains("updated");
            assertThat(Json.write(engine.getDocument("books", "1").orElseThrow().source())).isEqualTo("{\"title\":\"Dogs\",\"count\":2}");
            assertThat(engine.updateDocument("books", "1", bytes("{\"doc\": {\"count\": 2}}"), RefreshPolicy.NONE).result())
                    .contains("noop");
            var missing = engine.updateDocument("books", "2", bytes("{\"doc\": {\"count\": 2}}"), RefreshPolicy.NONE);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.error().orElseThrow().type()).isEqualTo("document_missing_exception");
            var upserted = engine.updateDocument("books", "2", bytes("{\"doc\": {\"count\": 5}, \"doc_as_upsert\": true}"),
                    RefreshPolicy.NONE);
            assertThat(upserted.status()).isEqualTo(201);
            assertThat(engine.getDocument("books", "2")).isPresent();
        }
    }

    @Test
    void aMissingIndexIsNotFoundForReadsAndDeletes() throws Exception {
        try (var engine = Engine.open(data)) {
            assertThatThrownBy(() -> engine.getDocument("nope", "1"))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("index_not_found_exception"));
            assertThatThrownBy(() -> engine.count("nope", EsJson.parseQuery("{\"match_all\": {}}")))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
            var delete = engine.deleteDocument("nope", "1", RefreshPolicy.NONE);
            assertThat(delete.status()).isEqualTo(404);
            assertThat(delete.error().orElseThrow().type()).isEqualTo("index_not_found_exception");
            assertThat(engine.exists("nope")).isFalse();
        }
    }

    @Test
    void aDocumentThatDoesNotFitTheMappingChangesNothing() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("books", "{\"mappings\": {\"properties\": {\"count\": {\"type\": \"integer\"}}}}");
            var bad = engine.indexDocument("books", Optional.of("1"), bytes("{\"count\": \"many\"}"), false, RefreshPolicy.IMMEDIATE);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.error().orElseThrow().type()).isEqualTo("document_parsing_exception");
            assertThat(engine.getDocument("books", "1")).isEmpty();
        }
    }
}
