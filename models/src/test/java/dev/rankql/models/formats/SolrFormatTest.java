package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.Explanation;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Solr LTR models written by hand; expected scores are Solr's float arithmetic written out. */
class SolrFormatTest {

    private static final double NAN = Double.NaN;

    private static final String SHOP_TREES = """
            {
              "store": "shop",
              "name": "shopTrees",
              "class": "org.apache.solr.ltr.model.MultipleAdditiveTreesModel",
              "features": [ { "name": "titleMatch" }, { "name": "inStock" }, { "name": "rating" },
                            { "name": "bm25", "norm": { "class": "org.apache.solr.ltr.norm.MinMaxNormalizer",
                                                        "params": { "min": "0", "max": "20" } } } ],
              "params": {
                "isNullSameAsZero": false,
                "trees": [
                  { "weight": "0.8",
                    "root": { "feature": "titleMatch", "threshold": "0.0",
                              "left":  { "value": "-1.5" },
                              "right": { "feature": "rating", "threshold": "3.5", "missing": "left",
                                         "left": { "value": "0.4" }, "right": { "value": "1.2" } } } },
                  { "weight": "0.8f",
                    "root": { "feature": "bm25", "threshold": 0.5,
                              "left": { "value": "0.1" }, "right": { "value": "0.7" } } },
                  { "weight": "1",
                    "root": { "feature": "not_in_the_model", "threshold": 1,
                              "left": { "value": 100 }, "right": { "value": 100 } } }
                ]
              }
            }
            """;

