package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.eval.Qrels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSetTests {

    private static final float NAN = Float.NaN;

    private static TrainingSet interleaved() {
        return TrainingSet.builder(List.of("a", "b"))
                .add("q2", "d1", 1, new float[] {1, 2})
                .add("q1", "d1", 0, new float[] {3, NAN})
                .add("q2", "d2", 2, new float[] {5, 6})
                .add("q1", "d3", 1, new float[] {7, 8})
                .build();
    }

    @Test
    void rowsAreGroupedByQueryInFirstSeenOrder() {
        TrainingSet set = interleaved();

        assertThat(set.queryIds()).containsExactly("q2", "q1");
        assertThat(set.groupSizes()).containsExactly(2, 2);
        assertThat(set.groupStart(1)).isEqualTo(2);
        assertThat(List.of(set.docId(0), set.docId(1), set.docId(2), set.docId(3)))
                .containsExactly("d1", "d2", "d1", "d3");
        assertThat(set.featureBlock()).containsExactly(1, 2, 5, 6, 3, NAN, 7, 8);
        assertThat(set.labels()).containsExactly(1, 2, 0, 1);
        assertThat(set.feature(2, 1)).isNaN();
    }

    @Test
    void selectKeepsTheSetsOrderAndRejectsUnknownQueries() {
        TrainingSet set = interleaved();

        assertThat(set.select(List.of("q1")).queryIds()).containsExactly("q1");
        assertThat(set.select(List.of("q1", "q2"))).isEqualTo(set);
        assertThatThrownBy(() -> set.select(List.of("q9")))
                .hasMessage("query [q9] is not in the training set");
    }

    @Test
    void rankSortsByScoreKeepingRowOrderOnTies() {
        TrainingSet set = interleaved();

        Map<String, List<String>> ranked = set.rank(new float[] {1, 3, 5, 5});

        assertThat(ranked).containsExactly(Map.entry("q2", List.of("d2", "d1")), Map.entry("q1", List.of("d1", "d3")));
        assertThat(set.qrels()).isEqualTo(Qrels.of(Map.of("q2", Map.of("d1", 1, "d2", 2), "q1",
                Map.of("d1", 0, "d3", 1))));
        assertThatThrownBy(() -> set.rank(new float[3])).hasMessage("expected 4 scores, one per row, found 3");
    }

    @Test
    void badRowsAndNamesAreRejected() {
        TrainingSet.Builder builder = TrainingSet.builder(List.of("a"));
        builder.add("q", "d", 1, new float[] {1});

        assertThatThrownBy(() -> builder.add("q", "d", 0, new float[] {2}))
                .hasMessage("document [d] has two rows for query [q]");
        assertThatThrownBy(() -> builder.add("q", "e", 0, new float[] {1, 2}))
                .hasMessage("expected 1 feature values, found 2");
        assertThatThrownBy(() -> builder.add("q", "e", 0, new float[] {Float.POSITIVE_INFINITY}))
                .hasMessage("feature [a] of document [e] is infinite; use NaN for a missing value");
        assertThatThrownBy(() -> builder.add("q x", "e", 0, new float[] {1}))
                .hasMessage("query id must be non-empty and without whitespace, found [q x]");
        assertThatThrownBy(() -> TrainingSet.builder(List.of("a", "a")))
                .hasMessage("feature name [a] appears twice");
        assertThatThrownBy(() -> TrainingSet.builder(List.of("f[1]")))
                .hasMessage("feature name must be non-empty, without whitespace and without '[', ']', '<' or ',', "
                        + "found [f[1]]");
    }
}
