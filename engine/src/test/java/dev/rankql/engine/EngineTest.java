package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.NumberType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

    @TempDir
    Path data;

    private static final String BODY = """
            {"settings": {"number_of_shards": 2, "index": {"number_of_replicas": 0,
                          "similarity": {"default": {"type": "BM25", "k1": 1.5, "b": 0.5}}, "max_rescore_window": 50}},
             "mappings": {"properties": {
                "title": {"type": "text", "analyzer": "english", "fields": {"raw": {"type": "keyword"}}},
                "body": {"type": "text", "analyzer": "standard", "search_analyzer": "stop"},
                "tag": {"type": "keyword", "ignore_above": 10},
                "price": {"type": "half_float"}, "count": {"type": "integer"}, "ok": {"type": "boolean"},
                "when": {"type": "date"}, "pop": {"type": "rank_feature"}, "topics": {"type": "rank_features"},
                "author": {"properties": {"name": {"type": "keyword"}, "age": {"type": "short"}}}}}}
            """;

    @Test
    void createGetListDeleteAndReopen() throws Exception {
        dev.rankql.engine.mapping.Mappings mappings;
        try (var engine = Engine.open(data)) {
            var created = engine.createIndex("books", BODY);
            assertThat(Json.write(created)).isEqualTo("{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"books\"}");
            engine.createIndex("other", (String) null);
            assertThat(engine.listIndices()).containsExactly("books", "other");
            var meta = engine.getIndex("books");
            assertThat(meta.settings().k1()).isEqualTo(1.5f);
            assertThat(meta.settings().b()).isEqualTo(0.5f);
            assertThat(meta.settings().maxRescoreWindow()).isEqualTo(50);
            assertThat(meta.settings().maxResultWindow()).isEqualTo(10_000);
            var fields = meta.mappings().flatten();
            assertThat(fields.get("title")).isEqualTo(new FieldMapping.Text("english", java.util.Optional.empty(),
                    java.util.Map.of("raw", new FieldMapping.Keyword(java.util.Optional.empty(), java.util.Map.of()))));
            assertThat(fields.get("title.raw")).isInstanceOf(FieldMapping.Keyword.class);
            mappings = meta.mappings();
            assertThat(Json.write(meta.toMappingJson())).startsWith("{\"books\":{\"mappings\":{\"properties\":{\"author\":{\"properties\":");
            assertThat(Json.write(meta.toJson())).contains("\"provided_name\":\"books\"").contains("\"number_of_shards\":\"2\"");
            assertThat(fields.get("author.age")).isEqualTo(new FieldMapping.Numeric(NumberType.SHORT, java.util.Map.of()));
            TestIndex.indexDocs(engine, "books", List.of("{\"title\": \"Running dogs\", \"count\": 3}"));
            engine.deleteIndex("other");
            assertThat(engine.listIndices()).containsExactly("books");
        }
        try (var engine = Engine.open(data)) {
            assertThat(engine.listIndices()).containsExactly("books");
            var meta = engine.getIndex("books");
            assertThat(meta.settings().k1()).isEqualTo(1.5f);
            assertThat(meta.mappings()).isEqualTo(mappings);
        }
    }

    @Test
    void reopenRestoresMappingsDocumentsAndScores() throws Exception {
        List<Float> before;
        try (var engine = Engine.open(data)) {
            engine.createIndex("books", BODY);
            TestIndex.indexDocs(engine, "books", List.of(
                    "{\"title\": \"Running dogs run\", \"extra\": \"dynamic text\"}",
                    "{\"title\": \"A cat\", \"extra\": 5}"));
            before = TestIndex.scores(engine.search("books", Ast.search(Ast.match("title", "run"), null, null)));
            assertThat(before).hasSize(1);
        }
        try (var engine = Engine.open(data)) {
            var fields = engine.getIndex("books").mappings().flatten();
            assertThat(fields.get("extra")).isInstanceOf(FieldMapping.Text.class);
            assertThat(fields.get("extra.keyword")).isEqualTo(new FieldMapping.Keyword(java.util.Optional.of(256), java.util.Map.of()));
            var response = engine.search("books", Ast.search(Ast.match("title", "run"), null, null));
            assertThat(TestIndex.scores(response)).isEqualTo(before);
            assertThat(TestIndex.ids(engine.search("books", Ast.search(Ast.term("extra.keyword", Value.of("dynamic text")), null, null))))
                    .containsExactly("1");
        }
    }

    @Test
    void errorsHaveElasticsearchShape() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("books", "{}");
            assertThatThrownBy(() -> engine.createIndex("books", "{}"))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(Json.write(e.toJson())).isEqualTo("{\"error\":{\"root_cause\":[{\"type\":\"resource_already_exists_exception\","
                                + "\"reason\":\"index [books] already exists\",\"index_uuid\":\"_na_\",\"index\":\"books\"}],"
                                + "\"type\":\"resource_already_exists_exception\",\"reason\":\"index [books] already exists\","
                                + "\"index_uuid\":\"_na_\",\"index\":\"books\"},\"status\":400}");
                    });
            assertThatThrownBy(() -> engine.search("nope", Ast.search(null, null, null)))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.type()).isEqualTo("index_not_found_exception");
                        assertThat(e.getMessage()).isEqualTo("no such index [nope]");
                        assertThat(e.status()).isEqualTo(404);
                    });
            assertThatThrownBy(() -> engine.deleteIndex("nope")).hasMessage("no such index [nope]");
            assertThatThrownBy(() -> engine.createIndex("bad", "{\"mappings\": {\"properties\": {\"x\": {\"type\": \"nope\"}}}}"))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.type()).isEqualTo("mapper_parsing_exception");
                        assertThat(e.getMessage()).isEqualTo("Failed to parse mapping: No handler for type [nope] declared on field [x]");
                        // As Elasticsearch: the wrapped mapper_parsing_exception is the root cause.
                        assertThat(e.toJson().at("/error/root_cause/0/reason").asString())
                                .isEqualTo("No handler for type [nope] declared on field [x]");
                    });
            assertThatThrownBy(() -> engine.createIndex("bad", "{\"mappings\": {\"properties\": {\"x\": {\"type\": \"text\", \"analyzer\": \"klingon\"}}}}"))
                    .hasMessage("Failed to parse mapping: analyzer [klingon] has not been configured in mappings");
            assertThatThrownBy(() -> engine.createIndex("bad", "{\"mappings\": {\"properties\": {\"x\": {\"type\": \"keyword\", \"foo\": 1}}}}"))
                    .hasMessage("Failed to parse mapping: unknown parameter [foo] on mapper [x] of type [keyword]");
            assertThat(engine.listIndices()).containsExactly("books");
        }
    }

    @Test
    void aFolderWithoutIndexJsonIsIgnoredAndReplacedOnCreate() throws Exception {
        java.nio.file.Files.createDirectories(data.resolve("half").resolve("lucene"));
        java.nio.file.Files.writeString(data.resolve("half").resolve("lucene").resolve("junk"), "x");
        try (var engine = Engine.open(data)) {
            assertThat(engine.listIndices()).isEmpty();
            engine.createIndex("half", "{}");
            TestIndex.indexDocs(engine, "half", List.of("{\"a\": 1}"));
            assertThat(engine.search("half", Ast.search(null, null, null)).hits()).hasSize(1);
        }
        try (var engine = Engine.open(data)) {
            assertThat(engine.listIndices()).containsExactly("half");
        }
    }

    @Test
    void secondEngineOnTheSameDirectoryIsRefused() throws Exception {
        try (var engine = Engine.open(data)) {
            assertThat(engine.dataDir()).isEqualTo(data.toAbsolutePath().normalize());
            assertThatThrownBy(() -> Engine.open(data)).hasMessageContaining("in use");
        }
    }
}
