package dev.rankql.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model size limits (trees, nodes, features), each at its boundary and one past it. */
class ModelLimitsTest {

    private static TreeEnsembleBuilder builder() {
        return new TreeEnsembleBuilder("test", List.of("f0"), true, Precision.FLOAT64);
    }

    @Test
    void anEnsembleOfTheMostTreesLoadsAndOneTreeMoreIsRefusedNamingTheSetting() {
        var builder = builder();
        for (int t = 0; t < ModelLimits.MAX_TREES; t++) {
            builder.addTree("tree " + t, 1, 1.0).leaf(0, 0.5);
        }
        assertThat(builder.build(LoadOptions.DEFAULTS).score(new double[] {0})).isEqualTo(0.5 * ModelLimits.MAX_TREES);
        assertThatThrownBy(() -> builder.addTree("tree " + ModelLimits.MAX_TREES, 1, 1.0))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.where()).isEqualTo("tree " + ModelLimits.MAX_TREES);
                    assertThat(e.problem()).isEqualTo("the model has " + (ModelLimits.MAX_TREES + 1)
                            + " trees, more than the limit of 100000 (raise it with -Drankql.model.max_trees)");
                });
    }

    @Test
    void nodesAreCountedAcrossTreesAndRefusedBeforeAnythingIsAllocated() {
        ModelLimits.nodes(ModelLimits.MAX_NODES, "$");
        var builder = builder();
        builder.addTree("tree 0", 3, 1.0);
        // A tree whose declared size alone passes the limit fails at once, whatever the file goes on to say.
        assertThatThrownBy(() -> builder.addTree("tree 1", ModelLimits.MAX_NODES - 2, 1.0))
                .isInstanceOf(ModelException.class)
                .hasMessage("tree 1: the model has " + (ModelLimits.MAX_NODES + 1L) + " nodes, more than the limit of "
                        + "10000000 (raise it with -Drankql.model.max_nodes)");
        assertThatThrownBy(() -> builder.addTree("tree 1", Integer.MAX_VALUE, 1.0)).isInstanceOf(ModelException.class);
    }

    @Test
    void featuresUpToTheLimitAreAcceptedAndOneMoreIsRefused() {
        ModelLimits.features(ModelLimits.MAX_FEATURES, "$");
        assertThatThrownBy(() -> ModelLimits.features(ModelLimits.MAX_FEATURES + 1L, "$.num_feature"))
                .hasMessage("$.num_feature: the model declares 1048577 features, more than the limit of 1048576 (raise it "
                        + "with -Drankql.model.max_features)");
    }
}
