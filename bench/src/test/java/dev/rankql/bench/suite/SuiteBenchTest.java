package dev.rankql.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.bench.models.ObjectWalker;
import dev.rankql.bench.models.ReferenceModels;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.formats.Models;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SuiteBenchTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The quick suite's shape, small: one feature set, one small tree model, two windows, one round. */
    private static SuiteBench.Config tiny() {
        var shape = new SuiteBench.Shape(20, 4);
        return new SuiteBench.Config(3_000, 1_000, 4, 1, 0, List.of(20), List.of(shape), List.of(10, 60),
                new SuiteBench.Goal(20, shape, 60), 30, 30, 1_000, 1, 100, 3, 3, "test");
    }

    @Test
    void aTinyRunPassesTheGateAndEndsWithTheGoalRatios() throws Exception {
        var target = dir.resolve("results").resolve("run.json");
        int status = SuiteCommand.execute(tiny(), dir.resolve("cache"), target, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        var lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        var json = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        for (var key : List.of("model_vs_xgboost", "model_vs_lightgbm", "rescore_vs_es_style", "features_vs_handwritten",
                "first_pass_vs_lucene", "ingest_vs_lucene", "alloc_bytes_per_doc", "rescore_vs_solr_style")) {
            assertThat(json.get(key).isNumber()).as(key).isTrue();
        }
        assertThat(json.get("model_vs_xgboost").asDouble()).isPositive();
        var facts = json.get("facts");
        // 3 gate queries × 2 windows: hand-written, ES-style and Solr-style for the trees, hand-written for the
        // features, and the whole query against the peer.
        assertThat(facts.get("gate_rankings").asInt()).isEqualTo(3 * 2 * (3 + 1 + 1));
        assertThat(facts.get("gate_model_rows").asInt()).isEqualTo(2 * 3 * (10 + 60));
        assertThat(json.get("medians").has("f20.gbdt20x4.w60.e2e.rankql.features.p99_ms")).isTrue();
        assertThat(json.get("medians").has("f20.gbdt20x4.w60.throughput.peer.qps")).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("correctness gate passed");
        assertThat(target).exists();
        assertThat(target.resolveSibling("run.md")).content().contains("| model stage vs xgboost4j |")
                .contains("## Whole LTR query, split by stage");
    }

    @Test
    void theModelGateComparesTheOptimizedWalkWithTheScalarWalkTheWalkerAndXgboost() throws Exception {
        var json = ReferenceModels.xgboost(12, 3);
        var model = (TreeEnsemble) Models.load("xgboost", json, LoadOptions.DEFAULTS);
        var rows = ReferenceModels.rows(5, 40);
        try (var same = new NativePeers.Xgboost(json, ReferenceModels.FEATURES);
                var other = new NativePeers.Xgboost(ReferenceModels.xgboost(13, 3), ReferenceModels.FEATURES)) {
            assertThat(Gate.trees(model, ObjectWalker.of(model), same, rows, 40, "here")).isEqualTo(40);
            assertThatThrownBy(() -> Gate.trees(model, ObjectWalker.of(model), other, rows, 40, "there"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("model correctness gate failed at there, row ");
        }
    }

    @Test
    void theLightGbmGateComparesRankqlsReadingWithLightgbmlib() {
        var text = ReferenceModels.lightgbm(10, 3);
        var model = Models.load("lightgbm", text, LoadOptions.DEFAULTS);
        var rows = ReferenceModels.rows(6, 30);
        try (var same = new NativePeers.LightGbm(text, ReferenceModels.FEATURES, 30);
                var other = new NativePeers.LightGbm(ReferenceModels.lightgbm(11, 3), ReferenceModels.FEATURES, 30)) {
            assertThat(Gate.lightgbm(model, same, rows, 30, "here")).isEqualTo(30);
            assertThatThrownBy(() -> Gate.lightgbm(model, other, rows, 30, "there"))
                    .hasMessageStartingWith("lightgbm correctness gate failed at there, row ");
        }
    }

    @Test
    void theRescoreGateNamesTheFirstDifferenceAndAcceptsOneMillionth() {
        var ours = new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1f)};

        Gate.rescore(ours, new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1.0000005f)}, "same");
        assertThatThrownBy(() -> Gate.rescore(ours, new ScoreDoc[] {new ScoreDoc(4, 2f), new ScoreDoc(1, 1.00001f)}, "here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rescore correctness gate failed at here: doc 1 scores 1.0 in rankql, 1.00001 in the peer");
        assertThatThrownBy(() -> Gate.rescore(ours, new ScoreDoc[] {new ScoreDoc(4, 2f)}, "there"))
                .hasMessageContaining("2 hits vs 1");
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        int status = SuiteCommand.run(new String[] {"--quick", "--rounds", "x"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                rankql bench: Invalid value for option '--rounds': 'x' is not a positive integer
                Try 'rankql bench --help' for more information.
                """);
    }

    @Test
    void theQuickModeIsTheGoalConfiguration() {
        var quick = SuiteBench.Config.quick();

        assertThat(quick.docs()).isEqualTo(100_000);
        assertThat(quick.goal()).isEqualTo(SuiteBench.Goal.DEFAULT);
        assertThat(quick.windows()).containsExactly(100, 1000);
        assertThat(quick.rounds()).isEqualTo(5);
        assertThat(quick.ingestRounds()).isEqualTo(5);
        assertThat(SuiteBench.Config.full().shapes()).hasSize(10).contains(SuiteBench.Shape.LINEAR);
    }

    @Test
    void aRunOnCorpusFilesDrawsItsQueriesFromThemAndASecondRunTakesTheIndexFromTheCache() throws Exception {
        var files = dir.resolve("files");
        dev.rankql.bench.engine.Corpus.generate(files, 3_000, 1_000, 7);
        var cache = dir.resolve("cache");
        var first = dir.resolve("first.json");
        var second = dir.resolve("second.json");
        var stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        var stderr = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(SuiteCommand.execute(tiny(), cache, first, stdout, stderr, files)).as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(SuiteCommand.execute(tiny(), cache, second, stdout, stderr, files)).as(err.toString(StandardCharsets.UTF_8))
                .isZero();

        var mapper = JsonMapper.builder().build();
        var one = mapper.readTree(first.toFile());
        var two = mapper.readTree(second.toFile());
        assertThat(one.get("run").get("corpus").asString()).startsWith("files in ").endsWith("(3000 documents)");
        assertThat(one.get("facts").has("index_cached")).isFalse();
        // Training queries come from the files' own vocabulary, so (nearly) every one has its 30 judged documents.
        assertThat(one.get("facts").get("f20_training_rows").asInt()).isGreaterThan(30 * 30 / 2);
        assertThat(two.get("facts").get("index_cached").asBoolean()).isTrue();
        assertThat(two.get("facts").get("index_size_bytes")).isEqualTo(one.get("facts").get("index_size_bytes"));
        assertThat(one.get("facts").get("phase_seconds").has("rounds")).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the search index of this corpus comes from " + cache);
    }

    @Test
    void cellsOffTheGoalMeasureLessInTheFullRunAndTheGoalCellsAllTheirQueries() {
        var full = SuiteBench.Config.full();

        assertThat(full.budget(20, new SuiteBench.Shape(500, 6))).isEqualTo(new SuiteBench.CellBudget(100, 5, 2));
        assertThat(full.budget(20, SuiteBench.Shape.LINEAR)).isEqualTo(new SuiteBench.CellBudget(100, 5, 2));
        assertThat(full.budget(50, new SuiteBench.Shape(500, 6))).isEqualTo(new SuiteBench.CellBudget(30, 3, 1));
        assertThat(full.budget(20, new SuiteBench.Shape(1000, 8))).isEqualTo(new SuiteBench.CellBudget(30, 3, 1));
        assertThat(full.with(20_000, 2, 10).cells()).isEqualTo(new SuiteBench.CellBudget(10, 2, 1));
        assertThat(full.jmh()).isNotNull();
        assertThat(full.withJmh(null).jmh()).isNull();
    }

    @Test
    void theJmhOptionsRunOneModelBenchMethodOnOneShape() {
        var options = ModelJmh.options(new SuiteBench.Shape(500, 6), "lightgbm", ModelJmh.Budget.QUICK);

        assertThat(options.getIncludes()).hasSize(1);
        var pattern = java.util.regex.Pattern.compile(options.getIncludes().get(0));
        assertThat(pattern.matcher("dev.rankql.bench.models.ModelBench.lightgbm").find()).isTrue();
        assertThat(pattern.matcher("dev.rankql.bench.models.ModelBench.lightgbmX").find()).isFalse();
        assertThat(options.getParameter("trees").get()).containsExactly("500");
        assertThat(options.getParameter("depth").get()).containsExactly("6");
        assertThat(options.getParameter("docs").get()).containsExactly("1000");
        assertThat(options.getForkCount().get()).isEqualTo(1);
        assertThat(ModelJmh.Budget.QUICK.totalSeconds()).isEqualTo(7);
    }
}
