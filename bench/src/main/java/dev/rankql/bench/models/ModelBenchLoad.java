package dev.rankql.bench.models;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.formats.Models;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Time to load an XGBoost JSON model from memory: rankql (parse, validate, lay out) against xgboost4j's loadModel. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow", "-Xss4m"})
@State(Scope.Benchmark)
public class ModelBenchLoad {

    @Param({"1000"})
    public int trees;

    @Param({"6"})
    public int depth;

    private String json;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setUp() {
        json = ReferenceModels.xgboost(trees, depth);
        bytes = json.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Model rankqlLoad() {
        return Models.load("xgboost", json, LoadOptions.DEFAULTS);
    }

    /** From the UTF-8 bytes rankql would read from the file as well. */
    @Benchmark
    public Model rankqlLoadFromBytes() {
        return Models.load("xgboost", new String(bytes, StandardCharsets.UTF_8), LoadOptions.DEFAULTS);
    }

    @Benchmark
    public int xgboostLoadModel() throws Exception {
        Booster booster = XGBoost.loadModel(bytes);
        booster.dispose();
        return bytes.length;
    }
}
