package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.dsl.Dsl;
import dev.rankql.json.EsJson;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranslateCommandTest {

    private static final String EXAMPLE = """
            FROM products
            RETRIEVE standard(multi_match("the quick brown fox", fields: [title^2, content]))
              | RESCORE ltr("ltr-model", params: {query_text: "the quick brown fox"}) WINDOW 100
            SIZE 10
            """;

    record Run(int status, String out, String err) {}

    private static Run run(String stdin, String... args) {
        var commandLine = Main.commandLine(
                Map.of(), () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void dslBecomesJsonAndTheIndexIsLeftOutWithANote() {
        var run = run(EXAMPLE, "translate", "--to", "json");

        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("rankql: note: the target index [products] is not part of an Elasticsearch body");
        assertThat(EsJson.parseSearch(run.out())).isEqualTo(Dsl.parseRequest(EXAMPLE).withoutIndex());
        assertThat(run.out()).startsWith("{\n  \"retriever\"").doesNotContain("products");
    }

    @Test
    void jsonBecomesDslThatReadsBackEqual() {
        var json = EsJson.writeSearch(Dsl.parseRequest(EXAMPLE).withoutIndex());

        var run = run(json, "translate", "--to", "dsl", "-");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(Dsl.parseRequest(run.out())).isEqualTo(EsJson.parseSearch(json));
        assertThat(run.out()).contains("| RESCORE ltr(\"ltr-model\"");
    }

    @Test
    void compactJsonIsOneLine() {
        var run = run("QUERY match(title, \"fox\") SIZE 5", "translate", "--to", "json", "--compact");

        assertThat(run.status()).isZero();
        assertThat(run.out().strip()).doesNotContain("\n").isEqualTo(
                "{\"query\":{\"match\":{\"title\":\"fox\"}},\"size\":5}");
    }

    @Test
    void astPrintsTheTree(@TempDir Path dir) throws Exception {
        var file = dir.resolve("q.rql");
        Files.writeString(file, EXAMPLE);

        var run = run("", "translate", "--to", "ast", file.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("SearchRequest\n").contains("Retriever.Rescorer", "modelId: \"ltr-model\"", "windowSize: 100")
                .doesNotContain("Optional");
    }

    @Test
    void aDslErrorIsPositionedWithACaretAndExitsTwo() {
        var run = run("QUERY match(title, \"fox\"\nSIZE 5", "translate", "--to", "json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("rankql: line 2:1: ").contains("  SIZE 5\n  ^");
    }

    @Test
    void everyJsonProblemIsReportedWithItsPathAndExitsTwo() {
        var run = run("""
                {"query": {"match": {"title": "x"}}, "size": "ten",
                 "rescore": {"window_size": -1, "query": {"rescore_query": {"match_all": {}}}}}
                """, "translate", "--to", "dsl");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("$.size", "$.rescore").contains("[window_size] parameter cannot be negative");
    }

    @Test
    void aMissingFileExitsThree() {
        var run = run("", "translate", "--to", "json", "/no/such/file.rql");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err()).contains("no such file: /no/such/file.rql");
    }

    @Test
    void anUnknownTargetIsAUsageError() {
        var run = run("", "translate", "--to", "yaml");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--to");
    }

    @Test
    void invalidUtf8IsRejected() {
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[] {(byte) 0xC3, 0x28}));
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));

        assertThat(commandLine.execute("translate", "--to", "json")).isEqualTo(2);
        assertThat(err.toString()).contains("not valid UTF-8");
    }
}
