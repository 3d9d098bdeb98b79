package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rankql explain}: Elasticsearch's explain API on the command line, with the exit codes of {@code search}. */
class ExplainCommandTest {

    @TempDir
    Path tmp;

    private CliRun cli;

    @BeforeEach
    void load() throws Exception {
        cli = new CliRun(tmp.resolve("data"));
        var mapping = Files.writeString(tmp.resolve("mapping.json"), """
                {"mappings": {"properties": {"title": {"type": "text"}, "color": {"type": "keyword"}, "price": {"type": "float"}}}}""");
        var docs = Files.writeString(tmp.resolve("docs.jsonl"), """
                {"id": "1", "title": "red usb cable", "color": "red", "price": 5}
                {"id": "2", "title": "desk lamp", "color": "red", "price": 30}
                {"id": "3", "title": "usb desk lamp", "color": "green", "price": 25}
                """);
        assertThat(cli.run("index", "create", "products", "--body", mapping.toString()).status()).isZero();
        assertThat(cli.run("ingest", "products", docs.toString(), "--refresh").status()).isZero();
    }

    @Test
    void aDslQueryIsExplainedAsTheSearchExplainsTheHit() {
        var run = cli.run("explain", "products", "3", "match(title, \"desk lamp\")");
        assertThat(run.status()).as(run.err()).isZero();
        var body = run.json();
        assertThat(List.copyOf(body.propertyNames())).containsExactly("_index", "_id", "matched", "explanation");
        assertThat(body.get("matched").asBoolean()).isTrue();

        var search = cli.run("search", "products", "QUERY match(title, \"desk lamp\")", "--explain").json();
        tools.jackson.databind.JsonNode hit = null;
        for (var h : search.at("/hits/hits")) {
            if (h.get("_id").asString().equals("3")) {
                hit = h;
            }
        }
        assertThat(hit).isNotNull();
        assertThat(body.get("explanation")).isEqualTo(hit.get("_explanation"));

        // QUERY followed by a query reads the same, as a search's DSL would.
        assertThat(cli.run("explain", "products", "3", "QUERY match(title, \"desk lamp\")").json()).isEqualTo(body);
    }

    @Test
    void aJsonBodyFromAFileOrStandardInput() throws Exception {
        var body = "{\"query\": {\"term\": {\"color\": \"red\"}}}";
        var fromStdin = cli.runWithStdin(body, "explain", "products", "1", "--json", "-");
        assertThat(fromStdin.status()).isZero();
        assertThat(fromStdin.json().get("matched").asBoolean()).isTrue();
        var file = Files.writeString(tmp.resolve("body.json"), body);
        assertThat(cli.run("explain", "products", "1", "--json", file.toString()).json()).isEqualTo(fromStdin.json());
        assertThat(cli.run("explain", "products", "1", body).json()).isEqualTo(fromStdin.json());
    }

    @Test
    void aMissIsExplainedAndExitsZero() {
        var run = cli.run("explain", "products", "3", "term(color, \"red\")");
        assertThat(run.status()).isZero();
        assertThat(run.json().get("matched").asBoolean()).isFalse();
        assertThat(run.json().at("/explanation/description").asString()).isNotEmpty();
    }

    @Test
    void aMissingDocumentPrintsMatchedFalseAndExits3() {
        var run = cli.run("explain", "products", "nope", "match_all()");
        assertThat(run.status()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.json()).isEqualTo(Json.MAPPER.readTree("{\"_index\": \"products\", \"_id\": \"nope\", \"matched\": false}"));
        assertThat(run.err()).contains("document [nope] does not exist");

        var noIndex = cli.run("explain", "nope", "1", "match_all()");
        assertThat(noIndex.status()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noIndex.json().at("/error/type").asString()).isEqualTo("index_not_found_exception");
    }

    @Test
    void badRequestsExit2WithElasticsearchsErrors() {
        var noQuery = cli.run("explain", "products", "1");
        assertThat(noQuery.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(noQuery.json().at("/error/reason").asString()).isEqualTo("Validation Failed: 1: query is missing;");

        var syntax = cli.run("explain", "products", "1", "match(title, \"lamp\"");
        assertThat(syntax.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(syntax.json().at("/error/type").asString()).isEqualTo("parsing_exception");

        var notOnlyQuery = cli.run("explain", "products", "1", "{\"query\": {\"match_all\": {}}, \"size\": 3}");
        assertThat(notOnlyQuery.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(notOnlyQuery.json().at("/error/reason").asString()).isEqualTo("request does not support [size]");

        var dslOptions = cli.run("explain", "products", "1", "QUERY match_all() SIZE 3");
        assertThat(dslOptions.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(dslOptions.json().at("/error/reason").asString()).contains("explain takes a query only").contains("size");

        var cannotRun = cli.run("explain", "products", "1", "term(price, \"cheap\")");
        assertThat(cannotRun.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(cannotRun.json().at("/error/type").asString()).isEqualTo("query_shard_exception");

        var both = cli.runWithStdin("{}", "explain", "products", "1", "match_all()", "--json", "-");
        assertThat(both.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.out()).isEmpty();
    }
}
