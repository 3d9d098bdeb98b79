package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plain-search tour, examples/quickstart.sh, step by step through {@link Main} in-process: the same mapping,
 * the same products and the very searches the script runs (read from the script, so the two cannot drift apart).
 */
class QuickstartTest {

    private static final Path ROOT = Path.of(System.getProperty("rankql.root", ".."));
    private static final Path SCRIPT = ROOT.resolve("examples/quickstart.sh");
    private static final Path PRODUCTS = ROOT.resolve("examples/products");

    @TempDir
    Path data;

    /** The DSL searches of the script's {@code run search products '...'} lines, in order. */
    private static List<String> searches() throws Exception {
        var matcher = Pattern.compile("run search products '([^']*)'").matcher(Files.readString(SCRIPT));
        var searches = new ArrayList<String>();
        while (matcher.find()) {
            searches.add(matcher.group(1));
        }
        return searches;
    }

    @Test
    void theScriptsStepsRunEndToEnd() throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        var cli = new CliRun(data);

        var create = cli.run("index", "create", "products", "--body", PRODUCTS.resolve("mapping.json").toString());
        var ingest = cli.run("ingest", "products", PRODUCTS.resolve("products.jsonl").toString(), "--refresh");
        var searches = searches();

        assertThat(create.status()).isZero();
        assertThat(ingest.status()).isZero();
        assertThat(ingest.json().path("errors").asBoolean()).isFalse();
        assertThat(ingest.json().path("items").size()).isEqualTo(200);
        assertThat(searches).hasSize(2);

        var bm25 = cli.run("search", "products", searches.get(0), "--format", "table", "--columns", "title,brand,price");
        assertThat(bm25.status()).isZero();
        assertThat(bm25.err()).isEmpty();
        var rows = bm25.out().lines().toList();
        assertThat(rows).hasSize(7);
        assertThat(rows.get(0)).matches("#\\s+_id\\s+_score\\s+title\\s+brand\\s+price");
        rows.subList(1, 6).forEach(row -> assertThat(row).containsIgnoringCase("desk lamp"));

        var rescored = cli.run("search", "products", searches.get(1), "--format", "table");
        var plain = cli.run("search", "products", searches.get(1).replaceAll("(?s)\\s*\\| RESCORE.*WINDOW 50", ""),
                "--format", "table");
        assertThat(rescored.status()).isZero();
        var rescoredRows = rescored.out().lines().toList();
        assertThat(rescoredRows).hasSize(7);
        // The phrase rescorer lifts the exact "usb c cable" titles above those that only share words.
        rescoredRows.subList(1, 4).forEach(row -> assertThat(row).containsIgnoringCase("usb c cable"));
        assertThat(plain.status()).isZero();
        assertThat(rescored.out()).isNotEqualTo(plain.out());
    }

    @Test
    void theDatasetIsTheOneTheGeneratorWrites() throws Exception {
        var lines = Files.readAllLines(PRODUCTS.resolve("products.jsonl"));

        assertThat(lines).hasSize(200);
        assertThat(lines.getFirst()).startsWith("{\"id\": \"p001\", ");
        assertThat(lines.getLast()).startsWith("{\"id\": \"p200\", ");
        assertThat(Files.readString(PRODUCTS.resolve("generate.py"))).contains("random.Random(20261126)");
    }
}
