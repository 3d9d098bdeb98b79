package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search} with the hit options that read doc values and stored fields, and with {@code terminate_after},
 * written as JSON and as DSL: the printed response is Elasticsearch's.
 */
class HitOptionsCliTest {

    private static final String MAPPING = """
            {"mappings": {"properties": {
              "title": {"type": "text", "store": true},
              "color": {"type": "keyword"},
              "added": {"type": "date"}}}}
            """;

    private static final String DOCS = """
            {"id": "1", "title": "red usb cable", "color": ["red", "blue"], "added": "2024-05-01"}
            {"id": "2", "title": "blue usb cable usb", "color": "blue", "added": "2024-05-02T10:00:00Z"}
            {"id": "3", "title": "desk lamp", "color": "red"}
            """;

    @TempDir
    Path tmp;

    private CliRun cli;

    @BeforeEach
    void load() throws Exception {
        cli = new CliRun(tmp.resolve("data"));
        var mapping = Files.writeString(tmp.resolve("mapping.json"), MAPPING);
        var docs = Files.writeString(tmp.resolve("docs.jsonl"), DOCS);
        assertThat(cli.run("index", "create", "shop", "--body", mapping.toString()).status()).isZero();
        assertThat(cli.run("ingest", "shop", docs.toString(), "--refresh").status()).isZero();
    }

    @Test
    void docValueAndStoredFieldsWrittenAsJson() throws Exception {
        var body = Files.writeString(tmp.resolve("body.json"), """
                {"query": {"ids": {"values": ["1"]}}, "stored_fields": ["title"],
                 "docvalue_fields": ["color", {"field": "added", "format": "epoch_millis"}]}""");
        var run = cli.run("search", "shop", "--json", body.toString());
        assertThat(run.status()).isZero();
        var hit = run.json().at("/hits/hits/0");
        assertThat(hit.path("_id").asString()).isEqualTo("1");
        assertThat(hit.has("_source")).isFalse();
        assertThat(hit.path("fields").toString())
                .isEqualTo("{\"added\":[\"1714521600000\"],\"color\":[\"blue\",\"red\"],\"title\":[\"red usb cable\"]}");
    }

    @Test
    void terminateAfterAndStoredFieldsNoneWrittenAsDsl() {
        var run = cli.run("search", "shop", "QUERY match(title, \"usb lamp\") TERMINATE_AFTER 2 STORED_FIELDS _none_ SOURCE false");
        assertThat(run.status()).isZero();
        var response = run.json();
        assertThat(response.path("terminated_early").booleanValue()).isTrue();
        assertThat(response.at("/hits/total/value").asInt()).isEqualTo(2);
        assertThat(response.at("/hits/hits/0").has("_id")).isFalse();
        assertThat(response.at("/hits/hits/0/_index").asString()).isEqualTo("shop");
    }

    @Test
    void aTextFieldInDocValueFieldsIsElasticsearchsError() {
        var run = cli.run("search", "shop", "DOCVALUE_FIELDS [title]");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.json().at("/error/type").asString()).isEqualTo("search_phase_execution_exception");
        assertThat(run.json().at("/error/root_cause/0/reason").asString())
                .startsWith("Text fields are not optimised for operations that require per-document field data");
    }
}
