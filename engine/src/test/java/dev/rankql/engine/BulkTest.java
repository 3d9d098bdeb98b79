package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.ast.Value;
import dev.rankql.engine.mapping.Json;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkTest {

    @TempDir
    Path data;

    private static final String MAPPING = "{\"mappings\": {\"properties\": {\"n\": {\"type\": \"long\"}, \"t\": {\"type\": \"text\"}}}}";

    @Test
    void itemsHaveElasticsearchShapeAndBadLinesFailOnlyTheirItem() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("i", MAPPING);
            var ndjson = """
                    {"index": {"_id": "1"}}
                    {"n": 1, "t": "one"}
                    {"create": {"_index": "i", "_id": "1", "routing": "r"}}
                    {"n": 2}
                    {"index": {"_id": "2"}}
                    {"n": "not a number", "t": "never half written"}
                    {"index": {"_id": "3"}}
                    {"n": 3, "t": broken json
                    {"update": {"_id": "1"}}
                    {"doc": {"t": "uno"}}
                    {"update": {"_id": "9"}}
                    {"doc": {"t": "missing"}}
                    {"delete": {"_id": "1"}}
                    {"delete": {"_id": "1"}}
                    {"index": {}}
                    {"n": 4}
                    """;
            var response = engine.bulk("i", new StringReader(ndjson), RefreshPolicy.IMMEDIATE);
            var items = response.items();
            assertThat(response.errors()).isTrue();
            assertThat(Json.write(items.get(0).toJson())).isEqualTo("{\"index\":{\"_index\":\"i\",\"_id\":\"1\",\"_version\":1,"
                    + "\"result\":\"created\",\"forced_refresh\":true,\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},"
                    + "\"_seq_no\":0,\"_primary_term\":1,\"status\":201}}");
            assertThat(items.get(1).status()).isEqualTo(409);
            assertThat(items.get(1).error().orElseThrow().getMessage())
                    .isEqualTo("[1]: version conflict, document already exists (current version [1])");
            assertThat(items.get(1).error().orElseThrow().type()).isEqualTo("version_conflict_engine_exception");
            assertThat(items.get(2).status()).isEqualTo(400);
            assertThat(items.get(2).error().orElseThrow().type()).isEqualTo("document_parsing_exception");
            assertThat(items.get(2).error().orElseThrow().getMessage()).isEqualTo(
                    "failed to parse field [n] of type [long] in document with id '2'. Preview of field's value: 'not a number'");
            assertThat(items.get(3).status()).isEqualTo(400);
            assertThat(items.get(4).result()).contains("updated");
            assertThat(items.get(4).version()).contains(2L);
            assertThat(items.get(5).status()).isEqualTo(404);
            assertThat(items.get(5).error().orElseThrow().getMessage()).isEqualTo("[9]: document missing");
            assertThat(items.get(6).result()).contains("deleted");
            assertThat(items.get(6).version()).contains(3L);
            assertThat(items.get(7).result()).contains("not_found");
            assertThat(items.get(7).status()).isEqualTo(404);
            assertThat(items.get(8).id()).hasSize(20).matches("[A-Za-z0-9_-]{20}");
            assertThat(items.get(8).status()).isEqualTo(201);

            var all = engine.search("i", Ast.search(Ast.matchAll(), null, null));
            assertThat(TestIndex.ids(all)).containsExactly(items.get(8).id());
            assertThat(all.total().orElseThrow().value()).isEqualTo(1);
            // The rejected document left nothing behind: not its text, not a mapping for a field only it had.
            assertThat(engine.search("i", Ast.search(Ast.match("t", "half"), null, null)).hits()).isEmpty();
            assertThat(Json.write(response.toJson())).startsWith("{\"errors\":true,\"took\":");
        }
    }

    @Test
    void malformedActionLineFailsTheRequestAsElasticsearchDoes() throws Exception {
        try (var engine = Engine.open(data)) {
            assertThatThrownBy(() -> engine.bulk("i", new StringReader("{\"explode\": {}}\n{}\n"), RefreshPolicy.NONE))
                    .hasMessage("Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [explode]");
            assertThatThrownBy(() -> engine.bulk(null, new StringReader("{\"index\": {}}\n{}\n"), RefreshPolicy.NONE))
                    .hasMessage("Validation Failed: 1: index is missing;");
            assertThat(engine.listIndices()).isEmpty();
        }
    }

    @Test
    void updateMergesObjectsAndDetectsNoops() throws Exception {
        try (var engine = Engine.open(data)) {
            var ndjson = """
                    {"index": {"_index": "auto", "_id": "a"}}
                    {"user": {"name": "x", "age": 3}, "tags": ["a"]}
                    {"update": {"_index": "auto", "_id": "a"}}
                    {"doc": {"user": {"age": 4}}}
                    {"update": {"_index": "auto", "_id": "a"}}
                    {"doc": {"user": {"age": 4}}}
                    {"update": {"_index": "auto", "_id": "b"}}
                    {"doc": {"k": 1}, "doc_as_upsert": true}
                    """;
            var response = engine.bulk(null, new StringReader(ndjson), RefreshPolicy.WAIT_FOR);
            assertThat(response.errors()).isFalse();
            assertThat(response.items().stream().map(i -> i.result().orElseThrow()).toList())
                    .containsExactly("created", "updated", "noop", "created");
            var hit = engine.search("auto", Ast.search(Ast.ids("a"), null, null)).hits().get(0);
            assertThat(Json.write(hit.source().orElseThrow())).isEqualTo("{\"user\":{\"name\":\"x\",\"age\":4},\"tags\":[\"a\"]}");
            assertThat(engine.getIndex("auto").mappings().flatten()).containsKeys("user.name", "user.age", "tags", "tags.keyword", "k");
        }
    }

    @Test
    void jsonLinesParsedOnceStoreTheExactBytesAndIndexEveryField() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("once", "{\"mappings\": {\"properties\": {\"n\": {\"type\": \"integer\"}, \"t\": {\"type\": \"text\"}}}}");
            var lines = List.of(
                    "{ \"id\" : \"a\",  \"n\": 5, \"t\": \"Hello  world\", \"d\": 2.50 }",
                    "{\"id\": 1.10, \"n\": -7}",
                    "{\"id\": true, \"n\": 2147483647}",
                    "{\"n\": 3000000000}",
                    "[1, 2]",
                    "{\"n\": 1, \"n\": 2}");
            var response = engine.ingestJsonLines("once", new StringReader(String.join("\n", lines) + "\n"), RefreshPolicy.IMMEDIATE);
            assertThat(response.items().stream().map(BulkResponse.Item::id).limit(3).toList()).containsExactly("a", "1.10", "true");
            assertThat(response.items().subList(0, 3)).allSatisfy(item -> assertThat(item.error()).isEmpty());
            assertThat(response.items().get(3).error().orElseThrow().getMessage()).isEqualTo(
                    "failed to parse field [n] of type [integer] in document with id '" + response.items().get(3).id()
                            + "'. Preview of field's value: '3000000000'");
            assertThat(response.items().get(4).error().orElseThrow().getMessage()).isEqualTo("failed to parse, document is empty");
            assertThat(response.items().get(5).error().orElseThrow().type()).isEqualTo("document_parsing_exception");

            var handle = engine.handle("once");
            var searcher = handle.acquire();
            try {
                var stored = searcher.storedFields();
                for (int doc = 0; doc < 3; doc++) {
                    var source = stored.document(doc).getBinaryValue(dev.rankql.engine.mapping.FieldNames.SOURCE);
                    assertThat(new String(source.bytes, source.offset, source.length, java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo(lines.get(doc));
                }
            } finally {
                handle.release(searcher);
            }
            assertThat(TestIndex.ids(engine.search("once", Ast.search(Ast.match("t", "hello"), null, null)))).containsExactly("a");
            assertThat(TestIndex.ids(engine.search("once", Ast.search(Ast.range("n", Value.of(-10), Value.of(0)), null, null))))
                    .containsExactly("1.10");
            assertThat(TestIndex.ids(engine.search("once", Ast.search(Ast.term("n", Value.of(2147483647)), null, null))))
                    .containsExactly("true");
            assertThat(engine.getIndex("once").mappings().flatten().get("d").typeName()).isEqualTo("float");
        }
    }

    @Test
    void jsonLinesTakeIdsFromUnderscoreIdOrIdAndKeepSourceAsSent() throws Exception {
        try (var engine = Engine.open(data)) {
            var lines = "{\"_id\": \"x\", \"v\": 1.10}\n{\"id\": 7, \"v\": 2}\n\n{\"v\": 3}\n{oops\n";
            var response = engine.ingestJsonLines("docs", new StringReader(lines), RefreshPolicy.IMMEDIATE);
            assertThat(response.items()).hasSize(4);
            assertThat(response.items().get(0).id()).isEqualTo("x");
            assertThat(response.items().get(1).id()).isEqualTo("7");
            assertThat(response.items().get(2).id()).hasSize(20);
            assertThat(response.items().get(3).error()).isPresent();
            var hits = engine.search("docs", Ast.search(Ast.matchAll(), null, null)).hits();
            assertThat(Json.write(hits.get(0).source().orElseThrow())).isEqualTo("{\"v\":1.10}");
            assertThat(Json.write(hits.get(1).source().orElseThrow())).isEqualTo("{\"id\":7,\"v\":2}");
        }
    }

    @Test
    void decimalsWhoseExponentNoBigDecimalHoldsAreReadAsDoublesNotCrashes() throws Exception {
        // Found by BulkFuzzTest: re-reading such a source with exact decimals made Jackson throw a bare
        // NumberFormatException out of the bulk reader; the source is now read with doubles, as it was indexed.
        try (var engine = Engine.open(data)) {
            var lines = "{\"id\": 1e-2147483648, \"v\": 1}\n{\"_id\": \"x\", \"v\": 1e-2147483648}\n";
            var response = engine.ingestJsonLines("docs", new StringReader(lines), RefreshPolicy.IMMEDIATE);
            assertThat(response.items()).hasSize(2).allSatisfy(item -> assertThat(item.error()).isEmpty());
            assertThat(response.items().get(0).id()).isEqualTo("0.0");
            assertThat(response.items().get(1).id()).isEqualTo("x");

            var ndjson = """
                    {"index": {"_id": "y"}}
                    {"v": 2, "w": 1e-2147483648}
                    {"update": {"_id": "y"}}
                    {"doc": {"u": 1e-2147483648}}
                    """;
            assertThat(engine.bulk("docs", new StringReader(ndjson), RefreshPolicy.IMMEDIATE).errors()).isFalse();
            var hits = engine.search("docs", Ast.search(Ast.ids("y"), null, null)).hits();
            assertThat(Json.write(hits.get(0).source().orElseThrow())).isEqualTo("{\"v\":2,\"w\":0.0,\"u\":0.0}");
        }
    }

    @Test
    void writesAreVisibleOnlyAfterRefreshButDurableAtOnce() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("r", "{\"settings\": {\"refresh_interval\": \"-1\"}}");
            engine.bulk("r", new StringReader("{\"index\": {\"_id\": \"1\"}}\n{\"a\": 1}\n"), RefreshPolicy.NONE);
            assertThat(engine.search("r", Ast.search(null, null, null)).hits()).isEmpty();
            engine.refresh("r");
            assertThat(engine.search("r", Ast.search(null, null, null)).hits()).hasSize(1);
            engine.bulk("r", new StringReader("{\"index\": {\"_id\": \"2\"}}\n{\"a\": 2}\n"), RefreshPolicy.NONE);
        }
        try (var engine = Engine.open(data)) {
            assertThat(TestIndex.ids(engine.search("r", Ast.search(null, null, null)))).containsExactly("1", "2");
        }
    }

    @Test
    void versionsAndSequenceNumbersContinueAfterReopen() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.bulk("v", new StringReader("{\"index\": {\"_id\": \"a\"}}\n{\"x\": 1}\n{\"index\": {\"_id\": \"a\"}}\n{\"x\": 2}\n"),
                    RefreshPolicy.NONE);
        }
        try (var engine = Engine.open(data)) {
            var response = engine.bulk("v", new StringReader("{\"index\": {\"_id\": \"a\"}}\n{\"x\": 3}\n{\"create\": {\"_id\": \"a\"}}\n{}\n"),
                    RefreshPolicy.IMMEDIATE);
            var item = response.items().get(0);
            assertThat(item.result()).contains("updated");
            assertThat(item.version()).contains(3L);
            assertThat(item.seqNo()).contains(2L);
            assertThat(response.items().get(1).status()).isEqualTo(409);
            var hits = engine.search("v", Ast.search(null, null, null)).hits();
            assertThat(hits).hasSize(1);
            assertThat(Json.write(hits.get(0).source().orElseThrow())).isEqualTo("{\"x\":3}");
        }
    }

    @Test
    void periodicRefreshMakesWritesVisible() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("p", "{\"settings\": {\"refresh_interval\": \"20ms\"}}");
            engine.bulk("p", new StringReader("{\"index\": {\"_id\": \"1\"}}\n{\"a\": 1}\n"), RefreshPolicy.NONE);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (engine.search("p", Ast.search(null, null, null)).hits().isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    @Test
    void documentsKeepIngestOrderAcrossFlushesAndMerges() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("o", "{\"mappings\": {\"properties\": {\"n\": {\"type\": \"long\"}}}}");
            int batches = 12;
            int perBatch = 30;
            for (int b = 0; b < batches; b++) {
                var ndjson = new StringBuilder();
                for (int i = 0; i < perBatch; i++) {
                    int n = b * perBatch + i;
                    ndjson.append("{\"index\": {\"_id\": \"d").append(n).append("\"}}\n{\"n\": ").append(n).append("}\n");
                }
                engine.bulk("o", new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
            }
            // Every document scores 1, so hits come in index order: it must be ingest order.
            var response = engine.search("o", Ast.search(Ast.matchAll(), 0, batches * perBatch));
            var expected = new ArrayList<String>();
            for (int n = 0; n < batches * perBatch; n++) {
                expected.add("d" + n);
            }
            assertThat(TestIndex.ids(response)).isEqualTo(expected);
        }
    }

    @Test
    void refreshesShowWholeRequestsOnly() throws Exception {
        try (var engine = Engine.open(data)) {
            // A refresh every millisecond runs many times inside each request; searches read the latest commit, and
            // a request commits once at its end, so no refresh can show part of one.
            engine.createIndex("w", "{\"settings\": {\"refresh_interval\": \"1ms\"}, " + MAPPING.substring(1));
            int perRequest = 200;
            var stop = new AtomicBoolean();
            var pool = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> reader = pool.submit(() -> {
                    int searches = 0;
                    while (!stop.get()) {
                        long total = engine.search("w", Ast.search(null, null, 0)).total().orElseThrow().value();
                        assertThat(total % perRequest).isZero();
                        searches++;
                    }
                    return searches;
                });
                for (int b = 0; b < 8; b++) {
                    var lines = new StringBuilder();
                    for (int i = 0; i < perRequest; i++) {
                        lines.append("{\"n\": ").append(b * perRequest + i).append(", \"t\": \"w").append(i).append("\"}\n");
                    }
                    engine.ingestJsonLines("w", new StringReader(lines.toString()), RefreshPolicy.NONE);
                }
                stop.set(true);
                assertThat(reader.get()).isPositive();
            } finally {
                pool.shutdownNow();
            }
            engine.refresh("w");
            assertThat(engine.search("w", Ast.search(null, null, 0)).total().orElseThrow().value()).isEqualTo(8L * perRequest);
        }
    }

    @Test
    void concurrentSearchesDuringIngestAreSafe() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("c", MAPPING);
            var stop = new AtomicBoolean();
            var pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    readers.add(pool.submit(() -> {
                        int searches = 0;
                        long last = 0;
                        while (!stop.get()) {
                            var response = engine.search("c", Ast.search(Ast.range("n", Value.of(0), null), null, 0));
                            long total = response.total().orElseThrow().value();
                            assertThat(total).isGreaterThanOrEqualTo(last);
                            last = total;
                            searches++;
                        }
                        return searches;
                    }));
                }
                for (int b = 0; b < 10; b++) {
                    var ndjson = new StringBuilder();
                    for (int i = 0; i < 10; i++) {
                        ndjson.append("{\"index\": {}}\n{\"n\": ").append(b * 10 + i).append(", \"t\": \"w").append(i).append("\"}\n");
                    }
                    engine.bulk("c", new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
                }
                stop.set(true);
                for (var reader : readers) {
                    assertThat(reader.get()).isPositive();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(engine.search("c", Ast.search(null, null, 0)).total().orElseThrow().value()).isEqualTo(100);
        }
    }
}
