package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFileTests {

    private static Run parse(String text) throws IOException {
        return RunFile.parse(new StringReader(text), "bm25.trec");
    }

    private static String write(Run run) throws IOException {
        StringWriter text = new StringWriter();
        RunFile.write(text, run, "bm25");
        return text.toString();
    }

    @Test
    void writesOneLinePerDocumentWithRanksFromOne() throws IOException {
        Run run = Run.of(Map.of("q1", List.of(new ScoredDoc("d3", 12.5), new ScoredDoc("d1", 3.0))));

        assertThat(write(run)).isEqualTo("q1 Q0 d3 1 12.5 bm25\nq1 Q0 d1 2 3.0 bm25\n");
    }

    @Test
    void writesTheExampleOfTheDocs() throws IOException {
        Run run = Run.of(Map.of("q1", List.of(new ScoredDoc("a", 2.0), new ScoredDoc("b", 2.0),
                new ScoredDoc("c", 1.0), new ScoredDoc("d", 5.0))));

        assertThat(write(run)).isEqualTo("""
                q1 Q0 a 1 2.0 bm25
                q1 Q0 b 2 1.9999999999999998 bm25
                q1 Q0 c 3 1.0 bm25
                q1 Q0 d 4 0.9999999999999999 bm25
                """);
    }

    @Test
    void keepsScoresThatAlreadyDecreaseStrictly() {
        double[] scores = {9.75, 3.0, 1e-9, -0.0, -2.5};

        assertThat(RunFile.strictlyDecreasing(scores)).containsExactly(scores);
    }

    @Test
    void stepsTiesAndIncreasesJustBelowThePreviousScore() {
        double[] written = RunFile.strictlyDecreasing(new double[] {2.0, 2.0, 2.0, 1.0, 5.0, 0.5, 0.0, -0.0});

        assertThat(written).containsExactly(2.0, Math.nextDown(2.0), Math.nextDown(Math.nextDown(2.0)), 1.0,
                Math.nextDown(1.0), 0.5, 0.0, Math.nextDown(0.0));
        for (int i = 1; i < written.length; i++) {
            assertThat(written[i]).isLessThan(written[i - 1]);
        }
    }

    @Test
    void refusesToStepBelowTheLowestDouble() {
        assertThatThrownBy(() -> RunFile.strictlyDecreasing(new double[] {-Double.MAX_VALUE, -Double.MAX_VALUE}))
                .hasMessage("cannot write a score below -1.7976931348623157E308 to keep rank 2 below rank 1");
    }

    @Test
    void aWrittenRunReadsBackInItsOwnOrderDespiteTies(@TempDir Path dir) throws IOException {
        Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();
        rankings.put("q2", List.of(new ScoredDoc("a", 1.0), new ScoredDoc("b", 1.0), new ScoredDoc("z", 1.0),
                new ScoredDoc("c", 7.0), new ScoredDoc("d", 0.25)));
        rankings.put("q1", List.of(new ScoredDoc("x", 0.0), new ScoredDoc("y", 0.0)));
        rankings.put("q3", List.of());
        Run run = Run.of(rankings);
        Path file = dir.resolve("run.trec");
        RunFile.write(file, run, "ltr");

        Run read = RunFile.read(file);

        assertThat(read.docIds()).containsExactly(
                Map.entry("q2", List.of("a", "b", "z", "c", "d")), Map.entry("q1", List.of("x", "y")));
        assertThat(read.ranking("q2").get(0).score()).isEqualTo(1.0);
        assertThat(read.ranking("q2").get(4).score()).isEqualTo(0.25);
    }

    @Test
    void readsInTrecEvalOrderIgnoringTheRankColumn() throws IOException {
        Run run = parse("""
                # a comment, then a blank line

                q1 Q0 a 1 2.0 run
                q1\tQ0\tb  2\t2.0\trun\r
                   q1 Q0 c 3 2.5 run
                q2 Q0 x 7 1e-3 run
                q1 Q0 d 4 -1 run
                """);

        assertThat(run.docIds()).containsExactly(
                Map.entry("q1", List.of("c", "b", "a", "d")), Map.entry("q2", List.of("x")));
        assertThat(run.ranking("q2")).containsExactly(new ScoredDoc("x", 0.001));
    }

    @Test
    void reportsMalformedLinesWithTheirPosition() {
        assertThatThrownBy(() -> parse("q1 Q0 a 1 2.0 run\nq1 Q0 b 2 1.0\n"))
                .isInstanceOf(EvalFormatException.class)
                .hasMessage("bm25.trec:2: expected 6 fields (query-id Q0 doc-id rank score tag), found 5");
        assertThatThrownBy(() -> parse("q1 Q0 a one 2.0 run\n"))
                .hasMessage("bm25.trec:1: rank must be an integer, found [one]");
        for (String score : List.of("NaN", "inf", "Infinity", "1.5f", "0x1p3", "1e999", "--1")) {
            assertThatThrownBy(() -> parse("q1 Q0 a 1 " + score + " run\n"))
                    .hasMessage("bm25.trec:1: score must be a finite decimal number, found [" + score + "]");
        }
        assertThatThrownBy(() -> parse("q1 Q0 a 1 2.0 run\nq2 Q0 a 1 2.0 run\nq1 Q0 a 2 1.0 run\n"))
                .hasMessage("bm25.trec:3: document [a] is ranked twice for query [q1]; first on line 1");
    }

    @Test
    void readsAnEmptyRun() throws IOException {
        assertThat(parse("").queryIds()).isEmpty();
        assertThat(parse("\n# nothing\n").queryIds()).isEmpty();
    }

    @Test
    void rejectsWhatCannotBeWritten() {
        Run run = Run.of(Map.of("q1", List.of(new ScoredDoc("a", 1))));
        assertThatThrownBy(() -> RunFile.write(new StringWriter(), run, "two words"))
                .hasMessage("run tag must be non-empty and without whitespace, found [two words]");
        assertThatThrownBy(() -> new ScoredDoc("a", Double.NaN))
                .hasMessage("score of document [a] must be finite, found NaN");
        assertThatThrownBy(() -> new ScoredDoc("a b", 1))
                .hasMessage("document id must be non-empty and without whitespace, found [a b]");
    }
}
