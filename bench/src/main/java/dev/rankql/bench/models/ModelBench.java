package dev.rankql.bench.models;

import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterLoadModelFromString;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterPredictForMat;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.doubleArray_getitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.float_to_voidp_ptr;
import static com.microsoft.ml.lightgbm.lightgbmlib.floatArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_int64_tp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_intp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_voidpp;
import static com.microsoft.ml.lightgbm.lightgbmlib.voidpp_value;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.formats.Models;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to score a block of documents with a tree ensemble, on one thread: rankql's block walk and scalar walk, a naive
 * object-node walker, xgboost4j ({@code inplace_predict}, and {@code predict} on a fresh DMatrix) on the same XGBoost
 * model, and lightgbmlib on a LightGBM model of the same shape; divide a score by {@code trees * docs} for the time per
 * tree per document.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow", "-Xss4m"})
@State(Scope.Benchmark)
public class ModelBench {

    @Param({"100", "500", "1000"})
    public int trees;

    @Param({"4", "6", "8"})
    public int depth;

    @Param({"1", "100", "1000"})
    public int docs;

    private TreeEnsemble block;
    private TreeEnsemble scalar;
    private ObjectWalker walker;
    private Booster xgboost;
    private float[] rows;
    private double[] out;

    private SWIGTYPE_p_void lightgbm;
    private SWIGTYPE_p_float lightgbmRows;
    private SWIGTYPE_p_double lightgbmOut;
    private SWIGTYPE_p_long_long lightgbmLength;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String json = ReferenceModels.xgboost(trees, depth);
        block = (TreeEnsemble) Models.load("xgboost", json, LoadOptions.DEFAULTS);
        if (block.blockWalkTrees() != trees) {
            throw new IllegalStateException("only " + block.blockWalkTrees() + " of " + trees + " trees laid out");
        }
        scalar = block.scalarOnly();
        walker = ObjectWalker.of(block);
        xgboost = XGBoost.loadModel(json.getBytes(StandardCharsets.UTF_8));
        xgboost.setParam("nthread", 1);
        rows = ReferenceModels.rows(99, docs);
        out = new double[docs];

        ReferenceModels.loadLightGbm();
        var handle = new_voidpp();
        ReferenceModels.check(LGBM_BoosterLoadModelFromString(ReferenceModels.lightgbm(trees, depth), new_intp(),
                handle));
        lightgbm = voidpp_value(handle);
        lightgbmRows = new_floatArray(rows.length);
        for (int i = 0; i < rows.length; i++) {
            floatArray_setitem(lightgbmRows, i, rows[i]);
        }
        lightgbmOut = new_doubleArray(docs);
        lightgbmLength = new_int64_tp();
        agree();
    }

    /** Every engine must give the scores the others give before any of them is timed. */
    private void agree() throws XGBoostError {
        double[] expected = new double[docs];
        scalar.score(rows, docs, expected);
        double[] mine = scoreBlock();
        double[] walked = new double[docs];
        walker.score(rows, docs, walked);
        float[][] reference = xgboost.inplace_predict(rows, docs, ReferenceModels.FEATURES, Float.NaN);
        for (int r = 0; r < docs; r++) {
            if (mine[r] != expected[r] || walked[r] != expected[r]
                    || Math.abs(reference[r][0] - expected[r]) > 1e-5 * Math.max(1, Math.abs(expected[r]))) {
                throw new IllegalStateException("engines disagree on row " + r + ": block " + mine[r] + ", scalar "
                        + expected[r] + ", objects " + walked[r] + ", xgboost " + reference[r][0]);
            }
        }
        TreeEnsemble lightgbmModel = (TreeEnsemble) Models.load("lightgbm",
                ReferenceModels.lightgbm(trees, depth), LoadOptions.DEFAULTS);
        double[] ours = new double[docs];
        lightgbmModel.score(rows, docs, ours);
        lightgbm();
        for (int r = 0; r < docs; r++) {
            double theirs = doubleArray_getitem(lightgbmOut, r);
            if (Math.abs(theirs - ours[r]) > 1e-5 * Math.max(1, Math.abs(theirs))) {
                throw new IllegalStateException("rankql and lightgbm disagree on row " + r + ": " + ours[r] + " vs "
                        + theirs);
            }
        }
    }

    private double[] scoreBlock() {
        double[] scores = new double[docs];
        block.score(rows, docs, scores);
        return scores;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws XGBoostError {
        xgboost.dispose();
        ReferenceModels.check(LGBM_BoosterFree(lightgbm));
        delete_floatArray(lightgbmRows);
        delete_doubleArray(lightgbmOut);
    }

    @Benchmark
    public double[] rankqlBlockWalk() {
        block.score(rows, docs, out);
        return out;
    }

    @Benchmark
    public double[] rankqlScalarWalk() {
        scalar.score(rows, docs, out);
        return out;
    }

    @Benchmark
    public double[] objectWalker() {
        walker.score(rows, docs, out);
        return out;
    }

    @Benchmark
    public float[][] xgboostInplacePredict() throws XGBoostError {
        return xgboost.inplace_predict(rows, docs, ReferenceModels.FEATURES, Float.NaN);
    }

    /** A fresh DMatrix per call: XGBoost caches the predictions of a DMatrix it has seen. */
    @Benchmark
    public float[][] xgboostDMatrixPredict() throws XGBoostError {
        var matrix = new DMatrix(rows, docs, ReferenceModels.FEATURES, Float.NaN);
        try {
            return xgboost.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    @Benchmark
    public SWIGTYPE_p_double lightgbm() {
        ReferenceModels.check(LGBM_BoosterPredictForMat(lightgbm, float_to_voidp_ptr(lightgbmRows),
                lightgbmlibConstants.C_API_DTYPE_FLOAT32, docs, ReferenceModels.FEATURES, 1,
                lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, "num_threads=1", lightgbmLength, lightgbmOut));
        return lightgbmOut;
    }
}
