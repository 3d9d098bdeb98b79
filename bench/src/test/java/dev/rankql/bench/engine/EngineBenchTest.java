package dev.rankql.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class EngineBenchTest {

    @TempDir
    Path dir;

    private Path searchIndex(Corpus corpus) throws IOException {
        var data = dir.resolve("data");
        try (var engine = Engine.open(data)) {
            engine.createIndex(EngineBench.INDEX, EngineBench.INDEX_BODY);
            for (var batch : corpus.batches()) {
                try (var reader = Files.newBufferedReader(batch)) {
                    assertThat(engine.ingestJsonLines(EngineBench.INDEX, reader, RefreshPolicy.NONE).errors()).isFalse();
                }
            }
        }
        return data;
    }

    @Test
    void bothSidesReturnTheSameHits() throws IOException {
        var corpus = Corpus.generate(dir.resolve("corpus"), 1_500, 500, 5);
        var data = searchIndex(corpus);
        try (var engine = Engine.open(data);
                var firstPass = new FirstPass(engine, EngineBench.INDEX, data.resolve("bench/lucene"), corpus.queries(), FirstPass.TIE_BREAKER)) {
            long compared = firstPass.verify();
            assertThat(compared).isGreaterThan(Corpus.QUERIES);
            int full = 0;
            for (int i = 0; i < firstPass.size(); i++) {
                if (firstPass.luceneHits(i).size() == FirstPass.TOP) {
                    full++;
                }
            }
            assertThat(full).isGreaterThan(Corpus.QUERIES / 4);
            assertThat(firstPass.rankqlHits(1)).isEqualTo(firstPass.luceneHits(1));
        }
    }

    @Test
    void theGateFailsLoudlyWhenTheSidesDiffer() throws IOException {
        var corpus = Corpus.generate(dir.resolve("corpus"), 800, 800, 20, 6);
        var data = searchIndex(corpus);
        try (var engine = Engine.open(data);
                var firstPass = new FirstPass(engine, EngineBench.INDEX, data.resolve("bench/lucene"), corpus.queries(), 0f)) {
            assertThatThrownBy(firstPass::verify)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first-pass correctness gate failed for query 0");
        }
    }

    @Test
    void theRawIngestPeerIndexesEveryLine() throws IOException {
        var corpus = Corpus.generate(dir.resolve("corpus"), 700, 300, 9);
        try (var ingest = new LuceneIngest(dir.resolve("lucene"))) {
            assertThat(ingest.ingest(corpus.batches())).isEqualTo(700);
        }
        try (var directory = org.apache.lucene.store.FSDirectory.open(dir.resolve("lucene"));
                var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
            assertThat(reader.numDocs()).isEqualTo(700);
            assertThat(reader.getIndexCommit().getUserData()).containsEntry("rankql.max_seq_no", "699");
        }
    }

    @Test
    void aTinyRunEndsStdoutWithTheJsonResultAndWritesIt() throws IOException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var file = dir.resolve("results/engine.json");
        var tiny = new EngineBench.Config(600, 300, 60, 1, 0, 0, 1, 42, "test");
        int status = EngineSuite.execute(tiny, file, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        var json = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        assertThat(json.get("ingest_vs_lucene").asDouble()).isPositive();
        assertThat(json.get("first_pass_vs_lucene").asDouble()).isPositive();
        assertThat(json.get("rankql_ingest_docs_per_s").asLong()).isPositive();
        assertThat(json.get("lucene_first_pass_p99_ms").asDouble()).isPositive();
        assertThat(json.get("run").get("hits_compared").asLong()).isPositive();
        assertThat(JsonMapper.builder().build().readTree(Files.readString(file))).isEqualTo(json);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| ingest, docs/s |");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        var err = new ByteArrayOutputStream();
        var stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(EngineSuite.run(new String[] {"--docs", "0"}, stream, stream)).isEqualTo(2);
        assertThat(EngineSuite.run(new String[] {"--fast"}, stream, stream)).isEqualTo(2);
        assertThat(EngineSuite.run(new String[] {"--rounds"}, stream, stream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Invalid value for option '--docs': '0' is not a positive integer")
                .contains("Unknown option: '--fast'")
                .contains("Missing required parameter for option '--rounds'");
    }

    @Test
    void statsUseNearestRankPercentilesAndTrueMedians() {
        double[] values = {5, 1, 4, 2, 3, 100, 6, 7, 8, 9};
        assertThat(Stats.median(values)).isEqualTo(5.5);
        assertThat(Stats.percentile(values, 50)).isEqualTo(5);
        assertThat(Stats.percentile(values, 99)).isEqualTo(100);
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
    }
}
