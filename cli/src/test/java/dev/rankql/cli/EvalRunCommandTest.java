package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.engine.eval.RunFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalRunCommandTest {

    private static final String BM25 = "QUERY match(title, \"{{query_text}}\")";

    @TempDir
    Path dir;

    private CliRun cli;

    @BeforeEach
    void index() throws Exception {
        cli = new CliRun(dir.resolve("data"));
        Files.writeString(dir.resolve("mapping.json"),
                "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"n\": {\"type\": \"integer\"}}}}");
        assertThat(cli.run("index", "create", "docs", "--body", path("mapping.json")).status()).isZero();
        Files.writeString(dir.resolve("docs.jsonl"), """
                {"id": "a", "title": "red apple", "n": 1}
                {"id": "b", "title": "green apple", "n": 2}
                {"id": "c", "title": "apple pie with apple", "n": 3}
                {"id": "d", "title": "blue sky", "n": 4}
                {"id": "e", "title": "grey sky", "n": 5}
                """);
        assertThat(cli.run("ingest", "docs", dir.resolve("docs.jsonl").toString(), "--refresh").status()).isZero();
        Files.writeString(dir.resolve("q.jsonl"), """
                {"id": "q1", "text": "apple"}
                {"id": "q2", "text": "sky"}
                {"id": "q3", "text": "nothing \\"matches\\" here"}
                """);
        // q1: c ranks first (two apples), the relevant b comes later; q2: d is relevant; q3 finds nothing.
        Files.writeString(dir.resolve("qrels.tsv"), """
                query-id\tdoc-id\tgrade
                q1\tb\t2
                q1\tc\t0
                q2\td\t1
                q2\te\t1
                q3\ta\t1
                """);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void evalScoresEveryJudgedQueryWithTrecEvalsMetrics() {
        var result = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", BM25, "--metrics", "p@1,recall@2,mrr");
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        var json = result.json();
        assertThat(json.get("queries").asInt()).isEqualTo(3);
        assertThat(json.get("size").asInt()).isEqualTo(100);
        var ranking = cli.run("search", "docs", "QUERY match(title, \"apple\")").json().at("/hits/hits");
        int rankOfB = 0;
        for (int i = 0; i < ranking.size(); i++) {
            if (ranking.get(i).get("_id").asString().equals("b")) {
                rankOfB = i + 1;
            }
        }
        assertThat(rankOfB).isGreaterThan(1);
        // p@1: q1 0 (c is first), q2 1, q3 0; recall@2: q2 2/2 and q1 1 if b is second; mrr: q1 1/rank(b), q2 1.
        assertThat(json.at("/metrics/p@1").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(json.at("/metrics/recall@2").asDouble())
                .isCloseTo(((rankOfB <= 2 ? 1 : 0) + 1.0) / 3, within(1e-12));
        assertThat(json.at("/metrics/mrr").asDouble()).isCloseTo((1.0 / rankOfB + 1) / 3, within(1e-12));
    }

    @Test
    void compareAddsAPairedTestAndPerQueryValues() throws Exception {
        var result = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", BM25, "--compare", "QUERY match(title, \"{{query_text}}\") SORT n DESC",
                "--metrics", "ndcg@10,p@1", "--per-query", path("per-query.tsv"));
        assertThat(result.status()).isZero();
        var json = result.json();
        assertThat(json.at("/compare/tests/ndcg@10/p_value").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/compare/tests/ndcg@10/exact").asBoolean()).isTrue();
        assertThat(json.at("/compare/tests/p@1/difference").asDouble()).isCloseTo(
                json.at("/metrics/p@1").asDouble() - json.at("/compare/metrics/p@1").asDouble(), within(1e-12));
        var lines = Files.readAllLines(dir.resolve("per-query.tsv"));
        assertThat(lines.getFirst()).isEqualTo("metric\tquery-id\tvalue\tcompare");
        assertThat(lines).hasSize(1 + 2 * 3).contains("p@1\tq2\t1.0\t1.0", "p@1\tq1\t0.0\t0.0", "ndcg@10\tq3\t0.0\t0.0");

        var table = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", BM25, "--compare", BM25, "--metrics", "p@1", "--format", "table");
        assertThat(table.out()).startsWith("metric  request  compare  difference  p-value\n")
                .contains("p@1      0.3333   0.3333     +0.0000   1.0000");
    }

    @Test
    void runWritesStrictlyDecreasingScoresForEveryQuery() throws Exception {
        // Both skies tie on "sky": the run must still order them as the engine did.
        var result = cli.run("run", "docs", "--queries", path("q.jsonl"), "--request", BM25, "--size", "10",
                "--out", path("out/bm25.trec"), "--tag", "bm25");
        assertThat(result.status()).isZero();
        assertThat(result.json().get("queries").asInt()).isEqualTo(3);
        var lines = Files.readAllLines(dir.resolve("out/bm25.trec"));
        assertThat(lines).hasSize(result.json().get("lines").asInt()).hasSize(5);
        var engineOrder = cli.run("search", "docs", "QUERY match(title, \"sky\")").json().at("/hits/hits");
        var skies = lines.stream().filter(l -> l.startsWith("q2 ")).toList();
        assertThat(skies).hasSize(2);
        assertThat(skies.get(0)).startsWith("q2 Q0 " + engineOrder.get(0).get("_id").asString() + " 1 ");
        double first = Double.parseDouble(skies.get(0).split(" ")[4]);
        double second = Double.parseDouble(skies.get(1).split(" ")[4]);
        assertThat(second).isEqualTo(Math.nextDown(first));
        var reread = RunFile.read(dir.resolve("out/bm25.trec"));
        assertThat(reread.docIds().get("q2")).containsExactly(engineOrder.get(0).get("_id").asString(),
                engineOrder.get(1).get("_id").asString());
        assertThat(lines).allMatch(l -> l.endsWith(" bm25"));
    }

    @Test
    void jsonTemplatesFromFilesWork() throws Exception {
        Files.writeString(dir.resolve("request.json"),
                "{\"query\": {\"match\": {\"title\": \"{{query_text}}\"}}, \"_source\": false}");
        var result = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", path("request.json"), "--metrics", "p@1");
        assertThat(result.status()).isZero();
        assertThat(result.json().at("/metrics/p@1").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void badInputsAreClearErrors() {
        var unknown = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", "QUERY match(title, \"{{query}}\")");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown placeholder {{query}}");

        var missing = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", "no-such-file.dsl");
        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.err()).contains("no such file [no-such-file.dsl]");

        var metric = cli.run("eval", "docs", "--queries", path("q.jsonl"), "--qrels", path("qrels.tsv"),
                "--request", BM25, "--metrics", "ndcg@0");
        assertThat(metric.status()).isEqualTo(2);
        assertThat(metric.err()).contains("--metrics: metric [ndcg@0]");

        var syntax = cli.run("run", "docs", "--queries", path("q.jsonl"), "--request", "QUERY match(title, {{query_text}})",
                "--out", path("x.trec"));
        assertThat(syntax.status()).isEqualTo(2);
        assertThat(syntax.err()).containsPattern("the request rendered for query \\[q\\d\\] is invalid: line 1:");

        var noIndex = cli.run("run", "nope", "--queries", path("q.jsonl"), "--request", BM25, "--out", path("x.trec"));
        assertThat(noIndex.status()).isEqualTo(3);
        assertThat(List.of(noIndex.out())).allMatch(o -> o.contains("index_not_found_exception"));
    }
}
