package dev.rankql.bench.suite;

import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterLoadModelFromString;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterPredictForMat;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.doubleArray_getitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.floatArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.float_to_voidp_ptr;
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
import dev.rankql.bench.models.ReferenceModels;
import java.nio.charset.StandardCharsets;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The native model peers, each pinned to one thread: xgboost4j {@code inplace_predict} and lightgbmlib predict. */
final class NativePeers {

    private NativePeers() {}

    /** An XGBoost booster loaded from JSON, {@code nthread} 1. */
    static final class Xgboost implements AutoCloseable {
        private final Booster booster;
        private final int width;

        Xgboost(String json, int width) throws XGBoostError, java.io.IOException {
            this.booster = XGBoost.loadModel(json.getBytes(StandardCharsets.UTF_8));
            booster.setParam("nthread", 1);
            this.width = width;
        }

        /** The predictions of the {@code n} rows of {@code rows} (exactly {@code n * width} values). */
        float[][] predict(float[] rows, int n) throws XGBoostError {
            return booster.inplace_predict(rows, n, width, Float.NaN);
        }

        @Override
        public void close() throws XGBoostError {
            booster.dispose();
        }

        /** Load time of {@code json} into a booster, in nanoseconds (the booster is disposed). */
        static long loadNanos(byte[] json) throws XGBoostError, java.io.IOException {
            long start = System.nanoTime();
            var booster = XGBoost.loadModel(json);
            long nanos = System.nanoTime() - start;
            booster.dispose();
            return nanos;
        }
    }

    /** A LightGBM booster loaded from its text model; predictions with {@code num_threads=1}. */
    static final class LightGbm implements AutoCloseable {
        private final SWIGTYPE_p_void booster;
        private final int width;
        private final SWIGTYPE_p_double out;
        private final SWIGTYPE_p_long_long length;
        private final int capacity;

        LightGbm(String text, int width, int capacity) {
            ReferenceModels.loadLightGbm();
            var handle = new_voidpp();
            ReferenceModels.check(LGBM_BoosterLoadModelFromString(text, new_intp(), handle));
            this.booster = voidpp_value(handle);
            this.width = width;
            this.capacity = capacity;
            this.out = new_doubleArray(capacity);
            this.length = new_int64_tp();
        }

        /** A native copy of {@code rows}, made once per window before timing, as a caller would keep its rows. */
        static SWIGTYPE_p_float copy(float[] rows) {
            var array = new_floatArray(rows.length);
            for (int i = 0; i < rows.length; i++) {
                floatArray_setitem(array, i, rows[i]);
            }
            return array;
        }

        /** Frees a native copy. */
        static void free(SWIGTYPE_p_float rows) {
            delete_floatArray(rows);
        }

        /** Predicts {@code n} native rows into the booster's output buffer; returns the first score. */
        double predict(SWIGTYPE_p_float rows, int n) {
            if (n > capacity) {
                throw new IllegalArgumentException(n + " rows exceed the output buffer of " + capacity);
            }
            ReferenceModels.check(LGBM_BoosterPredictForMat(booster, float_to_voidp_ptr(rows),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32, n, width, 1, lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1,
                    "num_threads=1", length, out));
            return doubleArray_getitem(out, 0);
        }

        /** Score {@code r} of the last prediction. */
        double score(int r) {
            return doubleArray_getitem(out, r);
        }

        @Override
        public void close() {
            ReferenceModels.check(LGBM_BoosterFree(booster));
            delete_doubleArray(out);
        }

        /** Load time of {@code text} into a booster, in nanoseconds (the booster is freed). */
        static long loadNanos(String text) {
            var handle = new_voidpp();
            long start = System.nanoTime();
            ReferenceModels.check(LGBM_BoosterLoadModelFromString(text, new_intp(), handle));
            long nanos = System.nanoTime() - start;
            ReferenceModels.check(LGBM_BoosterFree(voidpp_value(handle)));
            return nanos;
        }
    }
}
