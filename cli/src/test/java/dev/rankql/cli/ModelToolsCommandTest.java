package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.formats.Models;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelToolsCommandTest {

    /** The model of the Elasticsearch LTR integration tests (elasticsearch-ltr.md §d.7). */
    private static final String ES_PRODUCTS = """
            {
              "description": "super complex model for tests",
              "inference_config": { "learning_to_rank": { "feature_extractors": [] } },
              "definition": { "trained_model": { "ensemble": {
                "feature_names": ["cost", "type_tv", "type_vcr", "type_laptop", "two", "product_bm25"],
                "target_type": "regression",
                "trained_models": [
                  { "tree": { "feature_names": ["cost"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 400, "decision_type": "lte",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 5.0 }, { "node_index": 2, "leaf_value": 2.0 } ] } },
                  { "tree": { "feature_names": ["type_tv"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 }, { "node_index": 2, "leaf_value": 12.0 } ] } },
                  { "tree": { "feature_names": ["two"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 }, { "node_index": 2, "leaf_value": 2.0 } ] } },
                  { "tree": { "feature_names": ["product_bm25"], "target_type": "regression", "tree_structure": [
                      { "node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "lt",
                        "default_left": true, "left_child": 1, "right_child": 2 },
                      { "node_index": 1, "leaf_value": 1.0 }, { "node_index": 2, "leaf_value": 4.0 } ] } }
                ] } } }
            }
            """;

    /** The store documents of the ES tests, as the feature extractors see them (unmatched queries are absent). */
    private static final String PRODUCT_ROWS = """
            {"cost": 300, "type_tv": 1, "two": 2}
            {"cost": 400, "type_tv": 1, "two": 2, "product_bm25": null}
            {"cost": 600, "type_tv": 1, "two": 2, "product_bm25": "NaN"}

            {"cost": 15, "type_vcr": 1, "two": 2}
            {"cost": 350, "type_vcr": 1, "two": 2}
            {"cost": 100, "type_laptop": 1, "two": 2}
            {"cost": 300, "type_laptop": 1, "two": 2, "unknown": "ignored"}
            {"cost": 580, "type_vcr": 1, "two": 2}
            {"cost": 500, "type_laptop": 1, "two": 2}
            """;

    /** An XGBoost dump (features by position, float arithmetic): f0 < 0.5 ? (f1 < 2 ? 0.1 : 0.2) : 0.3, plus 0.05. */
    private static final String XGBOOST_DUMP = """
            [
              { "nodeid": 0, "depth": 0, "split": "f0", "split_condition": 0.5, "yes": 1, "no": 2, "missing": 2,
                "children": [
                  { "nodeid": 1, "depth": 1, "split": "f1", "split_condition": 2, "yes": 3, "no": 4, "missing": 3,
                    "children": [ { "nodeid": 3, "leaf": 0.1 }, { "nodeid": 4, "leaf": 0.2 } ] },
                  { "nodeid": 2, "leaf": 0.3 } ] },
              { "nodeid": 0, "leaf": 0.05 }
            ]
            """;

    private static final String LIGHTGBM_CATEGORICAL = """
            tree
            version=v3
            num_class=1
            num_tree_per_iteration=1
            label_index=0
            max_feature_idx=1
            objective=regression
            feature_names=color size
            feature_infos=-1:1:2 [0:10]
            tree_sizes=100

            Tree=0
            num_leaves=2
            num_cat=1
            split_feature=0
            split_gain=1
            threshold=0
            decision_type=1
            left_child=-1
            right_child=-2
            leaf_value=1.5 -0.5
            leaf_weight=1 1
            leaf_count=1 1
            internal_value=0
            internal_weight=0
            internal_count=2
            cat_boundaries=0 1
            cat_threshold=6
            is_linear=0
            shrinkage=1


            end of trees
            """;

    private static final String LINEAR = """
            {"bm25": 0.5, "clicks": 2.0}
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Run(int status, String out, String err) {}

    private static Run run(String stdin, String... args) {
        return run(() -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    private static Run run(java.util.function.Supplier<InputStream> stdin, String... args) {
        var commandLine = Main.commandLine(Map.of(), stdin);
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static String write(Path dir, String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    @Test
    void predictGivesTheElasticsearchIntegrationTestScores(@TempDir Path dir) throws Exception {
        String model = write(dir, "products.json", ES_PRODUCTS);

        var run = run(PRODUCT_ROWS, "model", "predict", "--format", "es", "--model", model);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out().lines()).containsExactly("20.0", "20.0", "17.0", "9.0", "9.0", "9.0", "9.0", "6.0", "6.0");
    }

    @Test
    void predictDetectsTheFormatAndBindsFeaturesByPosition(@TempDir Path dir) throws Exception {
        String model = write(dir, "dump.json", XGBOOST_DUMP);
        String rows = """
                {"a": 0.4, "b": 1}
                {"a": 0.4, "b": 2}
                {"a": 0.5, "b": 0}
                {"b": 5}
                {"a": 0.1}
                """;

        var run = run(rows, "model", "predict", "--model", model, "--features", "a,b");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        // Float arithmetic, printed as floats: 0.1f + 0.05f, 0.2f + 0.05f, 0.3f + 0.05f; a missing f0 goes to "no".
        assertThat(run.out().lines()).containsExactly(
                Float.toString(0.1f + 0.05f), Float.toString(0.2f + 0.05f), Float.toString(0.3f + 0.05f),
                Float.toString(0.3f + 0.05f), Float.toString(0.1f + 0.05f));
    }

    @Test
    void missingAsZeroReadsAbsentFeaturesAsZero(@TempDir Path dir) throws Exception {
        String model = write(dir, "dump.json", XGBOOST_DUMP);

        var plain = run("{\"b\": 5}\n", "model", "predict", "--model", model, "--features", "a,b");
        var zero = run("{\"b\": 5}\n", "model", "predict", "--model", model, "--features", "a,b", "--missing-as-zero");

        assertThat(plain.out().strip()).isEqualTo(Float.toString(0.3f + 0.05f));
        assertThat(zero.out().strip()).isEqualTo(Float.toString(0.2f + 0.05f));
    }

    @Test
    void predictPrintsDoublesThatReadBackExactly(@TempDir Path dir) throws Exception {
        String model = write(dir, "m.txt", LIGHTGBM_CATEGORICAL.replace("leaf_value=1.5 -0.5",
                "leaf_value=0.1234567890123 -0.5"));

        var run = run("{\"color\": 1}\n{\"color\": 2.9}\n{\"color\": 0}\n{\"color\": null}\n", "model", "predict",
                "--model", model);

        assertThat(run.err()).isEmpty();
        // categories {1, 2} go left; 0 and a missing category go right.
        assertThat(run.out().lines().map(Double::parseDouble))
                .containsExactly(0.1234567890123, 0.1234567890123, -0.5, -0.5);
    }

    @Test
    void manyRowsStreamThroughSeveralBlocksInOrder(@TempDir Path dir) throws Exception {
        String model = write(dir, "products.json", ES_PRODUCTS);
        int rows = ModelPredictCommand.BLOCK * 2 + 37;
        String input = IntStream.range(0, rows)
                .mapToObj(i -> "{\"cost\": " + i + ", \"two\": 2}")
                .collect(Collectors.joining("\n"));

        var run = run(input, "model", "predict", "--model", model);

        assertThat(run.status()).isZero();
        var loaded = Models.load("es", ES_PRODUCTS, LoadOptions.DEFAULTS);
        String[] expected = IntStream.range(0, rows)
                .mapToObj(i -> Double.toString(loaded.score(new double[] {i, Double.NaN, Double.NaN, Double.NaN, 2,
                        Double.NaN})))
                .toArray(String[]::new);
        assertThat(run.out().lines()).containsExactly(expected);
        assertThat(Arrays.stream(expected).distinct()).containsExactlyInAnyOrder("9.0", "6.0");
    }

    @Test
    void predictDoesNotReadAllInputBeforeScoring(@TempDir Path dir) throws Exception {
        String model = write(dir, "products.json", ES_PRODUCTS);
        byte[] block = ("{\"cost\": 1}\n".repeat(ModelPredictCommand.BLOCK)).getBytes(StandardCharsets.UTF_8);
        var reads = new AtomicInteger();
        // An input that fails if it is read past the second block before the first block's scores were written.
        var printed = new StringWriter();
        InputStream in = new InputStream() {
            private int position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= 3 * block.length) {
                    return -1;
                }
                if (position >= 2 * block.length) {
                    assertThat(printed.toString().lines().count()).as("scores written before the input ends")
                            .isGreaterThanOrEqualTo(ModelPredictCommand.BLOCK);
                }
                reads.incrementAndGet();
                int n = Math.min(len, Math.min(4096, block.length - position % block.length));
                System.arraycopy(block, position % block.length, b, off, n);
                position += n;
                return n;
            }
        };
        var commandLine = Main.commandLine(Map.of(), () -> in);
        commandLine.setOut(new PrintWriter(printed)).setErr(new PrintWriter(new StringWriter()));

        int status = commandLine.execute("model", "predict", "--model", model);

        assertThat(status).isZero();
        assertThat(printed.toString().lines()).hasSize(3 * ModelPredictCommand.BLOCK);
        assertThat(reads.get()).isGreaterThan(3);
    }

    @Test
    void aBadRowStopsWithItsLineNumberAfterTheScoresBeforeIt(@TempDir Path dir) throws Exception {
        String model = write(dir, "products.json", ES_PRODUCTS);

        var run = run("{\"cost\": 300}\n\n{\"cost\": \"cheap\"}\n{\"cost\": 1}\n", "model", "predict", "--model", model);

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out().lines()).containsExactly("8.0");
        assertThat(run.err()).isEqualTo("rankql: standard input line 3: feature [cost] must be a number, null or "
                + "\"NaN\", got \"cheap\"\n");

        var notJson = run("{\"cost\": 300\n", "model", "predict", "--model", model);
        assertThat(notJson.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(notJson.err()).startsWith("rankql: standard input line 1: not valid JSON");

        var array = run("[1, 2]\n", "model", "predict", "--model", model);
        assertThat(array.err()).isEqualTo("rankql: standard input line 1: a row is a JSON object of feature values\n");

        var binary = run(() -> new ByteArrayInputStream(new byte[] {'{', '}', '\n', (byte) 0xff, '\n'}),
                "model", "predict", "--model", model);
        assertThat(binary.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(binary.err()).isEqualTo("rankql: standard input line 2 is not valid UTF-8 text\n");
    }

    @Test
    void aRejectedModelExitsTwoAndAMissingFileThree(@TempDir Path dir) throws Exception {
        String broken = write(dir, "broken.json", ES_PRODUCTS.replace("\"lte\"", "\"between\""));

        var rejected = run("{}\n", "model", "predict", "--format", "es", "--model", broken);
        assertThat(rejected.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(rejected.out()).isEmpty();
        assertThat(rejected.err()).startsWith("rankql: model " + broken + " rejected: ").contains("between");

        var missing = run("{}\n", "model", "predict", "--model", dir.resolve("nope.json").toString());
        assertThat(missing.status()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("rankql: no such model file: " + dir.resolve("nope.json") + "\n");

        String model = write(dir, "dump.json", XGBOOST_DUMP);
        var unknownFeature = run("{}\n", "model", "predict", "--model", model, "--features", "a");
        assertThat(unknownFeature.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownFeature.err()).startsWith("rankql: model " + model + " rejected: ");

        var twice = run("{}\n", "model", "predict", "--model", model, "--features", "a,a");
        assertThat(twice.err()).isEqualTo("rankql: --features: feature [a] is listed twice\n");

        var badFormat = run("{}\n", "model", "predict", "--format", "onnx", "--model", model);
        assertThat(badFormat.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(badFormat.err()).contains("unknown model format [onnx]");

        var noModel = run("{}\n", "model", "predict");
        assertThat(noModel.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(noModel.err()).contains("Missing required option: '--model=FILE'");
    }

    @Test
    void explainShowsEveryTreePath(@TempDir Path dir) throws Exception {
        String model = write(dir, "products.json", ES_PRODUCTS);

        var run = run("{\"cost\": 600, \"type_tv\": 1, \"two\": 2}\n", "model", "explain", "--model", model);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("""
                score: 17.0
                margin: 17.0 (base score 0.0, 4 trees, output identity)
                tree 0: leaf 2 = 2.0, adds 2.0
                  node 0: cost = 600.0 <= 400.0 -> right
                tree 1: leaf 2 = 12.0, adds 12.0
                  node 0: type_tv = 1.0 < 1.0 -> right
                tree 2: leaf 2 = 2.0, adds 2.0
                  node 0: two = 2.0 < 1.0 -> right
                tree 3: leaf 1 = 1.0, adds 1.0
                  node 0: product_bm25 missing -> left (default)
                """);
    }

    @Test
    void explainAsJson(@TempDir Path dir) throws Exception {
        String model = write(dir, "m.txt", LIGHTGBM_CATEGORICAL);

        var run = run("{\"color\": 2}", "model", "explain", "--model", model, "--json");

        assertThat(run.status()).isZero();
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("score").doubleValue()).isEqualTo(1.5);
        assertThat(json.get("kind").stringValue()).isEqualTo("trees");
        JsonNode step = json.get("trees").get(0).get("path").get(0);
        assertThat(step.get("feature").stringValue()).isEqualTo("color");
        assertThat(step.get("decision").stringValue()).isEqualTo("in");
        assertThat(step.get("categories").toString()).isEqualTo("[1,2]");
        assertThat(step.get("side").stringValue()).isEqualTo("left");

        var missing = run("{\"size\": 2}", "model", "explain", "--model", model, "--json");
        JsonNode missingStep = JSON.readTree(missing.out()).get("trees").get(0).get("path").get(0);
        assertThat(missingStep.get("value").isNull()).isTrue();
        assertThat(missingStep.get("missing").booleanValue()).isTrue();
    }

    @Test
    void explainALinearModel(@TempDir Path dir) throws Exception {
        String model = write(dir, "linear.json", LINEAR);

        var run = run("{\"bm25\": 3, \"clicks\": null}", "model", "explain", "--format", "linear", "--model", model);

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                score: 1.5
                bias: 0.0
                  bm25 = 3.0 x weight 0.5 = 1.5
                  clicks = missing, read as 0.0 x weight 2.0 = 0.0
                """);
    }

    @Test
    void explainTakesExactlyOneRow(@TempDir Path dir) throws Exception {
        String model = write(dir, "linear.json", LINEAR);

        var none = run("\n", "model", "explain", "--format", "linear", "--model", model);
        assertThat(none.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).isEqualTo("rankql: no row on standard input: explain reads one JSON object of features\n");

        var two = run("{}\n{}\n", "model", "explain", "--format", "linear", "--model", model);
        assertThat(two.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(two.err()).isEqualTo("rankql: standard input line 2: explain takes one row, and this is a second "
                + "one; use predict for many rows\n");
    }

    @Test
    void convertWritesAnElasticsearchBodyThatScoresTheSame(@TempDir Path dir) throws Exception {
        String model = write(dir, "dump.json", XGBOOST_DUMP);

        var run = run("", "model", "convert", "--to", "es", "--model", model, "--features", "a,b", "--description",
                "two trees");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        JsonNode body = JSON.readTree(run.out());
        assertThat(body.get("description").stringValue()).isEqualTo("two trees");
        String converted = write(dir, "es.json", run.out());

        String rows = "{\"a\": 0.4, \"b\": 1}\n{\"a\": 0.4, \"b\": 2}\n{\"a\": 0.5}\n{\"b\": 3}\n";
        var fromEs = run(rows, "model", "predict", "--format", "es", "--model", converted);
        var fromDump = run(rows, "model", "predict", "--model", model, "--features", "a,b");
        assertThat(fromEs.out().lines().map(Double::parseDouble).toList())
                .zipSatisfy(fromDump.out().lines().map(Double::parseDouble).toList(),
                        (es, dump) -> assertThat(es).isCloseTo(dump, org.assertj.core.data.Offset.offset(1e-6)));
        assertThat(fromEs.out().lines()).hasSize(4);
    }

    @Test
    void convertRefusesWhatElasticsearchCannotExpress(@TempDir Path dir) throws Exception {
        String categorical = write(dir, "m.txt", LIGHTGBM_CATEGORICAL);
        var run = run("", "model", "convert", "--to", "es", "--model", categorical);
        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("rankql: cannot convert " + categorical + " to es: ")
                .contains("categorical split");

        String linear = write(dir, "linear.json", LINEAR);
        var refused = run("", "model", "convert", "--to", "es", "--format", "linear", "--model", linear);
        assertThat(refused.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("tree ensembles");

        var wrongTarget = run("", "model", "convert", "--to", "onnx", "--model", linear);
        assertThat(wrongTarget.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongTarget.err()).contains("--to");
    }

    @Test
    void formatsListsEveryFormatWithItsDescription() {
        var run = run("", "model", "formats");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        var lines = run.out().lines().toList();
        assertThat(lines).hasSize(Models.formats().size());
        for (int i = 0; i < lines.size(); i++) {
            var format = Models.formats().get(i);
            assertThat(lines.get(i)).startsWith(format.formatName() + " ").endsWith(format.description());
        }
        assertThat(lines.stream().map(line -> line.split(" ")[0]))
                .containsExactly("es", "xgboost", "xgboost-opensearch", "xgboost-dump", "lightgbm", "lightgbm-json",
                        "ranklib", "solr", "linear");
    }

    @Test
    void modelAloneIsAUsageErrorAndNoCommandCreatesADataDirectory(@TempDir Path dir) throws Exception {
        var run = run("", "model");
        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required subcommand");

        String model = write(dir, "products.json", ES_PRODUCTS);
        Path data = dir.resolve("data");
        var predict = run("{}\n", "--data", data.toString(), "model", "predict", "--model", model);
        assertThat(predict.status()).isZero();
        assertThat(data).doesNotExist();
    }
}
