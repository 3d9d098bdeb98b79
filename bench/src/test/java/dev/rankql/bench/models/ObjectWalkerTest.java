package dev.rankql.bench.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.formats.Models;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObjectWalkerTest {

    /** Two trees: x0 < 0.5 (missing right) then x1 < 2 (missing left); and x1 < -1 (missing left). */
    private static final String DUMP = """
            [
              { "nodeid": 0, "split": "f0", "split_condition": 0.5, "yes": 1, "no": 2, "missing": 2, "children": [
                  { "nodeid": 1, "split": "f1", "split_condition": 2, "yes": 3, "no": 4, "missing": 3, "children": [
                      { "nodeid": 3, "leaf": 0.1 }, { "nodeid": 4, "leaf": 0.2 } ] },
                  { "nodeid": 2, "leaf": 0.3 } ] },
              { "nodeid": 0, "split": "f1", "split_condition": -1, "yes": 1, "no": 2, "missing": 1, "children": [
                  { "nodeid": 1, "leaf": -0.05 }, { "nodeid": 2, "leaf": 0.07 } ] }
            ]
            """;

    @Test
    void walksTheObjectsToTheScoresOfTheModel() {
        var model = (TreeEnsemble) Models.load("xgboost-dump", DUMP, LoadOptions.withFeatures(List.of("a", "b")));
        var walker = ObjectWalker.of(model);
        var random = new SplittableRandom(5);
        int count = 500;
        float[] rows = new float[2 * count];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = switch (random.nextInt(5)) {
                case 0 -> Float.NaN;
                case 1 -> i % 2 == 0 ? 0.5f : 2f;
                case 2 -> -1f;
                default -> (float) random.nextDouble(-3, 3);
            };
        }
        double[] walked = new double[count];
        double[] scored = new double[count];
        walker.score(rows, count, walked);
        model.score(rows, count, scored);

        assertThat(walked).isEqualTo(scored);
        assertThat(walked[0]).isNotZero();
        // x0 = NaN goes right (0.3), x1 = 5 is not < -1 (0.07).
        walker.score(new float[] {Float.NaN, 5f}, 1, walked);
        assertThat(walked[0]).isEqualTo(0.3f + 0.07f);
    }
}
