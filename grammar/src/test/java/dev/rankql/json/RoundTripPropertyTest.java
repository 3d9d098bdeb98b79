package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.RandomAst;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random valid trees survive AST → JSON → AST unchanged, and their JSON is a fixed point of read-then-write. */
class RoundTripPropertyTest {

    private static final int TREES = 2000;

    @Test
    void randomRequestsRoundTrip() {
        for (int seed = 0; seed < TREES; seed++) {
            var expected = new RandomAst(new Random(seed)).searchRequest().withoutIndex();
            String json = EsJson.writeSearch(expected);
            var read = EsJson.readSearch(json);
            assertThat(read.isValid()).as("seed %d: %s\n%s", seed, read.isInvalid() ? read.getError() : "", json)
                    .isTrue();
            assertThat(read.get()).as("seed %d\n%s", seed, json).isEqualTo(expected);
            assertThat(EsJson.writeSearch(read.get())).as("seed %d", seed).isEqualTo(json);
            assertThat(EsJson.parseSearch(EsJson.writeSearchCompact(expected))).as("seed %d compact", seed)
                    .isEqualTo(expected);
        }
    }

    @Test
    void randomQueriesAndRetrieversRoundTrip() {
        for (int seed = 0; seed < TREES; seed++) {
            var ast = new RandomAst(new Random(seed), 4);
            var query = ast.query(0);
            assertThat(EsJson.parseQuery(EsJson.writeQuery(query))).as("seed %d", seed).isEqualTo(query);
            var retriever = ast.retriever(0);
            assertThat(EsJson.parseRetriever(EsJson.writeRetriever(retriever))).as("seed %d", seed)
                    .isEqualTo(retriever);
        }
    }

    @Test
    void theIndexIsNotPartOfTheBody() {
        for (int seed = 0; seed < 50; seed++) {
            var request = new RandomAst(new Random(seed)).searchRequest();
            assertThat(EsJson.writeSearch(request)).isEqualTo(EsJson.writeSearch(request.withoutIndex()));
        }
    }
}
