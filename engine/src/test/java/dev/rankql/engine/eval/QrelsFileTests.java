package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrelsFileTests {

    private static Qrels parse(String text) throws IOException {
        return QrelsFile.parse(new StringReader(text), "qrels.tsv");
    }

    @Test
    void readsTheTabSeparatedLayoutWithItsHeader() throws IOException {
        Qrels qrels = parse("query-id\tdoc-id\tgrade\n1\t184\t3\n1\t29\t0\n2\t12\t2\n");

        assertThat(qrels.queryIds()).containsExactly("1", "2");
        assertThat(qrels.judgments("1")).containsExactly(Map.entry("184", 3), Map.entry("29", 0));
        assertThat(qrels.grade("2", "12")).hasValue(2);
        assertThat(qrels.grade("2", "13")).isEmpty();
        assertThat(qrels.relevantCount("1")).isEqualTo(1);
        assertThat(qrels.size()).isEqualTo(3);
    }

    @Test
    void readsTrecQrelsAndToleratesWhitespace() throws IOException {
        Qrels qrels = parse("  q1 0 d1 1\r\n\nq1\t0   d2\t2  \r\nq2 Q0 d3 -1\n");

        assertThat(qrels.judgments("q1")).containsExactly(Map.entry("d1", 1), Map.entry("d2", 2));
        assertThat(qrels.judgments("q2")).containsExactly(Map.entry("d3", -1));
        assertThat(qrels.queriesWithRelevant()).containsExactly("q1");
    }

    @Test
    void acceptsAnyHeaderOnTheFirstLineOnly() throws IOException {
        assertThat(parse("\uFEFFquery-id corpus-id score\n1 a 1\n").judgments("1")).containsEntry("a", 1);
        assertThat(parse("qid iter docno rel\n1 0 a 1\n").judgments("1")).containsEntry("a", 1);

        assertThatThrownBy(() -> parse("1 a 1\nquery-id doc-id grade\n"))
                .isInstanceOf(EvalFormatException.class)
                .hasMessage("qrels.tsv:2: grade must be an integer, found [grade]");
    }

    @Test
    void reportsMalformedLinesWithTheirPosition() {
        assertThatThrownBy(() -> parse("query-id\tdoc-id\tgrade\n1\t2\t1\n\n1\t3\n"))
                .isInstanceOf(EvalFormatException.class)
                .hasMessage("qrels.tsv:4: expected 3 fields (query-id doc-id grade) or 4 (query-id iteration doc-id "
                        + "grade), found 2")
                .satisfies(e -> {
                    EvalFormatException f = (EvalFormatException) e;
                    assertThat(f.source()).isEqualTo("qrels.tsv");
                    assertThat(f.line()).isEqualTo(4);
                    assertThat(f.column()).isZero();
                });
        assertThatThrownBy(() -> parse("1 a 1\n1 b 0.5\n"))
                .hasMessage("qrels.tsv:2: grade must be an integer, found [0.5]");
        assertThatThrownBy(() -> parse("1 a 1\n1 b 99999999999\n"))
                .hasMessage("qrels.tsv:2: grade must be an integer, found [99999999999]");
        assertThatThrownBy(() -> parse("1 a 1\n1 0 b 2 extra\n"))
                .hasMessageStartingWith("qrels.tsv:2: expected 3 fields");
    }

    @Test
    void rejectsASecondJudgmentOfTheSamePair() {
        assertThatThrownBy(() -> parse("1 a 1\n2 a 1\n1 0 a 2\n"))
                .isInstanceOf(EvalFormatException.class)
                .hasMessage("qrels.tsv:3: document [a] is judged twice for query [1]; first judged on line 1");
    }

    @Test
    void readsAnEmptyFile() throws IOException {
        assertThat(parse("").queryIds()).isEmpty();
        assertThat(parse("query-id\tdoc-id\tgrade\n").queryIds()).isEmpty();
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) throws IOException {
        Qrels qrels = Qrels.builder().add("q2", "b", 2).add("q1", "a", 0).add("q2", "c", -1).build();
        StringWriter text = new StringWriter();
        QrelsFile.write(text, qrels);
        assertThat(text).hasToString("query-id\tdoc-id\tgrade\nq2\tb\t2\nq2\tc\t-1\nq1\ta\t0\n");

        Path file = dir.resolve("qrels.tsv");
        QrelsFile.write(file, qrels);
        assertThat(QrelsFile.read(file)).isEqualTo(qrels);
    }

    @Test
    void buildsAndRestrictsJudgments() {
        Qrels qrels = Qrels.of(Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 0)));
        assertThat(qrels.restrictTo(java.util.List.of("q2", "q3")).queryIds()).containsExactly("q2");
        assertThatThrownBy(() -> Qrels.builder().add("q1", "a", 1).add("q1", "a", 2))
                .hasMessage("document [a] is judged twice for query [q1] (grades 1 and 2)");
        assertThatThrownBy(() -> Qrels.builder().add("q 1", "a", 1))
                .hasMessage("query id must be non-empty and without whitespace, found [q 1]");
    }

    @Test
    void readsTheSharedCollections() throws IOException {
        Path data = Path.of(System.getProperty("rankql.shared", "../shared"), "data");
        assumeTrue(Files.isDirectory(data), "no shared data at " + data);

        Qrels scifact = QrelsFile.read(data.resolve("scifact/qrels/train.tsv"));
        assertThat(scifact.queryIds()).hasSize(809);
        assertThat(scifact.size()).isEqualTo(919);
        assertThat(scifact.queriesWithRelevant()).hasSize(809);

        Qrels cranfield = QrelsFile.read(data.resolve("cranfield/qrels/train.tsv"));
        assertThat(cranfield.queryIds()).hasSize(150);
        assertThat(cranfield.size()).isEqualTo(1228);
        int relevant = cranfield.queryIds().stream().mapToInt(cranfield::relevantCount).sum();
        assertThat(relevant).isEqualTo(1078);
    }
}
