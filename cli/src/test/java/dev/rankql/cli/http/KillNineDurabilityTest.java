package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kill -9 durability of {@code rankql serve}: a client streams bulk requests, single-document writes, updates and
 * deletes over HTTP while the server is killed with SIGKILL at random moments and restarted on the same data
 * directory. After each restart every acknowledged write is there and searchable, the one write in flight at the kill
 * is either wholly applied or wholly absent, and the models, indices and mappings created before the kill are intact.
 *
 * <p>CI runs {@value #DEFAULT_KILLS} kills; {@code -Drankql.kills=100} (see {@code scripts/kill9.sh}) runs the long
 * version, and {@code -Drankql.kills.seed=N} replays one sequence of kill moments.
 */
class KillNineDurabilityTest {

    static final int DEFAULT_KILLS = 5;
    /** How many rounds back the per-round searches reach, so that a long run's checks do not grow with its length. */
    private static final int RECENT_ROUNDS = 3;
    private static final String MAIN = "main";
    private static final String MAIN_BODY = """
            {"mappings": {"properties": {"batch": {"type": "keyword"}, "text": {"type": "text"}, "v": {"type": "long"}}}}""";

    /** One write whose acknowledgement may not have arrived: what it would make true if it was applied. */
    private sealed interface Write {
        record Bulk(String batch, List<String> ids, int round) implements Write {}

        record Put(String id, long v) implements Write {}

        record Update(String id, long v) implements Write {}

        record Delete(String id) implements Write {}
    }

    /** What the client knows was acknowledged: live documents and their {@code v}, deleted ids, models, indices. */
    private static final class Acknowledged {
        final Map<String, Long> live = new HashMap<>();
        final List<String> liveIds = new ArrayList<>();
        final Map<String, Integer> deleted = new HashMap<>();
        final Map<String, String> models = new LinkedHashMap<>();
        final Map<String, String> indices = new LinkedHashMap<>();
        final Map<Integer, Integer> docsByRound = new HashMap<>();
        long writes;
        long documents;

        void apply(Write write) {
            switch (write) {
                case Write.Bulk bulk -> {
                    bulk.ids().forEach(id -> put(id, 0));
                    docsByRound.merge(bulk.round(), bulk.ids().size(), Integer::sum);
                    documents += bulk.ids().size();
                }
                case Write.Put put -> {
                    put(put.id(), put.v());
                    documents++;
                }
                case Write.Update update -> live.put(update.id(), update.v());
                case Write.Delete delete -> {
                    live.remove(delete.id());
                    liveIds.remove(delete.id());
                    deleted.put(delete.id(), 1);
                }
            }
            writes++;
        }

        private void put(String id, long v) {
            if (live.put(id, v) == null) {
                liveIds.add(id);
            }
            deleted.remove(id);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @Test
    void everyAcknowledgedWriteSurvivesKillNineAndNothingElseIsHalfThere(@TempDir Path data) throws Exception {
        int kills = Integer.getInteger("rankql.kills", DEFAULT_KILLS);
        long seed = Long.getLong("rankql.kills.seed", System.nanoTime());
        var random = new Random(seed);
        var acked = new Acknowledged();
        long started = System.nanoTime();
        int inFlightApplied = 0;
        int inFlightAbsent = 0;
        for (int round = 0; round <= kills; round++) {
            try (var server = ServeProcess.start(data, List.of())) {
                var inFlight = lastInFlight.getAndSet(null);
                if (inFlight != null) {
                    if (resolve(server, inFlight, acked, seed)) {
                        inFlightApplied++;
                    } else {
                        inFlightAbsent++;
                    }
                }
                verify(server, acked, seed, round);
                // One line per restart in the test's output file, so that a long run shows its progress.
                System.out.printf(java.util.Locale.ROOT, "restart %d: %d writes, %d documents acknowledged so far%n", round,
                        acked.writes, acked.documents);
                if (round == kills) {
                    assertThat(server.terminate()).isTrue();
                    break;
                }
                setUpRound(server, acked, round);
                var stop = new AtomicBoolean();
                var failure = new AtomicReference<Throwable>();
                int thisRound = round;
                var writer = Thread.ofPlatform().start(() -> {
                    try {
                        stream(server, acked, new Random(random.nextLong()), thisRound, stop);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                // The kill falls at a random moment after the round's first acknowledged write, so every round has some.
                long before = acknowledgements.get();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
                while (acknowledgements.get() == before && failure.get() == null && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(1500));
                server.kill();
                stop.set(true);
                writer.join();
                assertThat(failure.get()).as("seed %d, round %d", seed, round).isNull();
            }
        }
        // The data directory opens in-process too, and Lucene finds nothing wrong with the index.
        try (var engine = Engine.open(data)) {
            assertThat(engine.listIndices()).contains(MAIN);
        }
        try (var directory = FSDirectory.open(data.resolve(MAIN).resolve("lucene"));
                var check = new CheckIndex(directory)) {
            assertThat(check.checkIndex().clean).isTrue();
        }
        assertThat(acked.writes).as("every round acknowledges writes before its kill").isGreaterThanOrEqualTo(kills);
        double seconds = (System.nanoTime() - started) / 1e9;
        var summary = String.format(java.util.Locale.ROOT, "kill -9 durability: %d kills survived, %d acknowledged writes"
                + " (%d documents), %d live at the end; in-flight writes at the kills: %d applied whole, %d absent; "
                + "%.1f s; seed %d", kills, acked.writes, acked.documents, acked.live.size(), inFlightApplied,
                inFlightAbsent, seconds, seed);
        System.out.println(summary);
        var report = System.getProperty("rankql.kills.report");
        if (report != null) {
            Files.writeString(Path.of(report), summary + "\n");
        }
    }

    private final java.util.concurrent.atomic.AtomicLong acknowledgements = new java.util.concurrent.atomic.AtomicLong();

    /** The write sent last, whose acknowledgement did not arrive before the kill. */
    private final AtomicReference<Write> lastInFlight = new AtomicReference<>();

    private void setUpRound(ServeProcess server, Acknowledged acked, int round) throws Exception {
        if (round == 0) {
            expect(send(server, "PUT", "/" + MAIN, MAIN_BODY), 200);
        }
        // A model, a replaced model and a new index with its mapping are acknowledged before this round's kill.
        var model = "m" + round;
        expect(send(server, "PUT", "/_ml/trained_models/" + model, modelBody("round " + round)), 200);
        acked.models.put(model, "round " + round);
        expect(send(server, "PUT", "/_ml/trained_models/shared?replace=true", modelBody("replaced in round " + round)), 200);
        acked.models.put("shared", "replaced in round " + round);
        var index = "idx" + round;
        expect(send(server, "PUT", "/" + index,
                "{\"mappings\": {\"properties\": {\"f" + round + "\": {\"type\": \"keyword\"}}}}"), 200);
        acked.indices.put(index, "f" + round);
        if (round > 0 && round % 3 == 0) {
            expect(send(server, "DELETE", "/_ml/trained_models/m" + (round - 1), null), 200);
            acked.models.remove("m" + (round - 1));
            expect(send(server, "DELETE", "/idx" + (round - 1), null), 200);
            acked.indices.remove("idx" + (round - 1));
        }
    }

    /** Writes until the server dies: each write is recorded as in flight before it is sent, acknowledged after. */
    private void stream(ServeProcess server, Acknowledged acked, Random random, int round, AtomicBoolean stop) {
        int batches = 0;
        while (!stop.get()) {
            int kind = random.nextInt(10);
            Write write;
            String method;
            String path;
            String body;
            if (kind < 7 || acked.liveIds.isEmpty()) {
                var batch = "r" + round + "b" + batches++;
                int size = 1 + random.nextInt(300);
                var ids = new ArrayList<String>();
                var ndjson = new StringBuilder();
                for (int i = 0; i < size; i++) {
                    var id = batch + "-" + i;
                    ids.add(id);
                    ndjson.append("{\"index\": {\"_id\": \"").append(id).append("\"}}\n")
                            .append("{\"batch\": \"").append(batch).append("\", \"text\": \"round").append(round)
                            .append(" common words\", \"v\": 0, \"r").append(round).append("\": ").append(i).append("}\n");
                }
                write = new Write.Bulk(batch, ids, round);
                method = "POST";
                path = "/" + MAIN + "/_bulk";
                body = ndjson.toString();
            } else if (kind == 7) {
                var id = "r" + round + "s" + batches++;
                long v = 1 + random.nextInt(1000);
                write = new Write.Put(id, v);
                method = "PUT";
                path = "/" + MAIN + "/_doc/" + id;
                body = "{\"batch\": \"single\", \"text\": \"round" + round + " single\", \"v\": " + v + "}";
            } else {
                var id = acked.liveIds.get(random.nextInt(acked.liveIds.size()));
                if (kind == 8) {
                    long v = 1000 + random.nextInt(1000);
                    write = new Write.Update(id, v);
                    method = "POST";
                    path = "/" + MAIN + "/_update/" + id;
                    body = "{\"doc\": {\"v\": " + v + "}}";
                } else {
                    write = new Write.Delete(id);
                    method = "DELETE";
                    path = "/" + MAIN + "/_doc/" + id;
                    body = null;
                }
            }
            lastInFlight.set(write);
            HttpResponse<String> response;
            try {
                response = send(server, method, path, body);
            } catch (IOException e) {
                // The server died with this write in flight: the next start decides whether it was applied.
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (response.statusCode() >= 300 || response.body().contains("\"errors\":true")) {
                throw new AssertionError("write " + write + " failed: " + response.statusCode() + " " + response.body());
            }
            lastInFlight.set(null);
            acked.apply(write);
            acknowledgements.incrementAndGet();
        }
    }

    /** Decides whether the write in flight at the kill was applied, and checks it was applied whole or not at all. */
    private boolean resolve(ServeProcess server, Write write, Acknowledged acked, long seed) throws Exception {
        boolean applied = switch (write) {
            case Write.Bulk bulk -> {
                long count = count(server, "{\"term\": {\"batch\": \"" + bulk.batch() + "\"}}");
                assertThat(count).as("seed %d: bulk %s in flight at the kill is whole or absent", seed, bulk.batch())
                        .isIn(0L, (long) bulk.ids().size());
                yield count > 0;
            }
            case Write.Put put -> {
                var doc = get(server, put.id());
                assertThat(doc == null || doc.get("v").asLong() == put.v()).isTrue();
                yield doc != null;
            }
            case Write.Update update -> {
                var doc = get(server, update.id());
                assertThat(doc).as("seed %d: the updated document %s", seed, update.id()).isNotNull();
                assertThat(doc.get("v").asLong()).isIn(acked.live.get(update.id()), update.v());
                yield doc.get("v").asLong() == update.v();
            }
            case Write.Delete delete -> get(server, delete.id()) == null;
        };
        if (applied) {
            acked.apply(write);
        }
        return applied;
    }

    /** Checks every acknowledged write against the restarted server. */
    private void verify(ServeProcess server, Acknowledged acked, long seed, int round) throws Exception {
        if (round == 0) {
            return;
        }
        var what = "seed " + seed + ", after restart " + round;
        assertThat(count(server, "{\"match_all\": {}}")).as(what).isEqualTo(acked.live.size());
        for (var entry : acked.docsByRound.entrySet()) {
            if (entry.getKey() < round - RECENT_ROUNDS) {
                // Older rounds were checked after their own restart; the exact total above still covers them.
                continue;
            }
            // Searchable through the analyzed text field, not only by id.
            long expected = acked.live.keySet().stream()
                    .filter(id -> id.startsWith("r" + entry.getKey() + "b")).count();
            assertThat(count(server, "{\"bool\": {\"must\": {\"match\": {\"text\": \"round" + entry.getKey()
                    + "\"}}, \"must_not\": {\"term\": {\"batch\": \"single\"}}}}")).as(what).isEqualTo(expected);
        }
        var random = new Random(seed + round);
        for (int i = 0; i < Math.min(40, acked.liveIds.size()); i++) {
            var id = acked.liveIds.get(random.nextInt(acked.liveIds.size()));
            var doc = get(server, id);
            assertThat(doc).as("%s: acknowledged document %s", what, id).isNotNull();
            assertThat(doc.get("v").asLong()).as("%s: document %s", what, id).isEqualTo(acked.live.get(id));
        }
        for (var id : acked.deleted.keySet().stream().limit(40).toList()) {
            assertThat(get(server, id)).as("%s: deleted document %s", what, id).isNull();
        }
        if (acked.live.isEmpty()) {
            return;
        }
        var mapping = Json.MAPPER.readTree(expect(send(server, "GET", "/" + MAIN + "/_mapping", null), 200).body())
                .path(MAIN).path("mappings").path("properties");
        for (var r : acked.docsByRound.keySet()) {
            assertThat(mapping.has("r" + r)).as("%s: dynamic field r%d of acknowledged documents", what, r).isTrue();
        }
        var models = Json.MAPPER.readTree(expect(send(server, "GET", "/_ml/trained_models/_all", null), 200).body());
        var descriptions = new HashMap<String, String>();
        models.path("trained_model_configs").forEach(m -> descriptions.put(m.get("model_id").asString(),
                m.get("description").asString()));
        assertThat(descriptions).as(what).isEqualTo(acked.models);
        for (var entry : acked.indices.entrySet()) {
            var indexMapping = Json.MAPPER.readTree(expect(send(server, "GET", "/" + entry.getKey() + "/_mapping", null), 200)
                    .body());
            assertThat(indexMapping.path(entry.getKey()).path("mappings").path("properties").has(entry.getValue()))
                    .as(what).isTrue();
        }
        // The models of the last rounds, and the one replaced in every round, still rescore.
        for (var model : acked.models.keySet().stream().filter(m -> m.equals("shared")
                || Integer.parseInt(m.substring(1)) >= round - RECENT_ROUNDS).toList()) {
            var response = send(server, "POST", "/" + MAIN + "/_search", """
                    {"size": 3, "query": {"match": {"text": "common"}},
                     "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "%s", "params": {"q": "words"}}}}"""
                    .formatted(model));
            expect(response, 200);
        }
    }

    private long count(ServeProcess server, String query) throws Exception {
        var response = expect(send(server, "POST", "/" + MAIN + "/_count", "{\"query\": " + query + "}"), 200);
        return Json.MAPPER.readTree(response.body()).get("count").asLong();
    }

    private JsonNode get(ServeProcess server, String id) throws Exception {
        var response = send(server, "GET", "/" + MAIN + "/_doc/" + id, null);
        if (response.statusCode() == 404) {
            return null;
        }
        return Json.MAPPER.readTree(expect(response, 200).body()).get("_source");
    }

    private HttpResponse<String> send(ServeProcess server, String method, String path, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", path.endsWith("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(status);
        return response;
    }

    private static String modelBody(String description) {
        return """
                {"description": "%s",
                 "inference_config": {"learning_to_rank": {"feature_extractors": [
                   {"query_extractor": {"feature_name": "text_match", "query": {"match": {"text": "{{q}}"}}}}]}},
                 "definition": {"trained_model": {"ensemble": {"feature_names": ["text_match"], "target_type": "regression",
                   "trained_models": [{"tree": {"feature_names": ["text_match"], "target_type": "regression",
                     "tree_structure": [{"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lte",
                       "default_left": true, "left_child": 1, "right_child": 2},
                       {"node_index": 1, "leaf_value": 1.0}, {"node_index": 2, "leaf_value": 2.0}]}}]}}}}"""
                .formatted(description);
    }
}
