package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.SourceFilter;
import dev.rankql.engine.mapping.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SciFact sanity: BM25 (k1 1.2, b 0.75) multi_match best_fields over title and text with the english analyzer reaches
 * the published BM25 level (nDCG@10 of about 0.665) on the train queries.
 */
class SciFactTest {

    @TempDir
    Path data;

    @Test
    void bm25MultiMatchReachesThePublishedNdcg() throws Exception {
        var shared = System.getProperty("rankql.shared");
        assumeTrue(shared != null, "rankql.shared is not set");
        var folder = Path.of(shared, "data", "scifact");
        assumeTrue(Files.isDirectory(folder), "SciFact is not available at " + folder);

        var qrels = new HashMap<String, Set<String>>();
        var qrelLines = Files.readAllLines(folder.resolve("qrels/train.tsv"));
        for (var line : qrelLines.subList(1, qrelLines.size())) {
            var parts = line.split("\t");
            if (Integer.parseInt(parts[2]) > 0) {
                qrels.computeIfAbsent(parts[0], q -> new HashSet<>()).add(parts[1]);
            }
        }
        var queries = new HashMap<String, String>();
        for (var line : Files.readAllLines(folder.resolve("queries.jsonl"))) {
            var node = Json.MAPPER.readTree(line);
            queries.put(node.get("id").asString(), node.get("text").asString());
        }

        try (var engine = Engine.open(data)) {
            engine.createIndex("scifact", """
                    {"settings": {"index": {"similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}}}},
                     "mappings": {"properties": {"id": {"type": "keyword"},
                       "title": {"type": "text", "analyzer": "english"}, "text": {"type": "text", "analyzer": "english"}}}}""");
            long t0 = System.nanoTime();
            try (var reader = Files.newBufferedReader(folder.resolve("corpus.jsonl"))) {
                var response = engine.ingestJsonLines("scifact", reader, RefreshPolicy.IMMEDIATE);
                assertThat(response.errors()).isFalse();
                assertThat(response.items()).hasSize(5183);
            }
            long t1 = System.nanoTime();
            double sum = 0;
            for (var entry : qrels.entrySet()) {
                var request = Ast.withSource(Ast.search(Ast.multiMatch(queries.get(entry.getKey()), MultiMatchType.BEST_FIELDS, null,
                        "title", "text"), null, 10), new SourceFilter.Fetch(false));
                var ranked = TestIndex.ids(engine.search("scifact", request));
                sum += ndcgAt10(ranked, entry.getValue());
            }
            double ndcg = sum / qrels.size();
            System.out.printf("scifact ingest %.0f ms, %d searches %.0f ms, nDCG@10 %.4f%n", (t1 - t0) / 1e6, qrels.size(),
                    (System.nanoTime() - t1) / 1e6, ndcg);
            assertThat(qrels).hasSize(809);
            assertThat(ndcg).as("nDCG@10 over %d train queries", qrels.size()).isGreaterThanOrEqualTo(0.66);
        }
    }

    /** trec_eval's ndcg_cut.10 with binary gains: DCG of the ranking over the ideal DCG. */
    static double ndcgAt10(List<String> ranked, Set<String> relevant) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) {
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            ideal += 1 / (Math.log(i + 2) / Math.log(2));
        }
        return dcg / ideal;
    }

    @Test
    void ndcgMatchesHandComputedValues() {
        assertThat(ndcgAt10(List.of("a", "b"), Set.of("a"))).isEqualTo(1.0);
        assertThat(ndcgAt10(List.of("x", "a"), Set.of("a"))).isCloseTo(1 / (Math.log(3) / Math.log(2)), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(ndcgAt10(List.of("x"), Set.of("a", "b"))).isZero();
    }
}
