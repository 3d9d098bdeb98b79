package dev.rankql.bench.models;

import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterCreate;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterSaveModelToStringSWIG;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterUpdateOneIter;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetCreateFromMat;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetSetField;
import static com.microsoft.ml.lightgbm.lightgbmlib.double_to_voidp_ptr;
import static com.microsoft.ml.lightgbm.lightgbmlib.float_to_voidp_ptr;
import static com.microsoft.ml.lightgbm.lightgbmlib.floatArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.doubleArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_int64_tp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_intp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_voidpp;
import static com.microsoft.ml.lightgbm.lightgbmlib.voidpp_value;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Models of a given shape trained by the reference libraries on random data, cached on disk per shape so that every
 * JMH fork measures the same model without training it again.
 */
public final class ReferenceModels {

    /** Columns of every benchmark row. */
    public static final int FEATURES = 32;

    private static final int TRAIN_ROWS = 4000;
    private static final String VERSION = "v1";

    private static boolean lightGbmLoaded;

    private ReferenceModels() {}

    /** Random rows with about 10 % missing values, the same for a given seed. */
    public static float[] rows(long seed, int count) {
        var random = new SplittableRandom(seed);
        float[] rows = new float[count * FEATURES];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextDouble(-1, 1);
        }
        return rows;
    }

    private static float label(float[] rows, int r, SplittableRandom random) {
        int b = r * FEATURES;
        double y = 0;
        for (int f = 0; f < 8; f++) {
            float x = rows[b + f];
            y += Float.isNaN(x) ? 0.3 : Math.sin(3 * x * (f + 1));
        }
        return (float) (y + 0.3 * random.nextDouble());
    }

    /** XGBoost's JSON model ({@code reg:squarederror}) with {@code trees} trees of depth {@code depth}. */
    public static String xgboost(int trees, int depth) {
        return cached("xgboost-" + trees + "-" + depth + ".json", () -> {
            float[] train = rows(11, TRAIN_ROWS);
            var random = new SplittableRandom(12);
            float[] labels = new float[TRAIN_ROWS];
            for (int r = 0; r < TRAIN_ROWS; r++) {
                labels[r] = label(train, r, random);
            }
            try {
                var data = new DMatrix(train, TRAIN_ROWS, FEATURES, Float.NaN);
                data.setLabel(labels);
                var params = new HashMap<String, Object>();
                params.put("objective", "reg:squarederror");
                params.put("max_depth", depth);
                params.put("eta", 0.05);
                params.put("min_child_weight", 0);
                params.put("nthread", 1);
                params.put("seed", 7);
                Booster booster = XGBoost.train(data, params, trees, new HashMap<>(), null, null);
                String json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
                booster.dispose();
                data.dispose();
                return json;
            } catch (XGBoostError e) {
                throw new IllegalStateException("xgboost training failed", e);
            }
        });
    }

    /** LightGBM's text model ({@code regression}) with {@code trees} trees limited to depth {@code depth}. */
    public static String lightgbm(int trees, int depth) {
        loadLightGbm();
        return cached("lightgbm-" + trees + "-" + depth + ".txt", () -> {
            float[] train = rows(11, TRAIN_ROWS);
            var random = new SplittableRandom(12);
            String params = "objective=regression num_leaves=" + (1 << depth) + " max_depth=" + depth
                    + " learning_rate=0.05 min_data_in_leaf=1 min_sum_hessian_in_leaf=0 verbose=-1 num_threads=1"
                    + " seed=3 deterministic=true";
            var data = new_doubleArray(train.length);
            for (int i = 0; i < train.length; i++) {
                doubleArray_setitem(data, i, train[i]);
            }
            var handle = new_voidpp();
            check(LGBM_DatasetCreateFromMat(double_to_voidp_ptr(data), lightgbmlibConstants.C_API_DTYPE_FLOAT64,
                    TRAIN_ROWS, FEATURES, 1, params, null, handle));
            SWIGTYPE_p_void dataset = voidpp_value(handle);
            var labels = new_floatArray(TRAIN_ROWS);
            for (int r = 0; r < TRAIN_ROWS; r++) {
                floatArray_setitem(labels, r, label(train, r, random));
            }
            check(LGBM_DatasetSetField(dataset, "label", float_to_voidp_ptr(labels), TRAIN_ROWS,
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32));
            var boosterHandle = new_voidpp();
            check(LGBM_BoosterCreate(dataset, params, boosterHandle));
            SWIGTYPE_p_void booster = voidpp_value(boosterHandle);
            var finished = new_intp();
            for (int i = 0; i < trees; i++) {
                check(LGBM_BoosterUpdateOneIter(booster, finished));
            }
            String text = LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1, 0, 1L << 30, new_int64_tp());
            check(LGBM_BoosterFree(booster));
            check(LGBM_DatasetFree(dataset));
            return text;
        });
    }

    /**
     * LightGBM's text model ({@code lambdarank}) trained on {@code count} rows of {@code width} columns with their
     * labels and query groups: {@code trees} trees of at most depth {@code depth}, {@code 2^depth} leaves.
     */
    public static String lambdarank(float[] rows, float[] labels, int[] groups, int count, int width, int trees, int depth,
            int threads) {
        loadLightGbm();
        // LightGBM's default leaf minimums: with 1 and 0, lambdarank can pick an empty split and abort.
        String params = "objective=lambdarank num_leaves=" + (1 << depth) + " max_depth=" + depth
                + " learning_rate=0.05 verbose=-1 num_threads=" + threads
                + " seed=3 deterministic=true";
        var data = new_floatArray(rows.length);
        for (int i = 0; i < rows.length; i++) {
            floatArray_setitem(data, i, rows[i]);
        }
        var handle = new_voidpp();
        check(LGBM_DatasetCreateFromMat(float_to_voidp_ptr(data), lightgbmlibConstants.C_API_DTYPE_FLOAT32, count, width,
                1, params, null, handle));
        SWIGTYPE_p_void dataset = voidpp_value(handle);
        var labelArray = new_floatArray(count);
        for (int r = 0; r < count; r++) {
            floatArray_setitem(labelArray, r, labels[r]);
        }
        check(LGBM_DatasetSetField(dataset, "label", float_to_voidp_ptr(labelArray), count,
                lightgbmlibConstants.C_API_DTYPE_FLOAT32));
        var groupArray = com.microsoft.ml.lightgbm.lightgbmlib.new_intArray(groups.length);
        for (int g = 0; g < groups.length; g++) {
            com.microsoft.ml.lightgbm.lightgbmlib.intArray_setitem(groupArray, g, groups[g]);
        }
        check(LGBM_DatasetSetField(dataset, "group", com.microsoft.ml.lightgbm.lightgbmlib.int_to_voidp_ptr(groupArray),
                groups.length, lightgbmlibConstants.C_API_DTYPE_INT32));
        var boosterHandle = new_voidpp();
        check(LGBM_BoosterCreate(dataset, params, boosterHandle));
        SWIGTYPE_p_void booster = voidpp_value(boosterHandle);
        var finished = new_intp();
        for (int i = 0; i < trees; i++) {
            check(LGBM_BoosterUpdateOneIter(booster, finished));
        }
        String text = LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1, 0, 1L << 30, new_int64_tp());
        check(LGBM_BoosterFree(booster));
        check(LGBM_DatasetFree(dataset));
        com.microsoft.ml.lightgbm.lightgbmlib.delete_floatArray(data);
        com.microsoft.ml.lightgbm.lightgbmlib.delete_floatArray(labelArray);
        com.microsoft.ml.lightgbm.lightgbmlib.delete_intArray(groupArray);
        return text;
    }

    /** Throws with LightGBM's last error when a C API call returned a failure status. */
    public static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("lightgbm call failed: " + com.microsoft.ml.lightgbm.lightgbmlib
                    .LGBM_GetLastError());
        }
    }

    /** The lightgbmlib jar holds its native libraries but no loader: extract them and load the core one first. */
    public static synchronized void loadLightGbm() {
        if (lightGbmLoaded) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("rankql-lightgbm");
            for (String name : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
                Path target = dir.resolve(name);
                try (InputStream in = ReferenceModels.class.getResourceAsStream(
                        "/com/microsoft/ml/lightgbm/linux/x86_64/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("lightgbmlib has no native library " + name
                                + " for this platform (linux x86_64 only)");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                System.load(target.toString());
                target.toFile().deleteOnExit();
            }
            dir.toFile().deleteOnExit();
            lightGbmLoaded = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Trainer {
        String train();
    }

    private static synchronized String cached(String name, Trainer trainer) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "rankql-bench-models-" + VERSION);
        Path file = dir.resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file);
            }
            String text = trainer.train();
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, name, ".part");
            Files.writeString(partial, text);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
