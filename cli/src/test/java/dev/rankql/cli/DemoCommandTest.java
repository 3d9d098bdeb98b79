package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rankql demo}, the README's first command, on a smaller catalogue and on a slice of Cranfield. */
class DemoCommandTest {

    private static final Path CRANFIELD =
            Path.of(System.getProperty("rankql.shared", "../../shared")).resolve("data/cranfield");

    private static final Pattern NDCG = Pattern.compile("(?m)^ {3}(BM25|BM25 \\+ LTR) +(\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    private static double ndcg(String out, String system) {
        var matcher = NDCG.matcher(out);
        while (matcher.find()) {
            if (matcher.group(1).equals(system)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no nDCG@10 of " + system + " in:\n" + out);
    }

    @Test
    void theCatalogueDemoExplainsEachStepAndTheModelBeatsBm25() throws Exception {
        var data = dir.resolve("kept");
        var result = new CliRun(dir.resolve("unused")).run("demo", "--products", "800", "--dir", data.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        var out = result.out();
        for (var step : new String[] {"1. Data.", "2. Index.", "3. Split.", "4. BM25.", "5. Train.", "6. Rescore.",
            "7. Measure.", "8. The request."}) {
            assertThat(out).contains(step);
        }
        assertThat(out).contains("RESCORE ltr(\"demo-ltr\"", "\"learning_to_rank\"", "repl");
        // The judgments reward sales, stars and freshness, which BM25 cannot see; the model learns them.
        assertThat(ndcg(out, "BM25 + LTR")).isGreaterThan(ndcg(out, "BM25") + 0.05);
        assertThat(Files.exists(data.resolve("demo-qrels.tsv"))).isTrue();

        // What the demo kept can be evaluated by hand, as its last lines suggest.
        var kept = new CliRun(data);
        var eval = kept.run("eval", "products", "--queries", data.resolve("demo-queries.jsonl").toString(),
                "--qrels", data.resolve("demo-qrels.tsv").toString(), "--size", "50", "--metrics", "ndcg@10",
                "--request", DemoCommand.ltrRequest("QUERY multi_match(\"{{query_text}}\", fields: [title^2, description])"),
                "--compare", "QUERY multi_match(\"{{query_text}}\", fields: [title^2, description])");
        assertThat(eval.status()).isZero();
        assertThat(eval.json().at("/compare/tests/ndcg@10/difference").asDouble()).isPositive();
    }

    @Test
    void theSameDemoRunsOnACollectionLaidOutLikeCranfield() {
        var result = new CliRun(dir).run("demo", "--corpus", CRANFIELD.toString(), "--max-queries", "40");

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("40 are judged", "7. Measure.", "The index was temporary.");
        assertThat(ndcg(result.out(), "BM25")).isBetween(0.0, 1.0);
        assertThat(ndcg(result.out(), "BM25 + LTR")).isBetween(0.0, 1.0);
        assertThat(dir.resolve("demo-qrels.tsv")).doesNotExist();
    }

    @Test
    void aMissingCorpusIsAClearError() {
        var result = new CliRun(dir).run("demo", "--corpus", dir.resolve("nothing").toString());

        assertThat(result.status()).isEqualTo(3);
        assertThat(result.err()).contains("expected corpus.jsonl, queries.jsonl and qrels/train.tsv");
    }
}
