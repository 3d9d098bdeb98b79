package dev.rankql.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class CorpusTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameBytesAndQueries() throws IOException {
        var a = Corpus.generate(dir.resolve("a"), 2_500, 1_000, 7);
        var b = Corpus.generate(dir.resolve("b"), 2_500, 1_000, 7);
        var c = Corpus.generate(dir.resolve("c"), 2_500, 1_000, 8);

        assertThat(a.batches()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(a.batches().get(i))).isEqualTo(Files.readAllBytes(b.batches().get(i)));
        }
        assertThat(a.queries()).isEqualTo(b.queries()).hasSize(Corpus.QUERIES);
        assertThat(Files.readAllBytes(a.batches().get(0))).isNotEqualTo(Files.readAllBytes(c.batches().get(0)));
        assertThat(a.queries()).isNotEqualTo(c.queries());
    }

    @Test
    void documentsHaveTheShapeOfTheBenchmarkMapping() throws IOException {
        var corpus = Corpus.generate(dir, 1_200, 500, 1);
        List<String> lines = new java.util.ArrayList<>();
        for (var batch : corpus.batches()) {
            lines.addAll(Files.readAllLines(batch));
        }
        assertThat(lines).hasSize(1_200);
        assertThat(corpus.batches()).hasSize(3);
        assertThat(Files.readAllLines(corpus.batches().get(2))).hasSize(200);
        for (var line : lines) {
            var doc = MAPPER.readTree(line);
            assertThat(doc.propertyNames()).containsExactly("title", "content", "price", "popularity");
            assertThat(doc.get("title").asString().split(" ")).hasSizeBetween(5, 10);
            assertThat(doc.get("content").asString().split(" ")).hasSizeBetween(60, 140);
            assertThat(doc.get("price").isFloatingPointNumber()).isTrue();
            assertThat(doc.get("price").asDouble()).isBetween(1.0, 1000.0);
            assertThat(doc.get("popularity").isIntegralNumber()).isTrue();
            assertThat(doc.get("popularity").asLong()).isBetween(1L, 1_000_000L);
        }
    }

    @Test
    void wordsAreDistinctPerRankAndFrequentRanksDominate() {
        var words = new HashSet<String>();
        for (int rank = 0; rank < Corpus.VOCABULARY; rank++) {
            assertThat(words.add(Corpus.word(rank))).as("rank %d", rank).isTrue();
        }
        var zipf = new Corpus.Zipf(Corpus.VOCABULARY, Corpus.ZIPF_EXPONENT);
        var random = new SplittableRandom(3);
        int top100 = 0;
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            if (zipf.sample(random) < 100) {
                top100++;
            }
        }
        // Zipf(1) over 100k ranks puts H(100)/H(100000) ≈ 43 % of the mass on the top 100.
        assertThat(top100 / (double) draws).isBetween(0.40, 0.46);
    }

    @Test
    void queriesHaveOneToFourTermsFromEveryBand() {
        var queries = Corpus.queries(Corpus.QUERIES, 11);
        var frequent = new HashSet<String>();
        for (int rank = 0; rank < 100; rank++) {
            frequent.add(Corpus.word(rank));
        }
        int withFrequent = 0;
        for (var q : queries) {
            var terms = q.split(" ");
            assertThat(terms).hasSizeBetween(1, 4);
            if (java.util.Arrays.stream(terms).anyMatch(frequent::contains)) {
                withFrequent++;
            }
        }
        assertThat(withFrequent).isBetween(100, 400);
    }

    @Test
    void rejectsEmptyCorpora() {
        assertThatThrownBy(() -> Corpus.generate(dir, 0, 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
