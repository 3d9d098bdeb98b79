package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is on disk when a write is acknowledged: with the default request durability every write API has committed;
 * with {@code index.translog.durability: async} the commit follows within the sync interval, at a refresh or at a
 * clean close. The kill -9 harness of the cli tests the same with real crashes.
 */
class DurabilityTest {

    @TempDir
    Path data;

    /** The live documents of the latest Lucene commit of {@code index}, read from disk as a restart would. */
    private int committedDocs(String index) throws IOException {
        try (var directory = FSDirectory.open(data.resolve(index).resolve("lucene"));
                var reader = DirectoryReader.open(directory)) {
            return reader.numDocs();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAcknowledgedWriteApiHasCommittedBeforeItReturns() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("books", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
            assertThat(Files.exists(data.resolve("books").resolve("index.json"))).isTrue();
            engine.indexDocument("books", Optional.of("1"), bytes("{\"title\": \"one\"}"), false, RefreshPolicy.NONE);
            assertThat(committedDocs("books")).isEqualTo(1);
            engine.indexDocument("books", Optional.of("2"), bytes("{\"title\": \"two\"}"), true, RefreshPolicy.NONE);
            assertThat(committedDocs("books")).isEqualTo(2);
            engine.indexDocument("books", Optional.empty(), bytes("{\"title\": \"generated\"}"), false, RefreshPolicy.NONE);
            assertThat(committedDocs("books")).isEqualTo(3);
            engine.updateDocument("books", "1", bytes("{\"doc\": {\"pages\": 3}}"), RefreshPolicy.NONE);
            // The new field's mapping was written with the commit that holds the document.
            assertThat(Files.readString(data.resolve("books").resolve("index.json"))).contains("pages");
            engine.deleteDocument("books", "2", RefreshPolicy.NONE);
            assertThat(committedDocs("books")).isEqualTo(2);
            engine.bulk("books", new StringReader("{\"index\": {\"_id\": \"4\"}}\n{\"title\": \"four\"}\n"
                    + "{\"delete\": {\"_id\": \"3\"}}\n"), RefreshPolicy.NONE);
            engine.ingestJsonLines("books", new StringReader("{\"_id\": \"5\", \"title\": \"five\"}\n"), RefreshPolicy.NONE);
            assertThat(committedDocs("books")).isEqualTo(4);

            engine.putModel("m", LtrTest.BODY, false);
            engine.putModel("m", LtrTest.BODY.replace("super complex", "replaced"), true);
            var models = data.resolve("_models");
            try (var files = Files.list(models)) {
                // Written through a temporary file and an atomic rename: nothing else is left beside the model.
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.json");
            }
            assertThat(Files.readString(models.resolve("m.json"))).contains("replaced");
            engine.deleteModel("m");
            assertThat(models.resolve("m.json")).doesNotExist();
            engine.deleteIndex("books");
            assertThat(data.resolve("books")).doesNotExist();
        }
    }

    @Test
    void aDocumentLuceneRefusesFailsItsItemAndTheRestOfTheRequestIsCommittedWithIt() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("tags", "{\"mappings\": {\"properties\": {\"tag\": {\"type\": \"keyword\"}}}}");
            var immense = "x".repeat(40_000);
            var response = engine.bulk("tags", new StringReader("{\"index\": {\"_id\": \"1\"}}\n{\"tag\": \"ok\"}\n"
                    + "{\"index\": {\"_id\": \"2\"}}\n{\"tag\": \"" + immense + "\"}\n"
                    + "{\"index\": {\"_id\": \"3\"}}\n{\"tag\": \"fine\"}\n"), RefreshPolicy.NONE);
            assertThat(response.errors()).isTrue();
            assertThat(response.items().get(1).status()).isEqualTo(400);
            assertThat(response.items().get(1).error().orElseThrow().type()).isEqualTo("illegal_argument_exception");
            assertThat(response.items().get(1).error().orElseThrow().reason()).contains("immense term");
            assertThat(response.items().get(0).status()).isEqualTo(201);
            assertThat(response.items().get(2).status()).isEqualTo(201);
            assertThat(committedDocs("tags")).isEqualTo(2);
            assertThat(engine.getDocument("tags", "2")).isEmpty();
        }
    }

    @Test
    void asyncDurabilityAcknowledgesFirstAndCommitsAtRefreshAndAtClose() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("logs", "{\"settings\": {\"index.translog.durability\": \"async\", "
                    + "\"index.translog.sync_interval\": \"1h\", \"index.refresh_interval\": \"-1\"}}");
            engine.ingestJsonLines("logs", new StringReader("{\"_id\": \"1\", \"m\": \"a\"}\n"), RefreshPolicy.NONE);
            assertThat(committedDocs("logs")).isZero();
            // Real-time get sees the acknowledged write; a refresh commits it, since searches read commits.
            assertThat(engine.getDocument("logs", "1")).isPresent();
            engine.refresh("logs");
            assertThat(committedDocs("logs")).isEqualTo(1);
            engine.ingestJsonLines("logs", new StringReader("{\"_id\": \"2\", \"m\": \"b\"}\n"), RefreshPolicy.NONE);
            assertThat(committedDocs("logs")).isEqualTo(1);
        }
        assertThat(committedDocs("logs")).as("a clean close commits").isEqualTo(2);
        try (var engine = Engine.open(data)) {
            assertThat(engine.getDocument("logs", "2")).isPresent();
        }
    }

    @Test
    void asyncDurabilityCommitsWithinTheSyncInterval() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("logs", "{\"settings\": {\"index.translog.durability\": \"ASYNC\", "
                    + "\"index.translog.sync_interval\": \"100ms\", \"index.refresh_interval\": \"-1\"}}");
            engine.ingestJsonLines("logs", new StringReader("{\"_id\": \"1\"}\n{\"_id\": \"2\"}\n"), RefreshPolicy.NONE);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (committedDocs("logs") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(committedDocs("logs")).isEqualTo(2);
        }
    }

    @Test
    void durabilitySettingsAreCheckedWithClearMessages() throws Exception {
        try (var engine = Engine.open(data)) {
            assertThatThrownBy(() -> engine.createIndex("a", "{\"settings\": {\"index.translog.durability\": \"never\"}}"))
                    .hasMessage("illegal value [never] for setting [index.translog.durability], must be one of [request, async]");
            assertThatThrownBy(() -> engine.createIndex("b", "{\"settings\": {\"index.translog.sync_interval\": \"10ms\"}}"))
                    .hasMessage("failed to parse value [10ms] for setting [index.translog.sync_interval] must be >= 100ms");
            assertThatThrownBy(() -> engine.createIndex("c", "{\"settings\": {\"index\": {\"translog\": {\"sync_interval\": \"soon\"}}}}"))
                    .hasMessageContaining("[index.translog.sync_interval]");
            engine.createIndex("d", "{\"settings\": {\"index\": {\"translog\": {\"durability\": \"request\"}}}}");
            assertThat(engine.getIndex("d").settings().asyncDurability()).isFalse();
            assertThat(engine.getIndex("d").settings().syncIntervalMillis()).isEqualTo(5_000);
        }
    }
}
