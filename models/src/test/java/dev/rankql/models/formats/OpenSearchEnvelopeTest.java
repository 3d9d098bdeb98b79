package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import org.junit.jupiter.api.Test;

/** o19s/OpenSearch stored models: the envelope and its feature normalizers. */
class OpenSearchEnvelopeTest {

    private static final String DUMP = """
            { "model": { "name": "d", "model": { "type": "model/xgboost+json",
              "definition": { "splits": [
                { "nodeid": 0, "split": "a", "split_condition": 0.5, "yes": 1, "no": 2, "missing": 2,
                  "children": [ { "nodeid": 1, "leaf": -1.0 }, { "nodeid": 2, "leaf": 1.5 } ] } ] },
              "feature_normalizers": { "a": { "standard": { "mean": 1, "standard_deviation": 2 } } } } } }
            """;

    @Test
    void normalizersApplyBeforeTheTrees() {
        Model model = Models.load("auto", DUMP, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("xgboost-dump");
        // (2 - 1) / 2 = 0.5 is not < 0.5: right.
        assertThat(model.score(new double[] {2})).isEqualTo(1.5);
        // (1.9 - 1) / 2 = 0.45 < 0.5: left.
        assertThat(model.score(new double[] {1.9})).isEqualTo(-1.0);
        // A missing value stays missing: the missing branch (right).
        assertThat(model.score(new double[] {Double.NaN})).isEqualTo(1.5);
    }

    @Test
    void linearModelWithMinMax() {
        Model model = Models.load("auto", """
                { "model": { "name": "l", "model": { "type": "model/linear", "definition": "{\\"a\\": 2.0, \\"b\\": 1}",
                  "feature_normalizers": { "a": { "min_max": { "minimum": 0, "maximum": 10 } } } } } }
                """, LoadOptions.DEFAULTS);
        // a: (5 - 0) / 10 = 0.5, times 2; b unnormalized.
        assertThat(model.score(new double[] {5, 3})).isEqualTo(4.0);
    }

    @Test
    void normalizerErrors() {
        assertThatThrownBy(() -> Models.load("auto", DUMP.replace("\"a\": { \"standard\"", "\"z\": { \"standard\""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.model.model.feature_normalizers.z.standard: feature normalizer for [z], which is not a"
                        + " feature of the model");
        assertThatThrownBy(() -> Models.load("auto", DUMP.replace("\"standard_deviation\": 2",
                        "\"standard_deviation\": 0"), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.model.model.feature_normalizers.a.standard.standard_deviation: standard_deviation"
                        + " must be a positive number, got 0.0");
        assertThatThrownBy(() -> Models.load("auto", DUMP.replace("\"standard\"", "\"log\""), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.model.model.feature_normalizers.a: unknown feature normalizer [log]: expected standard"
                        + " or min_max");
    }
}
