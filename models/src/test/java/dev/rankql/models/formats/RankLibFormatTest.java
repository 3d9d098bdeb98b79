package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RankLib models written by hand; expected scores are RankLib's own expressions written out. */
class RankLibFormatTest {

    private static final double NAN = Double.NaN;

    private static final String LAMBDA_MART = """
            ## LambdaMART
            ## No. of trees = 2
            ## No. of leaves = 3
            ## No. of threshold candidates = 256
            ## Learning rate = 0.1
            ## Stop early = 100

            <ensemble>
            	<tree id="1" weight="0.1">
            		<split>
            			<feature>1</feature>
            			<threshold>0.5</threshold>
            			<split pos="left">
            				<output>2.0</output>
            			</split>
            			<split pos="right">
            				<feature>3</feature>
            				<threshold>-1.25</threshold>
            				<split pos="left"><output>-1.0</output></split>
            				<split pos="right"><output>4.0</output></split>
            			</split>
            		</split>
            	</tree>
            	<tree id="2" weight="0.1">
            		<split><output>0.5</output></split>
            	</tree>
            </ensemble>
            """;

    /** RankLib's {@code Ensemble.eval}: a float sum of double products of a leaf and a float weight. */
    private static double ranklib(double... leaves) {
        float s = 0;
        for (double leaf : leaves) {
            s += leaf * 0.1f;
        }
        return s;
    }

    @Test
    void lambdaMartEnsemble() {
        Model model = Models.load("auto", LAMBDA_MART, LoadOptions.DEFAULTS);
        assertThat(model.format()).isEqualTo("ranklib");
        assertThat(model.featureNames()).containsExactly("1", "2", "3");
        // 0.5 <= 0.5 goes left.
        assertThat(model.score(new double[] {0.5, 0, 7})).isEqualTo(ranklib(2.0, 0.5));
        // Right, then -1.25 <= -1.25 goes left.
        assertThat(model.score(new double[] {0.6, 0, -1.25})).isEqualTo(ranklib(-1.0, 0.5));
        assertThat(model.score(new double[] {0.6, 0, -1})).isEqualTo(ranklib(4.0, 0.5));
        // A missing feature is 0 in RankLib: 0 <= 0.5.
        assertThat(model.score(new double[] {NAN, NAN, NAN})).isEqualTo(ranklib(2.0, 0.5));
        // A feature list names ids 1, 2, 3 in order.
        Model named = Models.load("ranklib", LAMBDA_MART, LoadOptions.withFeatures(List.of("a", "b", "c", "d")));
        assertThat(named.score(new double[] {0.6, 0, -1, 0})).isEqualTo(ranklib(4.0, 0.5));
    }

    @Test
    void linearModels() {
        Model regression = Models.load("auto", "## Linear Regression\n## Lambda = 1.0E-10\n0:0.5 1:2.0 3:-1.0\n",
                LoadOptions.DEFAULTS);
        assertThat(regression.featureNames()).containsExactly("1", "2", "3");
        // Bias first, then weight * float(value) in double.
        assertThat(regression.score(new double[] {0.1, 9, 2})).isEqualTo(0.5 + 2.0 * (double) 0.1f + -1.0 * 2.0);
        Model ascent = Models.load("ranklib", "## Coordinate Ascent\n## Restart = 2\n1:0.25 2:0.75\n",
                LoadOptions.DEFAULTS);
        assertThat(ascent.score(new double[] {4, NAN})).isEqualTo(1.0);
    }

    @Test
    void rankLibErrors() {
        assertThatThrownBy(() -> Models.load("ranklib", "## RankNet\n## Epochs = 100\n", LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("line 1: RankLib model [RankNet] is not supported: expected LambdaMART, MART, Coordinate"
                        + " Ascent or Linear Regression");
        assertThatThrownBy(() -> Models.load("ranklib", LAMBDA_MART.replace("</ensemble>", ""), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("the model file is truncated: <ensemble> is not closed");
        assertThatThrownBy(() -> Models.load("ranklib", LAMBDA_MART.replace("<threshold>-1.25</threshold>", ""),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("line 16: a split needs <feature>, <threshold> and two child splits");
        assertThatThrownBy(() -> Models.load("ranklib", LAMBDA_MART.replace("<threshold>0.5</", "<threshold>x</"),
                        LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("line 12: expected a number, got \"x\"");
        assertThatThrownBy(() -> Models.load("ranklib", LAMBDA_MART.replace("<feature>3</feature>",
                        "<feature>99999999999999999999</feature>"), LoadOptions.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessage("the model mixes numbered and named features");
        assertThatThrownBy(() -> Models.load("ranklib", LAMBDA_MART, LoadOptions.withFeatures(List.of("a"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("the model uses feature 2 (3) but only 1 feature names were given");
    }
}
