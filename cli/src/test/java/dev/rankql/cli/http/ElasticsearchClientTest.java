package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Elasticsearch Java client, unchanged, against {@code rankql serve}: it creates an index, bulk-loads,
 * deploys an LTR model and searches with the LTR rescorer and the rescorer retriever built with its typed builders;
 * every response parses into its typed model, with the hits and scores the engine gives in-process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticsearchClientTest {

    private TestServer server;
    private ElasticsearchClient client;

    @BeforeAll
    void start(@TempDir Path data) throws IOException {
        server = new TestServer(data);
        client = ElasticsearchClient.of(b -> b.host(server.base().toString()));
        var root = Path.of(System.getProperty("rankql.root"));
        client.indices().create(c -> c.index("store").mappings(m -> m
                .properties("product", p -> p.keyword(k -> k))
                .properties("cost", p -> p.integer(i -> i))));
        var lines = Files.readAllLines(root.resolve("examples/ltr/store.jsonl"));
        var bulk = client.bulk(b -> {
            for (var line : lines) {
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = Json.MAPPER.readValue(line, Map.class);
                var id = (String) doc.remove("_id");
                b.operations(op -> op.index(i -> i.index("store").id(id).document(doc)));
            }
            return b.refresh(Refresh.True);
        });
        assertThat(bulk.errors()).isFalse();
        assertThat(bulk.items()).hasSize(lines.size());
        // The client's typed LearningToRankConfig requires num_top_feature_importance_values, which ES defaults to 0.
        var modelNode = (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                Files.readString(root.resolve("examples/ltr/model.json")));
        ((tools.jackson.databind.node.ObjectNode) modelNode.at("/inference_config/learning_to_rank"))
                .put("num_top_feature_importance_values", 0);
        var model = Json.write(modelNode);
        var put = client.ml().putTrainedModel(p -> p.modelId("ltr-model").withJson(new StringReader(model)));
        assertThat(put.modelId()).isEqualTo("ltr-model");
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void infoParsesIntoTheTypedResponse() throws IOException {
        var info = client.info();
        assertThat(info.version().number()).isEqualTo(RankqlHttpServer.ES_VERSION);
        assertThat(info.version().luceneVersion()).isEqualTo(org.apache.lucene.util.Version.LATEST.toString());
        assertThat(info.clusterName()).isEqualTo("rankql");
        assertThat(info.tagline()).isEqualTo("You Know, for Search");
        assertThat(client.ping().value()).isTrue();
    }

    @Test
    void indexExistsAndMappingAreTyped() throws IOException {
        assertThat(client.indices().exists(e -> e.index("store")).value()).isTrue();
        assertThat(client.indices().exists(e -> e.index("nope")).value()).isFalse();
        var mapping = client.indices().getMapping(g -> g.index("store"));
        assertThat(mapping.get("store").mappings().properties()).containsOnlyKeys("product", "cost");
        assertThat(client.count(c -> c.index("store")).count()).isEqualTo(9);
        assertThat(client.count(c -> c.index("store").query(q -> q.term(t -> t.field("product").value("TV")))).count())
                .isEqualTo(3);
    }

    @Test
    void theLearningToRankRescorerRanksAsTheEngineDoes() throws IOException {
        var request = SearchRequest.of(s -> s.index("store")
                .query(q -> q.matchAll(m -> m))
                .size(9)
                .rescore(r -> r.windowSize(9).learningToRank(l -> l.modelId("ltr-model")
                        .params("keyword", JsonData.of("TV")))));
        var response = client.search(request, Map.class);
        assertSameAsEngine(response, """
                {"query": {"match_all": {}}, "size": 9,
                 "rescore": {"window_size": 9,
                             "learning_to_rank": {"model_id": "ltr-model", "params": {"keyword": "TV"}}}}
                """);
        // The model ranks TVs first, cheapest first (examples/ltr): the rescorer really ran.
        assertThat(ids(response).subList(0, 3)).containsExactly("1", "2", "3");
    }

    @Test
    void theRescorerRetrieverBuiltWithTypedBuildersRanksAsTheEngineDoes() throws IOException {
        var response = client.search(s -> s.index("store")
                .size(5)
                .retriever(r -> r.rescorer(rr -> rr
                        .retriever(inner -> inner.standard(st -> st.query(q -> q.range(g -> g.number(n -> n.field("cost").lte(500.0))))))
                        .rescore(rs -> rs.windowSize(10).learningToRank(l -> l.modelId("ltr-model")
                                .params("keyword", JsonData.of("VCR")))))), Map.class);
        assertSameAsEngine(response, """
                {"size": 5, "retriever": {"rescorer": {
                   "retriever": {"standard": {"query": {"range": {"cost": {"lte": 500.0}}}}},
                   "rescore": {"window_size": 10,
                               "learning_to_rank": {"model_id": "ltr-model", "params": {"keyword": "VCR"}}}}}}
                """);
        assertThat(response.hits().hits()).hasSize(5);
        assertThat(response.hits().hits().getFirst().source()).containsKeys("product", "cost");
    }

    @Test
    void errorsBecomeTypedElasticsearchExceptions() {
        assertThatThrownBy(() -> client.search(s -> s.index("nope"), Map.class))
                .isInstanceOfSatisfying(ElasticsearchException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error().type()).isEqualTo("index_not_found_exception");
                });
        assertThatThrownBy(() -> client.search(s -> s.index("store").rescore(r -> r.windowSize(5)
                        .learningToRank(l -> l.modelId("no-such-model"))), Map.class))
                .isInstanceOfSatisfying(ElasticsearchException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void documentsCanBeWrittenReadAndDeletedOneByOne() throws IOException {
        var indexed = client.index(i -> i.index("notes").id("n1").document(Map.of("text", "hello")).refresh(Refresh.True));
        assertThat(indexed.result().jsonValue()).isEqualTo("created");
        var got = client.get(g -> g.index("notes").id("n1"), Map.class);
        assertThat(got.found()).isTrue();
        assertThat(got.source()).containsEntry("text", "hello");
        var deleted = client.delete(d -> d.index("notes").id("n1"));
        assertThat(deleted.result().jsonValue()).isEqualTo("deleted");
        assertThat(client.get(g -> g.index("notes").id("n1"), Map.class).found()).isFalse();
        assertThat(client.indices().delete(d -> d.index("notes")).acknowledged()).isTrue();
    }

    @Test
    void modelsCanBeReadBack() throws IOException {
        var models = client.ml().getTrainedModels(g -> g.modelId("ltr-model"));
        assertThat(models.count()).isEqualTo(1);
        assertThat(models.trainedModelConfigs().getFirst().modelId()).isEqualTo("ltr-model");
    }

    private void assertSameAsEngine(SearchResponse<Map> response, String body) {
        var expected = server.engine.search("store", EsJson.parseSearch(body));
        assertThat(ids(response)).containsExactlyElementsOf(expected.hits().stream().map(h -> h.id()).toList());
        assertThat(response.hits().hits().stream().map(h -> h.score().floatValue()).toList())
                .containsExactlyElementsOf(expected.hits().stream().map(h -> h.score().orElseThrow()).toList());
        assertThat(response.hits().total().value()).isEqualTo(expected.total().orElseThrow().value());
    }

    private static List<String> ids(SearchResponse<Map> response) {
        return response.hits().hits().stream().map(Hit::id).toList();
    }
}
