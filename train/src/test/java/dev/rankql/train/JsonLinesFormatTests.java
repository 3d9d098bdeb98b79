package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesFormatTests {

    private static TrainingSet parse(String text, List<String> names) throws Exception {
        return JsonLinesFormat.parse(new StringReader(text), "in.jsonl", names);
    }

    @Test
    void infersColumnsInFirstSeenOrderWithNullAndAbsentAsMissing() throws Exception {
        TrainingSet set = parse("""
                {"qid": "q1", "doc": "d1", "grade": 2, "features": {"bm25": 1.5, "len": null}}
                {"qid": 7, "doc": "d2", "grade": 0, "features": {"age": 3, "bm25": 0.25}}

                """, null);

        assertThat(set.featureNames()).containsExactly("bm25", "len", "age");
        assertThat(set.queryIds()).containsExactly("q1", "7");
        assertThat(set.row(0)).containsExactly(1.5f, Float.NaN, Float.NaN);
        assertThat(set.row(1)).containsExactly(0.25f, Float.NaN, 3f);
    }

    @Test
    void givenNamesFixTheColumns() throws Exception {
        TrainingSet set = parse("{\"qid\":\"q\",\"doc\":\"d\",\"grade\":1,\"features\":{\"b\":2}}\n",
                List.of("a", "b"));

        assertThat(set.featureNames()).containsExactly("a", "b");
        assertThat(set.row(0)).containsExactly(Float.NaN, 2f);
        assertThatThrownBy(() -> parse("{\"qid\":\"q\",\"doc\":\"d\",\"grade\":1,\"features\":{\"c\":2}}",
                List.of("a", "b")))
                .hasMessage("in.jsonl:1: unknown feature \"c\"; the features are [a, b]");
    }

    @Test
    void roundTripsExactly(@TempDir Path dir) throws Exception {
        TrainingSet set = Synthetic.ranking(5, 7, 4);
        Path file = dir.resolve("set.jsonl");

        JsonLinesFormat.write(file, set);

        assertThat(JsonLinesFormat.read(file)).isEqualTo(set);
    }

    @Test
    void writesOneObjectPerRowWithNullForMissing() throws Exception {
        TrainingSet set = TrainingSet.builder(List.of("a", "b"))
                .add("q1", "d1", 2, new float[] {Float.NaN, 0.1f})
                .build();
        StringWriter out = new StringWriter();

        JsonLinesFormat.write(out, set);

        assertThat(out.toString())
                .isEqualTo("{\"qid\":\"q1\",\"doc\":\"d1\",\"grade\":2,\"features\":{\"a\":null,\"b\":0.1}}\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [1, 2]                                                      | in.jsonl:1: expected a JSON object with "qid", "doc", "grade" and "features"
            {"qid": "q", "doc": "d", "grade": 1.5, "features": {}}      | in.jsonl:1: "grade" must be an integer, found the number 1.5
            {"qid": "q", "doc": "d", "features": {}}                    | in.jsonl:1: "grade" must be an integer, found nothing
            {"qid": true, "doc": "d", "grade": 1, "features": {}}       | in.jsonl:1: "qid" must be a string, found a boolean
            {"qid": "q", "doc": "a b", "grade": 1, "features": {}}      | in.jsonl:1: "doc" must be non-empty and without whitespace, found [a b]
            {"qid": "q", "doc": "d", "grade": 1, "features": [1]}       | in.jsonl:1: "features" must be an object of name: number, found an array
            {"qid": "q", "doc": "d", "grade": 1, "features": {"a": "1"}} | in.jsonl:1: feature "a" must be a number or null, found a string
            {"qid": "q", "doc": "d", "grade": 1, "features": {"a b": 1}} | in.jsonl:1: feature name must be non-empty, without whitespace and without '[', ']', '<' or ',', found [a b]
            {"qid": "q", "doc": "d", "grade": 1, "features": {"a": 1e39}} | in.jsonl:1: feature "a" is too large for a float: 1E+39
            {"qid": "q", "doc": "d", "grade": 1, "label": 2, "features": {}} | in.jsonl:1: unknown member "label"; expected [qid, doc, grade, features]
            """)
    void malformedLinesArePositioned(String line, String message) {
        assertThatThrownBy(() -> parse(line, null)).isInstanceOf(TrainingDataException.class).hasMessage(message);
    }

    @Test
    void invalidJsonHasALineAndColumn() {
        assertThatThrownBy(() -> parse("{\"qid\": \"q\", \"doc\": \"d\", \"grade\": 1, \"features\": {\"a\": 1}", null))
                .hasMessageStartingWith("in.jsonl:1:58: invalid JSON: Unexpected end-of-input");
        assertThatThrownBy(() -> parse("{\"qid\": \"q\", \"doc\": d}", null))
                .hasMessageStartingWith("in.jsonl:1:21: invalid JSON: Unrecognized token 'd'");
    }

    @Test
    void aNumberWhoseExponentNoDecimalHoldsIsATrainingDataError() {
        assertThatThrownBy(() -> parse("{\"qid\": \"q\", \"doc\": \"d\", \"grade\": 1, \"features\": {\"a\": 1e-2147483648}}", null))
                .isInstanceOf(TrainingDataException.class)
                .hasMessage("in.jsonl:1: invalid JSON: a number has an exponent out of range");
    }

    @Test
    void duplicateRowsAndKeysNameTheLine() {
        String row = "{\"qid\":\"q\",\"doc\":\"d\",\"grade\":1,\"features\":{}}\n";
        assertThatThrownBy(() -> parse(row + row, null))
                .hasMessage("in.jsonl:2: document [d] has two rows for query [q]");
        assertThatThrownBy(() -> parse("\n{\"qid\":\"q\",\"qid\":\"r\"}", null))
                .hasMessageStartingWith("in.jsonl:2:17: invalid JSON: Duplicate Object property \"qid\"");
    }
}
