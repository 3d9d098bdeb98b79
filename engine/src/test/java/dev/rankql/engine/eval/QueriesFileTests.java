package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
