package dev.rankql.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusFilesTest {

    @TempDir
    Path dir;

    private Path source() throws IOException {
        var source = dir.resolve("source");
        Files.createDirectories(source);
        Files.writeString(source.resolve("docs-000000.jsonl"), """
                {"title":"alpha beta","content":"the gamma delta","price":1.5,"popularity":3}
                {"title":"alpha beta","content":"gamma delta epsilon zeta","price":2.5,"popularity":4}
                """);
        Files.writeString(source.resolve("docs-000001.jsonl"), """
                {"title":"beta","content":"delta epsilon and zeta","price":3.5,"popularity":5}
                """);
        Files.writeString(source.resolve("notes.txt"), "not a corpus file");
        return source;
    }

    @Test
    void aPrefixOrTheFilesRepeatedInBatches() throws IOException {
        var source = source();
        assertThat(CorpusFiles.count(source)).isEqualTo(3);

        var prefix = CorpusFiles.load(source, dir.resolve("prefix"), 2, 10, 5, 1);
        assertThat(prefix.docs()).isEqualTo(2);
        assertThat(Files.readAllLines(prefix.batches().get(0))).hasSize(2);

        var repeated = CorpusFiles.load(source, dir.resolve("repeated"), 7, 3, 5, 1);
        assertThat(repeated.batches()).hasSize(3);
        assertThat(Files.readAllLines(repeated.batches().get(2))).hasSize(1)
                .first().asString().contains("\"title\":\"alpha beta\"");
        // The vocabulary is the source's, read once however often it is repeated.
        assertThat(repeated.queries()).hasSize(5).isEqualTo(CorpusFiles.load(source, dir.resolve("again"), 3, 3, 5, 1).queries())
                .isNotEqualTo(CorpusFiles.load(source, dir.resolve("other"), 3, 3, 5, 2).queries());
    }

    @Test
    void queriesMixTheBandsOfTheVocabularyWithoutStopWordsOrSingletons() {
        var frequencies = new HashMap<String, Integer>();
        for (int i = 0; i < 9_000; i++) {
            frequencies.put("w" + i, 2 + (9_000 - i));
        }
        frequencies.put("the", 1_000_000);
        frequencies.put("hapax", 1);

        var queries = CorpusFiles.queries(frequencies, 300, 7);
        assertThat(queries).isEqualTo(CorpusFiles.queries(frequencies, 300, 7)).hasSize(300);
        var words = queries.stream().flatMap(q -> java.util.Arrays.stream(q.split(" "))).toList();
        assertThat(words).doesNotContain("the", "hapax");
        Map<String, Long> bands = words.stream().collect(java.util.stream.Collectors.groupingBy(
                w -> {
                    int rank = Integer.parseInt(w.substring(1));
                    return rank < CorpusFiles.FREQUENT ? "frequent" : rank < CorpusFiles.MIDDLE ? "middle" : "rare";
                }, java.util.stream.Collectors.counting()));
        assertThat(bands).containsOnlyKeys("frequent", "middle", "rare");
        assertThat(queries.stream().mapToInt(q -> q.split(" ").length).summaryStatistics())
                .satisfies(s -> assertThat(s.getMin()).isEqualTo(1)).satisfies(s -> assertThat(s.getMax()).isEqualTo(4));
    }

    @Test
    void aDirectoryWithoutCorpusFilesIsAClearError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> CorpusFiles.count(dir.resolve("empty"))).hasMessageEndingWith("has no docs-*.jsonl files");
        assertThatThrownBy(() -> CorpusFiles.count(dir.resolve("missing")))
                .hasMessageContaining("does not exist; bench/scripts/fetch-gcide-wordnet.sh writes one");
    }
}
