package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rankql.ast.Value;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueriesFileTests {

    private static List<Query> parse(String text) throws IOException {
        return QueriesFile.parse(new StringReader(text), "queries.jsonl");
    }

    @Test
    void readsIdsAndTextsAndIgnoresOtherMembers() throws IOException {
        List<Query> queries = parse("""
                {"id": "0", "text": "0-dimensional biomaterials", "metadata": {"a": [1, 2]}}

                {"text": "caf\\u00e9 \\"au\\" lait", "id": 17}
                """);

        assertThat(queries).containsExactly(new Query("0", "0-dimensional biomaterials"),
                new Query("17", "café \"au\" lait"));
    }

    @Test
    void reportsInvalidJsonWithLineAndColumn() {
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": \"2\", \"text\": }\n"))
                .isInstanceOf(EvalFormatException.class)
                .hasMessageStartingWith("queries.jsonl:2:")
                .satisfies(e -> {
                    EvalFormatException f = (EvalFormatException) e;
                    assertThat(f.line()).isEqualTo(2);
                    assertThat(f.column()).isBetween(20, 24);
                    assertThat(f.detail()).startsWith("invalid JSON: ");
                });
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\"} trailing\n"))
                .hasMessageStartingWith("queries.jsonl:1:").hasMessageContaining("invalid JSON");
    }

    @Test
    void reportsMissingOrMistypedMembers() {
        assertThatThrownBy(() -> parse("[1, 2]\n"))
                .hasMessage("queries.jsonl:1: expected a JSON object with \"id\" and \"text\"");
        assertThatThrownBy(() -> parse("{\"id\": \"1\"}\n"))
                .hasMessage("queries.jsonl:1: \"text\" must be a string, found nothing");
        assertThatThrownBy(() -> parse("{\"id\": 1.5, \"text\": \"a\"}\n"))
                .hasMessage("queries.jsonl:1: \"id\" must be a string, found a number");
        assertThatThrownBy(() -> parse("{\"id\": \"a b\", \"text\": \"a\"}\n"))
                .hasMessage("queries.jsonl:1: \"id\" must be non-empty and without whitespace, found [a b]");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": null}\n"))
                .hasMessage("queries.jsonl:1: \"text\" must be a string, found null");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"id\": \"2\", \"text\": \"a\"}\n"))
                .hasMessageStartingWith("queries.jsonl:1:").hasMessageContaining("invalid JSON");
    }

    @Test
    void readsAQuerysOwnTemplateParams() throws IOException {
        List<Query> queries = parse("""
                {"id": "1", "text": "a", "params": {"fold": "3", "k": 2, "on": true}}
                {"id": "2", "text": "b", "params": {}}
                """);

        assertThat(queries.get(0).params()).containsExactlyInAnyOrderEntriesOf(
                Map.of("fold", Value.of("3"), "k", Value.of(2), "on", Value.of(true)));
        assertThat(queries.get(0).templateParams()).containsEntry("query_text", Value.of("a"))
                .containsEntry("query_id", Value.of("1")).containsEntry("fold", Value.of("3")).hasSize(5);
        assertThat(queries.get(1)).isEqualTo(new Query("2", "b"));
    }

    @Test
    void rejectsParamsThatAreNotFlatOrRedefineTheQuery() {
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": [1]}\n"))
                .hasMessage("queries.jsonl:1: \"params\" must be an object, found an array");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"f\": {\"x\": 1}}}\n"))
                .hasMessage("queries.jsonl:1: parameter [f] must be a string, a number, a boolean or an array of numbers, found an object");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"f\": null}}\n"))
                .hasMessage("queries.jsonl:1: parameter [f] must be a string, a number, a boolean or an array of numbers, found null");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"query_text\": \"b\"}}\n"))
                .hasMessage("queries.jsonl:1: \"params\" cannot define [query_text]: every query defines it itself");
        assertThatThrownBy(() -> new Query("1", "a", Map.of("query_id", Value.of("2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[query_id]");
        assertThatThrownBy(() -> new Query("1", "a", Map.of("p", new Value.Null())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[p] must be a string");
    }

    @Test
    void readsAnArrayOfNumbersAsAQueryVector() throws IOException {
        List<Query> queries = parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"v\": [0.5, -1, 2e-3], \"e\": []}}\n");

        assertThat(queries.get(0).params()).containsEntry("v",
                new Value.Arr(List.of(Value.of(0.5), Value.of(-1), Value.of(0.002))))
                .containsEntry("e", new Value.Arr(List.of()));
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"v\": [1, \"2\"]}}\n"))
                .hasMessage("queries.jsonl:1: parameter [v] must hold only finite numbers, found a string at [1]");
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\", \"params\": {\"v\": [[1]]}}\n"))
                .hasMessage("queries.jsonl:1: parameter [v] must hold only finite numbers, found an array at [0]");
        assertThatThrownBy(() -> new Query("1", "a", Map.of("v", new Value.Arr(List.of(Value.of("x"))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query [1]: parameter [v] must be a string, a number, a boolean or an array of numbers");
    }

    @Test
    void rejectsARepeatedId() {
        assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": 1, \"text\": \"b\"}\n"))
                .hasMessage("queries.jsonl:2: query id [1] appears twice; first on line 1");
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) throws IOException {
        List<Query> queries = List.of(new Query("q1", "tab\there \"quoted\" ünïcode"), new Query("q2", ""));
        StringWriter text = new StringWriter();
        QueriesFile.write(text, queries);
        assertThat(text.toString()).isEqualTo(
                "{\"id\":\"q1\",\"text\":\"tab\\there \\\"quoted\\\" ünïcode\"}\n{\"id\":\"q2\",\"text\":\"\"}\n");

        Path file = dir.resolve("queries.jsonl");
        QueriesFile.write(file, queries);
        assertThat(QueriesFile.read(file)).isEqualTo(queries);

        List<Query> withParams = List.of(new Query("q3", "c",
                Map.of("b", Value.of("2"), "a", Value.of(1), "c", Value.of(0.5), "d", Value.of(false))));
        StringWriter params = new StringWriter();
        QueriesFile.write(params, withParams);
        assertThat(params.toString()).isEqualTo("{\"id\":\"q3\",\"text\":\"c\",\"params\":{\"a\":1,\"b\":\"2\",\"c\":0.5,\"d\":false}}\n");
        QueriesFile.write(file, withParams);
        assertThat(QueriesFile.read(file)).isEqualTo(withParams);

        List<Query> withVector = List.of(new Query("q4", "d",
                Map.of("v", new Value.Arr(List.of(Value.of(0.25), Value.of(-3), Value.of(1e-7))))));
        StringWriter vector = new StringWriter();
        QueriesFile.write(vector, withVector);
        assertThat(vector.toString()).isEqualTo("{\"id\":\"q4\",\"text\":\"d\",\"params\":{\"v\":[0.25,-3,1.0E-7]}}\n");
        QueriesFile.write(file, withVector);
        assertThat(QueriesFile.read(file)).isEqualTo(withVector);
    }

    @Test
    void readsTheSharedCollections() throws IOException {
        Path data = Path.of(System.getProperty("rankql.shared", "../shared"), "data");
        assumeTrue(Files.isDirectory(data), "no shared data at " + data);

        List<Query> scifact = QueriesFile.read(data.resolve("scifact/queries.jsonl"));
        assertThat(scifact).hasSize(1109);
        assertThat(scifact.getFirst())
                .isEqualTo(new Query("0", "0-dimensional biomaterials lack inductive properties."));
        assertThat(QueriesFile.read(data.resolve("cranfield/queries.jsonl"))).hasSize(225);
    }
}
