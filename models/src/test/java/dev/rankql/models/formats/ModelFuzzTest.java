package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of every model reader: the first byte picks the format ({@code auto} or one of
 * {@link ModelFormat}), the rest is the file. A file either loads into a model that scores a row of zeros and a row of
 * missing values, or fails with a {@link ModelException} that says where; anything else is a finding.
 */
class ModelFuzzTest {

    private static final List<String> FORMATS = formats();

    private static List<String> formats() {
        var names = new java.util.ArrayList<String>();
        names.add("auto");
        Arrays.stream(ModelFormat.values()).map(ModelFormat::formatName).forEach(names::add);
        return List.copyOf(names);
    }

    @FuzzTest(maxDuration = "10s")
    void load(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String format = FORMATS.get(Byte.toUnsignedInt(input[0]) % FORMATS.size());
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        Model model;
        try {
            model = Models.load(format, text, LoadOptions.DEFAULTS.missingAsZero((input[0] & 0x80) != 0));
        } catch (ModelException e) {
            assertThat(e.problem()).isNotBlank();
            return;
        }
        double[] zeros = new double[model.featureCount()];
        double[] missing = new double[model.featureCount()];
        Arrays.fill(missing, Double.NaN);
        model.score(zeros);
        model.score(missing);
        assertThat(model.explain(zeros)).isNotNull();
    }
}
