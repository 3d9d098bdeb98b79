package dev.rankql.bench.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class RescoreBenchTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static RescoreBench.Config tiny() {
        return new RescoreBench.Config(3_000, 4, 1, 0, 20, 4, 30, 30, List.of(10, 60), 4, 3, "test");
    }

    @Test
    void aTinyRunPassesTheGateAndReportsEverySideAndWindow() throws IOException {
        var target = dir.resolve("result.json");
        int status = RescoreSuite.execute(tiny(), target, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        var json = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        for (var key : List.of("rescore_vs_handwritten_w10", "rescore_vs_handwritten_w60", "rescore_vs_es_style_w10",
                "rescore_vs_es_style_w60", "rescore_cpu_vs_handwritten_w60", "rankql_alloc_bytes_per_doc",
                "alloc_bytes_per_doc", "es_style_w60_alloc_bytes", "handwritten_w10_p99_ms")) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("run").get("gate_rankings_checked").asInt()).isEqualTo(2 * 2 * 4);
        assertThat(json.get("rankql_w60_alloc_bytes").asDouble()).isGreaterThan(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| 60 | p50, ms |");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gate passed on 16 rankings");
        assertThat(target).exists();
    }

    @Test
    void theGateNamesTheFirstDifference() {
        var ours = new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1f)};

        RescoreBench.compare(ours, new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1.000001f)}, "same");
        assertThatThrownBy(() -> RescoreBench.compare(ours, new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1.5f)}, "here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rescore correctness gate failed at here: doc 1 scores 1.0 in rankql, 1.5 in the peer");
        assertThatThrownBy(() -> RescoreBench.compare(ours, new ScoreDoc[] {new ScoreDoc(4, 2f)}, "there"))
                .hasMessageContaining("2 hits vs 1");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        int status = RescoreSuite.run(new String[] {"--docs", "0"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(
                "rankql bench rescore: Invalid value for option '--docs': '0' is not a positive integer");
    }
}
