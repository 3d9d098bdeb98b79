package dev.rankql.bench.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class HybridSuiteTest {

    @Test
    void helpAndBadOptions() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(HybridSuite.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: rankql bench hybrid");
        assertThat(HybridSuite.run(new String[] {"--docs", "0"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'0' is not a positive integer");
    }

    @Test
    void aTinyRunReportsEveryFigure() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = HybridSuite.run(new String[] {"--docs", "1000", "--dims", "16", "--queries", "4", "--rounds", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        var json = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        assertThat(json.get("knn")).hasSize(4);
        for (var row : json.get("knn")) {
            // Both run the same graph search, so they find the same neighbours.
            assertThat(row.get("rankql_recall").asDouble()).isEqualTo(row.get("lucene_recall").asDouble());
            assertThat(row.get("rankql_recall").asDouble()).isGreaterThan(0.5);
        }
        assertThat(json.get("rrf").get("rrf_p50_ms").asDouble()).isPositive();
    }
}
