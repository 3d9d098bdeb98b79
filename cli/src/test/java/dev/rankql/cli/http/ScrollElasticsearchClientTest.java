package dev.rankql.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Elasticsearch Java client's scroll, scroll and clear-scroll calls, unchanged, against rankql's server. */
class ScrollElasticsearchClientTest {

    private static final int DOCS = 11;

    private TestServer server;
    private ElasticsearchClient client;

    @BeforeEach
    void start(@TempDir Path data) throws IOException {
        server = new TestServer(data);
        client = ElasticsearchClient.of(b -> b.host(server.base().toString()));
        client.indices().create(c -> c.index("shelf").mappings(m -> m.properties("rank", p -> p.integer(i -> i))));
        var bulk = client.bulk(b -> {
            for (int i = 0; i < DOCS; i++) {
                int rank = (i * 4) % DOCS;
                b.operations(op -> op.index(x -> x.index("shelf").id("s" + rank).document(Map.of("rank", rank))));
            }
            return b.refresh(Refresh.True);
        });
        assertThat(bulk.errors()).isFalse();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void theClientScrollsThroughEveryHitAndClearsItsContext() throws IOException {
        var first = client.search(s -> s.index("shelf").scroll(t -> t.time("1m")).size(4)
                .sort(o -> o.field(f -> f.field("rank").order(SortOrder.Asc))), Map.class);
        assertThat(first.hits().total().value()).isEqualTo(DOCS);
        var ids = new ArrayList<String>(first.hits().hits().stream().map(Hit::id).toList());
        var scrollId = first.scrollId();
        for (int round = 0; round <= DOCS; round++) {
            var id = scrollId;
            var page = client.scroll(s -> s.scrollId(id).scroll(t -> t.time("1m")), Map.class);
            if (page.hits().hits().isEmpty()) {
                break;
            }
            page.hits().hits().forEach(hit -> ids.add(hit.id()));
            scrollId = page.scrollId();
        }
        var expected = new ArrayList<String>();
        for (int i = 0; i < DOCS; i++) {
            expected.add("s" + i);
        }
        assertThat(ids).isEqualTo(expected);
        var id = scrollId;
        var cleared = client.clearScroll(c -> c.scrollId(id));
        assertThat(cleared.succeeded()).isTrue();
        assertThat(cleared.numFreed()).isEqualTo(1);
        assertThatThrownBy(() -> client.scroll(s -> s.scrollId(id), Map.class))
                .isInstanceOfSatisfying(ElasticsearchException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error().rootCause().getFirst().type()).isEqualTo("search_context_missing_exception");
                });
    }

    @Test
    void collapseInAScrollIsTheClientsValidationError() {
        assertThatThrownBy(() -> client.search(s -> s.index("shelf").scroll(t -> t.time("1s"))
                .collapse(c -> c.field("rank")), Map.class))
                .isInstanceOfSatisfying(ElasticsearchException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().reason()).isEqualTo("Validation Failed: 1: cannot use `collapse` in a scroll context;");
                });
    }
}
