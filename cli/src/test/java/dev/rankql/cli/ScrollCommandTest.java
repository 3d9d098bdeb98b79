package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code rankql search --scroll} and {@code rankql scroll}: paging across processes, refusals and exit codes. */
class ScrollCommandTest {

    private static final int DOCS = 17;

    @TempDir
    Path data;

    @TempDir
    Path files;

    CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliRun(data);
        var mapping = files.resolve("mapping.json");
        Files.writeString(mapping, """
                {"mappings": {"properties": {"title": {"type": "text"}, "n": {"type": "integer"},
                 "numeric_group": {"type": "integer"}}}}""");
        assertThat(cli.run("index", "create", "items", "--body", mapping.toString()).status()).isZero();
        var lines = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            lines.append("{\"_id\": \"i").append(i).append("\", \"title\": \"item ").append(i % 3 == 0 ? "lamp" : "desk")
                    .append("\", \"n\": ").append((i * 5) % 7).append(", \"numeric_group\": ").append(i % 3).append("}\n");
        }
        var docs = files.resolve("docs.jsonl");
        Files.writeString(docs, lines);
        assertThat(cli.run("ingest", "items", docs.toString(), "--refresh").status()).isZero();
    }

    private static List<String> ids(JsonNode body) {
        var ids = new ArrayList<String>();
        body.get("hits").get("hits").forEach(hit -> ids.add(hit.get("_id").asString()));
        return ids;
    }

    @Test
    void aScrollPagesAcrossCommandsInTheOrderOfOneSearch() {
        var whole = ids(cli.run("search", "items", "{\"sort\": [{\"n\": \"asc\"}], \"size\": 100}").json());
        var first = cli.run("search", "items", "{\"sort\": [{\"n\": \"asc\"}]}", "--size", "4", "--scroll", "1m");
        assertThat(first.status()).isZero();
        var body = first.json();
        assertThat(body.propertyNames().iterator().next()).isEqualTo("_scroll_id");
        var seen = new ArrayList<>(ids(body));
        var id = body.get("_scroll_id").asString();
        while (seen.size() <= DOCS) {
            var next = cli.run("scroll", id, "--scroll", "30s");
            assertThat(next.status()).isZero();
            assertThat(next.json().get("hits").get("total").get("value").asInt()).isEqualTo(DOCS);
            if (ids(next.json()).isEmpty()) {
                break;
            }
            seen.addAll(ids(next.json()));
            id = next.json().get("_scroll_id").asString();
        }
        assertThat(seen).isEqualTo(whole);
        var cleared = cli.run("scroll", "--clear", id);
        assertThat(cleared.status()).isEqualTo(3);
        assertThat(cleared.json().get("num_freed").asInt()).isZero();
    }

    @Test
    void aScrollIsRefusedOnceTheIndexHasChanged() throws Exception {
        var first = cli.run("search", "items", "--size", "5", "--scroll", "1m").json();
        var doc = files.resolve("late.jsonl");
        Files.writeString(doc, "{\"_id\": \"late\", \"title\": \"late lamp\", \"n\": 1}\n");
        assertThat(cli.run("ingest", "items", doc.toString(), "--refresh").status()).isZero();
        var next = cli.run("scroll", first.get("_scroll_id").asString());
        assertThat(next.status()).isEqualTo(3);
        var error = next.json().get("error");
        assertThat(error.get("root_cause").get(0).get("type").asString()).isEqualTo("search_context_missing_exception");
        assertThat(error.get("root_cause").get(0).get("reason").asString()).contains("the index has changed");
    }

    @Test
    void scrollValidationErrorsAreElasticsearchsWithItsExitCodes() {
        var collapse = cli.run("search", "items", "{\"collapse\": {\"field\": \"numeric_group\"}}", "--scroll", "1s");
        assertThat(collapse.status()).isEqualTo(2);
        assertThat(collapse.json().get("error").get("reason").asString())
                .isEqualTo("Validation Failed: 1: cannot use `collapse` in a scroll context;");
        var from = cli.run("search", "items", "--from", "2", "--scroll", "1m");
        assertThat(from.status()).isEqualTo(2);
        assertThat(from.json().get("error").get("reason").asString())
                .isEqualTo("Validation Failed: 1: using [from] is not allowed in a scroll context;");
        var keepAlive = cli.run("search", "items", "--scroll", "soon");
        assertThat(keepAlive.status()).isEqualTo(2);
        assertThat(keepAlive.json().get("error").get("reason").asString()).contains("failed to parse setting [scroll]");
        var garbage = cli.run("scroll", "not-a-scroll-id");
        assertThat(garbage.status()).isEqualTo(2);
        assertThat(garbage.json().get("error").get("reason").asString()).isEqualTo("Cannot parse scroll id");
        var missingIndex = cli.run("search", "nope", "--scroll", "1m");
        assertThat(missingIndex.status()).isEqualTo(3);
        assertThat(cli.run("scroll", "a", "b").status()).isEqualTo(2);
        assertThat(cli.run("scroll", "--clear", "_all").status()).isEqualTo(3);
    }

    @Test
    void aTableShowsTheHitsAndTheScrollId() {
        var table = cli.run("search", "items", "--size", "2", "--scroll", "1m", "--format", "table");
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("2 hits shown of " + DOCS).contains("_scroll_id: ");
    }
}
