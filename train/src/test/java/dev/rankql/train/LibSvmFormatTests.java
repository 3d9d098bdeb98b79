package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibSvmFormatTests {

    private static TrainingSet parse(String text) throws Exception {
        return LibSvmFormat.parse(new StringReader(text), "in.svm");
    }

    @Test
    void readsSvmRankLinesWithDocIdsMissingValuesAndComments() throws Exception {
        TrainingSet set = parse("""
                # produced by hand
                2 qid:1 1:0.5 3:-1.25e1 # d7
                0 qid:1 2:3 # docid = d9 extra words

                1 qid:2 1:nan 2:.5
                """);

        assertThat(set.featureNames()).containsExactly("f1", "f2", "f3");
        assertThat(set.queryIds()).containsExactly("1", "2");
        assertThat(List.of(set.docId(0), set.docId(1), set.docId(2))).containsExactly("d7", "d9", "line-5");
        assertThat(set.row(0)).containsExactly(0.5f, Float.NaN, -12.5f);
        assertThat(set.row(1)).containsExactly(Float.NaN, 3f, Float.NaN);
        assertThat(set.row(2)).containsExactly(Float.NaN, 0.5f, Float.NaN);
        assertThat(set.labels()).containsExactly(2, 0, 1);
    }

    @Test
    void aFeaturesHeaderNamesTheColumns() throws Exception {
        TrainingSet set = parse("# features: bm25 title_len   age\n1 qid:a 2:4 # x\n");

        assertThat(set.featureNames()).containsExactly("bm25", "title_len", "age");
        assertThat(set.row(0)).containsExactly(Float.NaN, 4f, Float.NaN);
    }

    @Test
    void roundTripsExactly(@TempDir Path dir) throws Exception {
        TrainingSet set = Synthetic.ranking(5, 7, 3);
        Path file = dir.resolve("set.svm");

        LibSvmFormat.write(file, set);

        assertThat(LibSvmFormat.read(file)).isEqualTo(set);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("# features: x y noise1 noise2");
    }

    @Test
    void writesMissingValuesByLeavingThemOut() throws Exception {
        TrainingSet set = TrainingSet.builder(List.of("a", "b"))
                .add("q1", "d1", 2, new float[] {Float.NaN, 0.1f})
                .build();
        StringWriter out = new StringWriter();

        LibSvmFormat.write(out, set);

        assertThat(out.toString()).isEqualTo("# features: a b\n2 qid:q1 2:0.1 # d1\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            x qid:1 1:2                | in.svm:1:1: grade must be an integer, found [x]
            1                          | in.svm:1:1: expected 'grade qid:ID index:value …', found 1 field
            1 1:2                      | in.svm:1:3: expected qid:ID after the grade, found [1:2]
            1 1:2 3:4                  | in.svm:1:3: expected qid:ID after the grade, found [1:2]
            1 qid: 1:2                 | in.svm:1:3: expected qid:ID after the grade, found [qid:]
            1 qid:1 2:1 1:3            | in.svm:1:13: feature indices must increase along a line: 1 after 2
            1 qid:1 0:1                | in.svm:1:9: feature indices start at 1, found 0
            1 qid:1 a:1                | in.svm:1:9: expected index:value with a positive integer index, found [a:1]
            1 qid:1 3                  | in.svm:1:9: expected index:value with a positive integer index, found [3]
            1 qid:1  2:1e99            | in.svm:1:12: value [1e99] is too large for a float
            1 qid:1 65537:1            | in.svm:1:9: feature index 65537 is beyond the limit of 65536 features
            1 qid:1 99999999999:1      | in.svm:1:9: feature index 99999999999 is beyond the limit of 65536 features
            1 qid:1 2:0x1p3            | in.svm:1:11: feature value must be a decimal number or nan, found [0x1p3]
            1 qid:1 2:inf              | in.svm:1:11: feature value must be a decimal number or nan, found [inf]
            """)
    void malformedLinesArePositioned(String line, String message) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(TrainingDataException.class).hasMessage(message);
    }

    @Test
    void problemsAcrossLinesNameTheLine() {
        assertThatThrownBy(() -> parse("# features: a\n1 qid:1 2:1\n"))
                .hasMessage("in.svm:2:9: feature index 2 is beyond the 1 features named in the header");
        assertThatThrownBy(() -> parse("1 qid:1 1:1 # d\n0 qid:1 1:2 # d\n"))
                .hasMessage("in.svm:2: document [d] has two rows for query [1]");
        assertThatThrownBy(() -> parse("1 qid:1 1:1 # d\n# features: a\n"))
                .hasMessage("in.svm:2:1: the features header must come once, before the first row");
        assertThatThrownBy(() -> parse("# features: a a\n"))
                .hasMessage("in.svm:1: feature name [a] appears twice");
    }
}
