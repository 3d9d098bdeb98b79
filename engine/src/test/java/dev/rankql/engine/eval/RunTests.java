package dev.rankql.engine.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTests {

    @Test
    void trecEvalOrderSortsByScoreThenByDocumentIdDescending() {
        Run run = Run.of(Map.of("q", List.of(new ScoredDoc("d10", 1.0), new ScoredDoc("d9", 1.0),
                new ScoredDoc("d2", 3.0), new ScoredDoc("d1", 1.0), new ScoredDoc("d0", -0.0),
                new ScoredDoc("d00", 0.0))));

        assertThat(run.trecEvalOrder().docIds().get("q")).containsExactly("d2", "d9", "d10", "d1", "d00", "d0");
        assertThat(run.docIds().get("q")).containsExactly("d10", "d9", "d2", "d1", "d0", "d00");
    }

    @Test
    void documentIdsCompareLikeStrcmpOnUtf8() {
        List<String> ids = List.of("a", "b", "B", "é", "\uFF21", "\uD83D\uDE00", "ab", "");
        for (String x : ids) {
            for (String y : ids) {
                assertThat(Integer.signum(Run.compareCodePoints(x, y)))
                        .as("%s vs %s", x, y)
                        .isEqualTo(Integer.signum(Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8))));
            }
        }
        assertThat(Run.compareCodePoints("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
    }

    @Test
    void rejectsADocumentRankedTwice() {
        assertThatThrownBy(() -> Run.of(Map.of("q", List.of(new ScoredDoc("a", 2), new ScoredDoc("a", 1)))))
                .hasMessage("document [a] is ranked twice for query [q]");
    }
}
