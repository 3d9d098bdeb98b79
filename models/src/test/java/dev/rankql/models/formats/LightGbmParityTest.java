package dev.rankql.models.formats;

import static com.microsoft.ml.lightgbm.lightgbmlib.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.TreeEnsemble;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Models trained by LightGBM (lightgbmlib) in the test score in rankql exactly as LightGBM predicts them. */
class LightGbmParityTest {

    private static final int FEATURES = 6;
    private static final int TRAIN_ROWS = 3000;
    private static final int TEST_ROWS = 12_000;
    private static final int GROUP = 20;

    /** The jar ships the native libraries but no loader: extract them and load the core library first. */
    @BeforeAll
    static void loadNativeLibraries() throws IOException {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                        && System.getProperty("os.arch").matches("amd64|x86_64"),
                "lightgbmlib parity runs on linux x86_64 only");
        Path dir = Files.createTempDirectory("rankql-lightgbm");
        for (String name : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
            Path target = dir.resolve(name);
            try (InputStream in = LightGbmParityTest.class.getResourceAsStream(
                    "/com/microsoft/ml/lightgbm/linux/x86_64/" + name)) {
                assertThat(in).as("resource " + name).isNotNull();
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(target.toString());
            target.toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("lambdarank", "objective=lambdarank num_leaves=31", 150),
                Arguments.of("nan-missing", "objective=regression num_leaves=63 max_depth=8", 60),
                Arguments.of("zero-as-missing", "objective=regression num_leaves=15 zero_as_missing=true", 60),
                Arguments.of("no-missing", "objective=regression num_leaves=15 use_missing=false", 40),
                Arguments.of("random-forest", "objective=regression boosting=rf bagging_fraction=0.7 bagging_freq=1"
                        + " feature_fraction=0.8 num_leaves=15", 30),
                Arguments.of("sigmoid", "objective=binary sigmoid=2.5 num_leaves=15", 30),
                Arguments.of("categorical", "objective=binary num_leaves=15 categorical_feature=0 min_data_per_group=5"
                        + " cat_smooth=1 max_cat_to_onehot=4", 60));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scoresMatchLightGbm(String name, String objectiveParams, int iterations) {
        var random = new SplittableRandom(name.hashCode());
        boolean categorical = name.equals("categorical");
        float[] trainRows = rows(random, TRAIN_ROWS, categorical);
        String params = objectiveParams + " learning_rate=0.1 min_data_in_leaf=5 verbose=-1 num_threads=1 seed=3"
                + " deterministic=true";

        var data = toNative(trainRows);
        var handle = new_voidpp();
        check(LGBM_DatasetCreateFromMat(double_to_voidp_ptr(data), lightgbmlibConstants.C_API_DTYPE_FLOAT64,
                TRAIN_ROWS, FEATURES, 1, params, null, handle));
        SWIGTYPE_p_void dataset = voidpp_value(handle);
        var labels = new_floatArray(TRAIN_ROWS);
        for (int r = 0; r < TRAIN_ROWS; r++) {
            floatArray_setitem(labels, r, label(random, trainRows, r, name));
        }
        check(LGBM_DatasetSetField(dataset, "label", float_to_voidp_ptr(labels), TRAIN_ROWS,
                lightgbmlibConstants.C_API_DTYPE_FLOAT32));
        if (name.equals("lambdarank")) {
            var groups = new_intArray(TRAIN_ROWS / GROUP);
            for (int g = 0; g < TRAIN_ROWS / GROUP; g++) {
                intArray_setitem(groups, g, GROUP);
            }
            check(LGBM_DatasetSetField(dataset, "group", int_to_voidp_ptr(groups), TRAIN_ROWS / GROUP,
                    lightgbmlibConstants.C_API_DTYPE_INT32));
        }
        var boosterHandle = new_voidpp();
        check(LGBM_BoosterCreate(dataset, params, boosterHandle));
        SWIGTYPE_p_void booster = voidpp_value(boosterHandle);
        var finished = new_intp();
        for (int i = 0; i < iterations; i++) {
            check(LGBM_BoosterUpdateOneIter(booster, finished));
        }
        var length = new_int64_tp();
        String text = LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1, 0, 1L << 26, length);

        TreeEnsemble model = (TreeEnsemble) Models.load("lightgbm", text, LoadOptions.DEFAULTS);
        assertThat(model.featureCount()).isEqualTo(FEATURES);
        assertThat(model.hasCategoricalSplits()).isEqualTo(categorical);

        float[] test = rows(random, TEST_ROWS, categorical);
        Parity.plantThresholds(random, test, FEATURES, model, 0.15);
        if (categorical) {
            for (int r = 0; r < TEST_ROWS; r += 7) {
                test[r * FEATURES] = switch (r % 4) {
                    case 0 -> -1f;
                    case 1 -> 2.5f;
                    case 2 -> 40f;
                    default -> -0.5f;
                };
            }
        }
        var testData = toNative(test);
        var predictions = new_doubleArray(TEST_ROWS);
        check(LGBM_BoosterPredictForMat(booster, double_to_voidp_ptr(testData),
                lightgbmlibConstants.C_API_DTYPE_FLOAT64, TEST_ROWS, FEATURES, 1,
                lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, "", length, predictions));
        double[] expected = new double[TEST_ROWS];
        for (int r = 0; r < TEST_ROWS; r++) {
            expected[r] = doubleArray_getitem(predictions, r);
        }
        double[] ours = Parity.score(model, test, TEST_ROWS);
        double error = Parity.assertClose("lightgbm " + name, ours, expected);
        assertThat(Parity.scoreOneByOne(model, test, TEST_ROWS)).as("row by row").isEqualTo(ours);
        int exact = 0;
        for (int r = 0; r < TEST_ROWS; r++) {
            exact += ours[r] == expected[r] ? 1 : 0;
        }
        // LightGBM's JSON dump writes infinite thresholds as 1e300, so rows with an infinity are compared only
        // against the text model.
        Model dumped = Models.load("lightgbm-json", LGBM_BoosterDumpModelSWIG(booster, 0, -1, 0, 1L << 26, length),
                LoadOptions.DEFAULTS);
        double dumpError = Parity.assertClose("lightgbm " + name + " json dump", finiteRows(test, Parity.score(dumped,
                test, TEST_ROWS)), finiteRows(test, expected));
        String converted = "n/a (categorical or zero-as-missing splits)";
        if (!categorical && !name.equals("zero-as-missing")) {
            // Elasticsearch treats infinite inputs as missing while LightGBM compares them, so rows with an
            // infinity (planted from LightGBM's infinite thresholds) are left out of this comparison.
            Model es = Models.load("es", Models.toElasticsearch(model, name), LoadOptions.DEFAULTS);
            double[] esFinite = finiteRows(test, Parity.score(es, test, TEST_ROWS));
            converted = Parity.assertClose("lightgbm " + name + " converted to es", esFinite,
                    finiteRows(test, expected)) + " on " + esFinite.length + " rows without infinities";
        } else if (model.treeCount() > 0) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Models.toElasticsearch(model, name)))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("cannot convert to an Elasticsearch model");
        }
        Parity.report("lightgbm " + name + " trees " + model.treeCount() + " rows " + TEST_ROWS + " maxRel "
                + error + " exactBits " + exact + " json dump " + dumpError + " es " + converted);
        LGBM_BoosterFree(booster);
        LGBM_DatasetFree(dataset);
        delete_doubleArray(data);
        delete_doubleArray(testData);
        delete_doubleArray(predictions);
        delete_floatArray(labels);
    }

    /** The scores of the rows that hold no infinite value. */
    private static double[] finiteRows(float[] test, double[] scores) {
        double[] kept = new double[scores.length];
        int n = 0;
        for (int r = 0; r < scores.length; r++) {
            boolean finite = true;
            for (int f = 0; f < FEATURES; f++) {
                finite &= !Float.isInfinite(test[r * FEATURES + f]);
            }
            if (finite) {
                kept[n++] = scores[r];
            }
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    private static float[] rows(SplittableRandom random, int rows, boolean categorical) {
        float[] data = Parity.randomRows(random, rows, FEATURES, 0.1);
        for (int i = 0; i < data.length; i++) {
            if (random.nextDouble() < 0.1) {
                data[i] = 0f;
            } else if (categorical && i % FEATURES == 0 && !Float.isNaN(data[i])) {
                data[i] = random.nextInt(20);
            }
        }
        return data;
    }

    private static float label(SplittableRandom random, float[] x, int r, String name) {
        double a = nz(x[r * FEATURES]);
        double b = nz(x[r * FEATURES + 1]);
        double c = nz(x[r * FEATURES + 2]);
        double v = switch (name) {
            case "categorical" -> (a % 3 == 0 ? 1 : -1) + b * 0.5;
            default -> a + (b > 0.3 ? 2 : 0) - c * b + (Float.isNaN(x[r * FEATURES + 3]) ? 1.5 : 0)
                    + (x[r * FEATURES + 4] == 0f ? -1 : 0);
        };
        v += random.nextGaussian() * 0.3;
        return switch (name) {
            case "categorical" -> v > 0 ? 1 : 0;
            case "sigmoid" -> v > 0.5 ? 1 : 0;
            case "lambdarank" -> (float) Math.max(0, Math.min(4, Math.floor(v + 2)));
            default -> (float) v;
        };
    }

    private static double nz(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    private static com.microsoft.ml.lightgbm.SWIGTYPE_p_double toNative(float[] rows) {
        var data = new_doubleArray(rows.length);
        for (int i = 0; i < rows.length; i++) {
            doubleArray_setitem(data, i, rows[i]);
        }
        return data;
    }

    private static void check(int code) {
        assertThat(code).as(LastErrorMsg()).isZero();
    }
}