    @Test
    void treesWithNormalizerMissingBranchesAndSlack() {
        Model model = Models.load("auto", SHOP_TREES, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("solr");
        assertThat(model.featureNames()).containsExactly("titleMatch", "inStock", "rating", "bm25");
        // No title match: -1.5; bm25 5 normalizes to 0.25 <= 0.5: 0.1; the unknown feature's tree gives 0.
        assertThat(model.score(new double[] {0, 1, NAN, 5})).isEqualTo(0.8f * -1.5f + 0.8f * 0.1f);
        // Rating missing takes the split's missing side (left, 0.4); bm25 10 normalizes to exactly 0.5: left.
        assertThat(model.score(new double[] {1, 1, NAN, 10})).isEqualTo(0.8f * 0.4f + 0.8f * 0.1f);
        // A rating equal to the written threshold goes left (Solr adds 1e-6); bm25 missing, no missing side: right.
        assertThat(model.score(new double[] {1, 0, 3.5, NAN})).isEqualTo(0.8f * 0.4f + 0.8f * 0.7f);
        assertThat(model.score(new double[] {1, 0, 3.5000001, 20})).isEqualTo(0.8f * 0.4f + 0.8f * 0.7f);
        assertThat(model.score(new double[] {1, 0, 3.6, 20})).isEqualTo(0.8f * 1.2f + 0.8f * 0.7f);
        var explanation = (Explanation.Trees) model.explain(new double[] {1, 0, 3.5, 10});
        var rating = explanation.trees().get(0).steps().get(1);
        assertThat(rating.threshold()).isEqualTo(3.5f + 1e-6f);
        assertThat(rating.left()).isTrue();
        assertThat(explanation.trees().get(1).steps().get(0).value()).as("normalized bm25").isEqualTo(0.5);
    }

    @Test
    void nullSameAsZeroIsTheDefault() {
        Model model = Models.load("solr", SHOP_TREES.replace("\"isNullSameAsZero\": false,", ""), LoadOptions.DEFAULTS);
        // Missing rating reads 0 (left, 0.4); missing bm25 reads 0, normalized 0 (left, 0.1).
        assertThat(model.score(new double[] {1, 0, NAN, NAN})).isEqualTo(0.8f * 0.4f + 0.8f * 0.1f);
    }

    private static final String LINEAR = """
            { "class": "org.apache.solr.ltr.model.LinearModel", "name": "lin",
              "features": [
                { "name": "a", "norm": { "class": "org.apache.solr.ltr.norm.MinMaxNormalizer",
                                         "params": { "min": "5", "max": "10" } } },
                { "name": "b", "norm": { "class": "org.apache.solr.ltr.norm.StandardNormalizer",
                                         "params": { "avg": "42", "std": "6" } } },
                { "name": "c", "norm": { "class": "org.apache.solr.ltr.norm.IdentityNormalizer" } } ],
              "params": { "weights": { "a": 1.0, "b": 2.0, "c": 0.5 } } }
            """;

    @Test
    void linearModelWithNormalizers() {
        Model model = Models.load("auto", LINEAR, LoadOptions.DEFAULTS);
        // MinMax is not clamped: (150 - 5) / 5 = 29; Standard: (39 - 42) / 6 = -0.5, times 2; c: 4 * 0.5.
        assertThat(model.score(new double[] {150, 39, 4})).isEqualTo(29f + -1f + 2f);
        // Missing values read 0 before normalizing: (0 - 5) / 5 = -1, (0 - 42) / 6 = -7 (times 2), 0.
        assertThat(model.score(new double[] {NAN, NAN, NAN})).isEqualTo(-1f + -14f);
        var terms = ((Explanation.Linear) model.explain(new double[] {150, 39, 4})).terms();
        assertThat(terms).extracting(Explanation.Term::normalized).containsExactly(29.0, -0.5, 4.0);
        Model rebound = Models.load("solr", LINEAR, LoadOptions.withFeatures(List.of("c", "b", "a", "unused")));
        assertThat(rebound.score(new double[] {4, 39, 150, 1000})).isEqualTo(29f + -1f + 2f);
    }

    @Test
    void solrValidationMessages() {
        assertThatThrownBy(() -> Models.load("solr", LINEAR.replace("\"max\": \"10\"", "\"max\": \"5\""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.features[0].norm: MinMax Normalizer delta must not be zero | min = 5.0,max = 5.0,"
                        + "delta = 0.0");
        assertThatThrownBy(() -> Models.load("solr", LINEAR.replace("\"std\": \"6\"", "\"std\": \"0\""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.features[1].norm: Standard Normalizer standard deviation must be positive | avg = 42.0,"
                        + "std = 0.0");
        assertThatThrownBy(() -> Models.load("solr", LINEAR.replace("\"c\": 0.5", "\"d\": 0.5"), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.weights: Model lin lacks weight(s) for [c]");
        assertThatThrownBy(() -> Models.load("solr", SHOP_TREES.replace("\"threshold\": \"3.5\", ", ""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.trees[0].root.right: MultipleAdditiveTreesModel tree node is missing threshold");
        assertThatThrownBy(() -> Models.load("solr", SHOP_TREES.replace("\"missing\": \"left\"", "\"missing\": \"up\""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.trees[0].root.right.missing: missing must be left or right, got [up]");
        assertThatThrownBy(() -> Models.load("solr", LINEAR.replace("LinearModel", "RandomModel"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.class: unsupported Solr model class [org.apache.solr.ltr.model.RandomModel]: expected"
                        + " LinearModel, MultipleAdditiveTreesModel or NeuralNetworkModel");
    }

    private static final String NETWORK = """
            { "class": "org.apache.solr.ltr.model.NeuralNetworkModel", "name": "net",
              "features": [ { "name": "a" },
                            { "name": "b", "norm": { "class": "org.apache.solr.ltr.norm.StandardNormalizer",
                                                     "params": { "avg": "1", "std": "2" } } } ],
              "params": { "layers": [
                { "matrix": [ [1.0, -1.0], [0.5, 2.0] ], "bias": [0.0, 1.0], "activation": "relu" },
                { "matrix": [ [2.0, -3.0] ], "bias": [0.5], "activation": "identity" } ] } }
            """;

    @Test
    void neuralNetwork() {
        Model model = Models.load("auto", NETWORK, LoadOptions.DEFAULTS);
        // b normalizes to (5 - 1) / 2 = 2; h0 = relu(3 - 2) = 1, h1 = relu(1 + 1.5 + 4) = 6.5; 0.5 + 2 - 19.5.
        assertThat(model.score(new double[] {3, 5})).isEqualTo(-17.0);
        // Missing a reads 0: h0 = relu(-2) = 0, h1 = relu(1 + 4) = 5; 0.5 - 15.
        assertThat(model.score(new double[] {NAN, 5})).isEqualTo(-14.5);
        var explanation = (Explanation.Network) model.explain(new double[] {3, 5});
        assertThat(explanation.inputs()).containsExactly(3.0, 2.0);
        assertThat(explanation.layers()).containsExactly(List.of(1.0, 6.5), List.of(-17.0));
        Model rebound = Models.load("solr", NETWORK, LoadOptions.withFeatures(List.of("b", "x", "a")));
        assertThat(rebound.score(new double[] {5, 0, 3})).isEqualTo(-17.0);
        Model sigmoid = Models.load("solr", NETWORK.replace("\"identity\"", "\"sigmoid\""), LoadOptions.DEFAULTS);
        assertThat(sigmoid.score(new double[] {3, 5})).isEqualTo((double) (float) (1 / (1 + Math.exp(17.0f))));
    }

    @Test
    void neuralNetworkValidationMessages() {
        assertThatThrownBy(() -> Models.load("solr", NETWORK.replace("\"relu\"", "\"softmax\""), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.layers[0].activation: Invalid activation function (\"softmax\") in layer 0 of"
                        + " model \"net\".");
        assertThatThrownBy(() -> Models.load("solr", NETWORK.replace("\"bias\": [0.0, 1.0]", "\"bias\": [0.0]"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.layers[0]: Dimension mismatch in model \"net\". Layer 0 has 1 bias weights but 2"
                        + " weight matrix rows.");
        assertThatThrownBy(() -> Models.load("solr", NETWORK.replace("[ [2.0, -3.0] ]", "[ [2.0, -3.0, 1.0] ]"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.layers[1]: Dimension mismatch in model \"net\". The weight matrix for layer 0 has"
                        + " 2 rows, but the weight matrix for layer 1 has 3 columns.");
        assertThatThrownBy(() -> Models.load("solr", NETWORK.replace("[ [2.0, -3.0] ], \"bias\": [0.5]",
                        "[ [2.0, -3.0], [1.0, 1.0] ], \"bias\": [0.5, 0.5]"), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("$.params.layers: The output matrix for model \"net\" has 2 rows, but should only have"
                        + " one.");
    }
}
