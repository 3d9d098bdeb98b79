package dev.rankql.models.formats;

import dev.rankql.models.LinearModel;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.ModelException;
import dev.rankql.models.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the o19s/OpenSearch {@code model/linear} definition: a JSON object from feature name to weight, bare or as
 * {@code {"type": "model/linear", "definition": …}}; an empty object is a model that scores 0.
 *
 * <p>The score is the float32 sum of {@code weight * value} in feature order; a missing value contributes nothing.
 */
final class LinearFormat {

    static final String NAME = "linear";

    private LinearFormat() {}

    static LinearModel read(Json root, LoadOptions options) {
        var stored = StoredModel.of(root.object(), "model/linear");
        Json weights = stored.map(StoredModel::definition).orElse(root).object();
        List<String> declared = weights.propertyNames();
        List<String> names = options.features().orElse(declared);
        double[] w = new double[names.size()];
        for (String name : declared) {
            int column = names.indexOf(name);
            if (column < 0) {
                throw new ModelException("", "the model uses feature [" + name + "], which is not in the given feature"
                        + " list " + names);
            }
            Json weight = weights.field(name);
            float value = weight.float32();
            if (!Float.isFinite(value)) {
                throw weight.error("weight must be a finite number");
            }
            w[column] = value;
        }
        var normalizers = stored.map(StoredModel::normalizers).orElse(List.of());
        if (normalizers.isEmpty()) {
            return new LinearModel(NAME, new ArrayList<>(names), w, 0.0, Precision.FLOAT32);
        }
        float[] shift = new float[names.size()];
        float[] scale = new float[names.size()];
        java.util.Arrays.fill(scale, 1f);
        for (var normalizer : normalizers) {
            int column = names.indexOf(normalizer.feature());
            if (column < 0) {
                throw StoredModel.unknownFeature(normalizer);
            }
            shift[column] = normalizer.shift();
            scale[column] = normalizer.scale();
        }
        return new LinearModel(NAME, new ArrayList<>(names), w, 0.0, Precision.FLOAT32, true, shift, scale);
    }
}
