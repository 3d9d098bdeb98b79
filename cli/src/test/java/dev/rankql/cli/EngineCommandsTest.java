package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import dev.rankql.engine.mapping.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code index}, {@code ingest} and {@code search} run in-process on a data directory of their own. */
class EngineCommandsTest {

    private static final String MAPPING = """
            {"mappings": {"properties": {
              "title": {"type": "text"},
              "color": {"type": "keyword"},
              "price": {"type": "float"}}}}
            """;

    private static final String DOCS = """
            {"id": "1", "title": "red usb cable", "color": "red", "price": 5}
            {"_id": "2", "title": "blue usb cable usb", "color": "blue", "price": 7}
            {"id": "3", "title": "desk lamp", "color": "red", "price": 30}
            {"id": "4", "title": "usb desk lamp", "color": "green", "price": 25}
            """;

    @TempDir
    Path tmp;

    private Path data;
    private CliRun cli;

    @BeforeEach
    void setUp() {
        data = tmp.resolve("data");
        cli = new CliRun(data);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    private void createAndLoad() throws Exception {
        assertThat(cli.run("index", "create", "products", "--body", write("mapping.json", MAPPING).toString()).status())
                .isZero();
        assertThat(cli.run("ingest", "products", write("docs.jsonl", DOCS).toString()).status()).isZero();
    }

    private static List<String> ids(JsonNode response) {
        var ids = new ArrayList<String>();
        response.path("hits").path("hits").forEach(hit -> ids.add(hit.path("_id").asString()));
        return ids;
    }

    @Test
    void createPrintsTheAcknowledgementAndCreatesTheDataDirectory() throws Exception {
        var run = cli.run("index", "create", "products", "--body", write("mapping.json", MAPPING).toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.json()).isEqualTo(Json.MAPPER.readTree(
                "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"products\"}"));
        assertThat(data).isDirectory();
    }

    @Test
    void createReadsTheBodyFromStandardInput() {
        var run = cli.runWithStdin(MAPPING, "index", "create", "products", "--body", "-");

        assertThat(run.status()).isZero();
        assertThat(cli.run("index", "mapping", "products").json().at("/products/mappings/properties/color/type")
                .asString()).isEqualTo("keyword");
    }

    @Test
    void listShowsEveryIndexWithItsDocumentCount() throws Exception {
        createAndLoad();
        cli.run("index", "create", "another");

        var run = cli.run("index", "list");

        assertThat(run.status()).isZero();
        var rows = run.json();
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.get(0).path("index").asString()).isEqualTo("another");
        assertThat(rows.get(0).path("docs.count").asString()).isEqualTo("0");
        assertThat(rows.get(1).path("index").asString()).isEqualTo("products");
        assertThat(rows.get(1).path("docs.count").asString()).isEqualTo("4");
        assertThat(rows.get(1).path("health").asString()).isEqualTo("green");
        assertThat(rows.get(1).path("uuid").asString()).isNotBlank();
    }

    @Test
    void listAsATableHasTheCatColumnsUnderAHeader() throws Exception {
        createAndLoad();
        var uuid = cli.run("index", "list").json().get(0).path("uuid").asString();

        var run = cli.run("index", "list", "--format", "table");

        assertThat(run.status()).isZero();
        var lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).matches("health\\s+status\\s+index\\s+uuid\\s+pri\\s+rep\\s+docs.count");
        assertThat(lines.get(1)).matches("green\\s+open\\s+products\\s+" + uuid + "\\s+1\\s+1\\s+4");
    }

    @Test
    void mappingShowsDeclaredAndDynamicFields() throws Exception {
        createAndLoad();
        cli.run("ingest", "products", write("more.jsonl", "{\"id\": \"9\", \"stock\": 3}\n").toString());

        var mappings = cli.run("index", "mapping", "products").json().path("products").path("mappings");

        assertThat(mappings.at("/properties/title/type").asString()).isEqualTo("text");
        assertThat(mappings.at("/properties/price/type").asString()).isEqualTo("float");
        assertThat(mappings.at("/properties/stock/type").asString()).isEqualTo("long");
    }

    @Test
    void deleteAcknowledgesAndAMissingIndexIsNotFound() throws Exception {
        createAndLoad();

        var deleted = cli.run("index", "delete", "products");
        var again = cli.run("index", "delete", "products");

        assertThat(deleted.status()).isZero();
        assertThat(deleted.json()).isEqualTo(Json.MAPPER.readTree("{\"acknowledged\":true}"));
        assertThat(again.status()).isEqualTo(3);
        assertThat(again.json().at("/error/type").asString()).isEqualTo("index_not_found_exception");
        assertThat(again.json().at("/error/root_cause/0/reason").asString()).isEqualTo("no such index [products]");
        assertThat(again.json().path("status").asInt()).isEqualTo(404);
        assertThat(again.err()).isEqualTo("rankql: index_not_found_exception: no such index [products]\n");
    }

    @Test
    void indexErrorsAreElasticsearchBodiesWithTheirExitCodes() throws Exception {
        createAndLoad();

        var exists = cli.run("index", "create", "products");
        var badName = cli.run("index", "create", "../escape");
        var badBody = cli.runWithStdin("{\"mappings\": ", "index", "create", "broken", "--body", "-");
        var missingBody = cli.run("index", "create", "x", "--body", tmp.resolve("none.json").toString());

        assertThat(exists.status()).isEqualTo(2);
        assertThat(exists.json().at("/error/type").asString()).isEqualTo("resource_already_exists_exception");
        assertThat(badName.status()).isEqualTo(2);
        assertThat(badName.json().at("/error/type").asString()).isEqualTo("invalid_index_name_exception");
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(badBody.status()).isEqualTo(2);
        assertThat(badBody.json().path("status").asInt()).isEqualTo(400);
        assertThat(missingBody.status()).isEqualTo(3);
        assertThat(missingBody.out()).isEmpty();
        assertThat(missingBody.err()).contains("no such file");
    }

    @Test
    void ingestJsonLinesAnswersAsBulkAndTakesIdsFromIdOrUnderscoreId() throws Exception {
        cli.run("index", "create", "products", "--body", write("mapping.json", MAPPING).toString());

        var run = cli.run("ingest", "products", write("docs.jsonl", DOCS).toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        var body = run.json();
        assertThat(body.path("errors").asBoolean()).isFalse();
        assertThat(body.path("took").isIntegralNumber()).isTrue();
        assertThat(body.path("items").size()).isEqualTo(4);
        var first = body.at("/items/0/index");
        assertThat(first.path("_id").asString()).isEqualTo("1");
        assertThat(first.path("result").asString()).isEqualTo("created");
        assertThat(first.path("status").asInt()).isEqualTo(201);
        assertThat(body.at("/items/1/index/_id").asString()).isEqualTo("2");
        var hit = cli.run("search", "products", "QUERY ids([\"2\"])").json().at("/hits/hits/0/_source");
        assertThat(hit.has("_id")).isFalse();
        assertThat(hit.path("title").asString()).isEqualTo("blue usb cable usb");
    }

    @Test
    void bulkWithABadDocumentFailsOnlyThatItemAndExitsZero() throws Exception {
        cli.run("index", "create", "products", "--body", write("mapping.json", MAPPING).toString());
        var bulk = write("docs.ndjson", """
                {"index": {"_id": "a"}}
                {"title": "good one", "price": 1}
                {"index": {"_id": "b"}}
                {"title": "bad price", "price": "not a number"}
                {"create": {"_id": "c"}}
                {"title": "good two"}
                {"delete": {"_id": "a"}}
                """);

        var run = cli.run("ingest", "products", bulk.toString(), "--refresh");

        assertThat(run.status()).isZero();
        var body = run.json();
        assertThat(body.path("errors").asBoolean()).isTrue();
        assertThat(body.path("items").size()).isEqualTo(4);
        assertThat(body.at("/items/0/index/status").asInt()).isEqualTo(201);
        assertThat(body.at("/items/1/index/status").asInt()).isEqualTo(400);
        assertThat(body.at("/items/1/index/error/type").asString()).isEqualTo("document_parsing_exception");
        assertThat(body.at("/items/2/create/result").asString()).isEqualTo("created");
        assertThat(body.at("/items/3/delete/result").asString()).isEqualTo("deleted");
        assertThat(run.err()).contains("1 of 4 items failed");
        assertThat(ids(cli.run("search", "products").json())).containsExactly("c");
    }

    @Test
    void formatIsDetectedPerFileAndCanBeForced() throws Exception {
        var jsonl = write("a.jsonl", "{\"id\": \"x1\", \"title\": \"one\"}\n");
        var bulk = write("b.ndjson", "\n{\"index\": {\"_id\": \"y1\"}}\n{\"title\": \"two\"}\n");
        // An object whose only key is "index" looks like an action line; --format jsonl says it is a document.
        var lookalike = write("c.jsonl", "{\"index\": {\"page\": 3}}\n");

        var run = cli.run("ingest", "mixed", jsonl.toString(), bulk.toString());
        var forced = cli.run("ingest", "docs", lookalike.toString(), "--format", "jsonl");

        assertThat(run.status()).isZero();
        assertThat(run.json().at("/items/0/index/_id").asString()).isEqualTo("x1");
        assertThat(run.json().at("/items/1/index/_id").asString()).isEqualTo("y1");
        assertThat(forced.status()).isZero();
        assertThat(forced.json().at("/items/0/index/result").asString()).isEqualTo("created");
        assertThat(IngestCommand.detect("{\"delete\": {\"_id\": \"1\"}}")).isEqualTo(IngestCommand.Format.bulk);
        assertThat(IngestCommand.detect("{\"title\": \"x\"}")).isEqualTo(IngestCommand.Format.jsonl);
        assertThat(IngestCommand.detect("not json")).isEqualTo(IngestCommand.Format.jsonl);
        assertThat(IngestCommand.detect(null)).isEqualTo(IngestCommand.Format.jsonl);
    }

    @Test
    void ingestReadsStandardInput() {
        var run = cli.runWithStdin("{\"id\": \"s1\", \"title\": \"from a pipe\"}\n", "ingest", "piped", "-");

        assertThat(run.status()).isZero();
        assertThat(run.json().at("/items/0/index/_id").asString()).isEqualTo("s1");
    }

    @Test
    void aMalformedActionLineFailsTheRequestWithItsLineNumber() throws Exception {
        var bulk = write("bad.ndjson", """
                {"index": {"_id": "1"}}
                {"title": "fine"}
                {"index": {"_id": "2"}, "extra": 1}
                {"title": "never written"}
                """);

        var run = cli.run("ingest", "products", bulk.toString(), "--format", "bulk");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.json().at("/error/type").asString()).isEqualTo("illegal_argument_exception");
        assertThat(run.json().at("/error/reason").asString()).contains("line [3]");
        assertThat(cli.run("index", "list").json().size()).isZero();
    }

    @Test
    void aBulkBodyIsSentInBatchesAndErrorsKeepTheirLineNumberInTheFile() throws Exception {
        var small = new CliRun(data, commandLine ->
                ((IngestCommand) commandLine.getSubcommands().get("ingest").getCommand()).batchChars(100));
        var text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n{\"n\": ").append(i).append("}\n");
        }
        text.append("{\"delete\": {\"_id\": \"7\"}}\n");
        var good = write("good.ndjson", text.toString());
        var bad = write("bad.ndjson", text + "{\"index\": {\"_id\": \"x\", \"nope\": 1}}\n{\"n\": 0}\n");

        var run = small.run("ingest", "batched", good.toString(), "--refresh");
        var failed = small.run("ingest", "other", bad.toString());

        assertThat(run.status()).isZero();
        assertThat(run.json().path("items").size()).isEqualTo(51);
        assertThat(run.json().at("/items/50/delete/result").asString()).isEqualTo("deleted");
        assertThat(cli.run("search", "batched").json().at("/hits/total/value").asInt()).isEqualTo(49);
        assertThat(failed.status()).isEqualTo(2);
        assertThat(failed.json().at("/error/reason").asString())
                .isEqualTo("Action/metadata line [102] contains an unknown parameter [nope]");
        // The delete shares the failing batch, which is parsed whole before any of it is written.
        assertThat(failed.err()).contains("50 items before this error were written");
    }

    @Test
    void aFileOfMoreItemsThanOneRequestMayHoldIsSentInBatchesUnderTheLimit() throws Exception {
        // Deletes, the cheapest items, one more than the engine takes in one request.
        int items = dev.rankql.engine.EngineLimits.MAX_BULK_ITEMS + 1;
        assertThat(cli.run("ingest", "many", write("one.jsonl", "{\"_id\": \"kept\"}\n").toString()).status()).isZero();
        var deletes = new StringBuilder();
        for (int i = 0; i < items; i++) {
            deletes.append("{\"delete\": {\"_id\": \"d").append(i).append("\"}}\n");
        }
        var run = cli.run("ingest", "many", write("many.ndjson", deletes.toString()).toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().path("items").size()).isEqualTo(items);
        assertThat(run.json().at("/items/" + (items - 1) + "/delete/result").asString()).isEqualTo("not_found");

        // Both formats, shown with a small cap: 20 items each in batches of at most 7.
        var small = new CliRun(data, commandLine ->
                ((IngestCommand) commandLine.getSubcommands().get("ingest").getCommand()).batchItems(7));
        var bulk = new StringBuilder();
        var jsonl = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            bulk.append("{\"index\": {\"_id\": \"b").append(i).append("\"}}\n{\"n\": ").append(i).append("}\n");
            jsonl.append("{\"_id\": \"j").append(i).append("\"}\n\n");
        }
        var split = small.run("ingest", "split", write("split.ndjson", bulk.toString()).toString(),
                write("split.jsonl", jsonl.toString()).toString(), "--refresh");
        assertThat(split.status()).as(split.err()).isZero();
        assertThat(split.json().path("items").size()).isEqualTo(40);
        assertThat(cli.run("search", "split", "SIZE 0").json().at("/hits/total/value").asInt()).isEqualTo(40);
    }

    @Test
    void aMissingFileIsNotFoundOnStderr() {
        var run = cli.run("ingest", "products", tmp.resolve("nope.jsonl").toString());

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no such file");
    }

    @Test
    void searchWithDslAndWithJsonGivesTheSameHits() throws Exception {
        createAndLoad();
        var json = write("body.json", "{\"query\": {\"match\": {\"title\": \"usb\"}}}");

        var dsl = cli.run("search", "products", "QUERY match(title, \"usb\")");
        var fromFile = cli.run("search", "products", "--json", json.toString());
        var fromStdin = cli.runWithStdin("{\"query\": {\"match\": {\"title\": \"usb\"}}}", "search", "products", "--json", "-");

        assertThat(dsl.status()).isZero();
        assertThat(dsl.err()).isEmpty();
        assertThat(ids(dsl.json())).containsExactly("2", "1", "4");
        assertThat(dsl.json().at("/hits/total/value").asInt()).isEqualTo(3);
        assertThat(dsl.json().at("/hits/total/relation").asString()).isEqualTo("eq");
        assertThat(dsl.json().at("/hits/hits/0/_index").asString()).isEqualTo("products");
        assertThat(ids(fromFile.json())).isEqualTo(ids(dsl.json()));
        assertThat(ids(fromStdin.json())).isEqualTo(ids(dsl.json()));
        assertThat(fromFile.json().at("/hits/max_score").floatValue())
                .isEqualTo(dsl.json().at("/hits/max_score").floatValue());
    }

    @Test
    void sizeAndFromOverrideTheBody() throws Exception {
        createAndLoad();
        var all = ids(cli.run("search", "products", "QUERY match(title, \"usb\") SIZE 1").json());

        var overridden = cli.run("search", "products", "QUERY match(title, \"usb\") SIZE 1", "--size", "2", "--from", "1");
        var body = cli.run("search", "products", "QUERY match(title, \"usb\") SIZE 1 OFFSET 1");

        assertThat(all).containsExactly("2");
        assertThat(ids(overridden.json())).containsExactly("1", "4");
        assertThat(ids(body.json())).containsExactly("1");
    }

    @Test
    void explainAddsExplanations() throws Exception {
        createAndLoad();

        var plain = cli.run("search", "products", "QUERY match(title, \"lamp\")").json();
        var explained = cli.run("search", "products", "QUERY match(title, \"lamp\")", "--explain").json();

        assertThat(plain.at("/hits/hits/0").has("_explanation")).isFalse();
        var explanation = explained.at("/hits/hits/0/_explanation");
        assertThat(explanation.path("value").floatValue()).isEqualTo(explained.at("/hits/hits/0/_score").floatValue());
        assertThat(explanation.path("description").asString()).isNotBlank();
    }

    @Test
    void noSearchIsMatchAll() throws Exception {
        createAndLoad();

        var run = cli.run("search", "products");

        assertThat(run.json().at("/hits/total/value").asInt()).isEqualTo(4);
    }

    @Test
    void tableShowsRankIdScoreAndSourceFields() throws Exception {
        createAndLoad();

        var run = cli.run("search", "products", "QUERY match(title, \"usb\")", "--format", "table");
        var chosen = cli.run("search", "products", "QUERY match(title, \"usb\")", "--format", "table",
                "--columns", "price,color");

        assertThat(run.status()).isZero();
        var lines = run.out().lines().toList();
        // The first hit's first three source fields; its "_id" was taken out of the source at ingest.
        assertThat(lines.get(0)).matches("#\\s+_id\\s+_score\\s+title\\s+color\\s+price");
        assertThat(lines.get(1)).matches("1\\s+2\\s+\\d\\.\\d{4}\\s+blue usb cable usb\\s+blue\\s+7");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4)).startsWith("3 hits shown of 3, max_score ");
        assertThat(chosen.out().lines().findFirst().orElseThrow()).matches("#\\s+_id\\s+_score\\s+price\\s+color");
        assertThat(chosen.out()).contains("7");
    }

    @Test
    void longValuesAreCutInTheTable() throws Exception {
        cli.run("ingest", "long", write("l.jsonl", "{\"id\": \"1\", \"text\": \"" + "word ".repeat(30) + "\"}\n").toString(),
                "--refresh");

        var row = cli.run("search", "long", "--format", "table").out().lines().toList().get(1);

        assertThat(row).endsWith("…").contains("word word");
        assertThat(row.length()).isLessThan(80);
    }

    @Test
    void aDslSyntaxErrorIsAParsingExceptionWithLineAndColumn() throws Exception {
        createAndLoad();

        var run = cli.run("search", "products", "QUERY match(title, \"usb\"\nSIZE 5");

        assertThat(run.status()).isEqualTo(2);
        var error = run.json().path("error");
        assertThat(error.path("type").asString()).isEqualTo("parsing_exception");
        assertThat(error.path("reason").asString()).startsWith("line 2:1: ");
        assertThat(error.path("line").asInt()).isEqualTo(2);
        assertThat(error.path("col").asInt()).isEqualTo(1);
        assertThat(error.at("/root_cause/0/type").asString()).isEqualTo("parsing_exception");
        assertThat(run.json().path("status").asInt()).isEqualTo(400);
        assertThat(run.err()).startsWith("rankql: line 2:1: ").contains("  SIZE 5\n  ^");
    }

    @Test
    void jsonProblemsAreReportedWithTheirPaths() throws Exception {
        createAndLoad();

        var run = cli.runWithStdin("{\"query\": {\"match\": {\"title\": \"x\"}}, \"size\": \"ten\", \"bogus\": 1}",
                "search", "products", "--json", "-");
        var unparsable = cli.runWithStdin("{\"query\": ", "search", "products", "--json", "-");

        assertThat(run.status()).isEqualTo(2);
        var error = run.json().path("error");
        assertThat(error.path("root_cause").size()).isEqualTo(2);
        assertThat(error.path("path").asString()).isEqualTo("$.size");
        assertThat(error.at("/root_cause/1/path").asString()).isEqualTo("$.bogus");
        assertThat(error.at("/root_cause/1/type").asString()).isEqualTo("parsing_exception");
        assertThat(error.at("/root_cause/1/reason").asString()).startsWith("$.bogus: ");
        assertThat(run.err()).contains("$.size", "$.bogus");
        assertThat(unparsable.status()).isEqualTo(2);
        assertThat(unparsable.json().at("/error/type").asString()).isEqualTo("x_content_parse_exception");
    }

    @Test
    void validationProblemsKeepElasticsearchsExactReason() throws Exception {
        createAndLoad();

        var run = cli.run("search", "products", "{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": -1, "
                + "\"query\": {\"rescore_query\": {\"match_all\": {}}}}}");

        assertThat(run.status()).isEqualTo(2);
        var cause = run.json().at("/error/root_cause/0");
        assertThat(cause.path("type").asString()).isEqualTo("action_request_validation_exception");
        assertThat(cause.path("reason").asString())
                .isEqualTo("Validation Failed: 1: [window_size] parameter cannot be negative, found [-1];");
        assertThat(cause.path("path").asString()).isEqualTo("$.rescore.window_size");
    }

    @Test
    void aSearchNamingAnotherIndexIsRejected() throws Exception {
        createAndLoad();

        var other = cli.run("search", "products", "FROM catalog QUERY match(title, \"usb\")");
        var same = cli.run("search", "products", "FROM products QUERY match(title, \"usb\")");

        assertThat(other.status()).isEqualTo(2);
        assertThat(other.json().at("/error/type").asString()).isEqualTo("illegal_argument_exception");
        assertThat(other.json().at("/error/reason").asString()).contains("[catalog]", "[products]");
        assertThat(other.json().path("status").asInt()).isEqualTo(400);
        assertThat(same.status()).isZero();
        assertThat(ids(same.json())).hasSize(3);
    }

    @Test
    void aMissingIndexIsNotFoundAndBadParametersAreBadRequests() throws Exception {
        createAndLoad();

        var missing = cli.run("search", "nope", "QUERY match_all()");
        var negative = cli.run("search", "products", "--size", "-1");
        var both = cli.run("search", "products", "QUERY match_all()", "--json", "-");
        var wrongType = cli.run("search", "products", "QUERY range(title, gte: \"a\") RESCORE script(\"_score\") WINDOW 20000");

        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.json().at("/error/type").asString()).isEqualTo("index_not_found_exception");
        assertThat(negative.status()).isEqualTo(2);
        assertThat(negative.json().at("/error/reason").asString()).contains("[size]");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.out()).isEmpty();
        assertThat(wrongType.status()).isEqualTo(2);
        assertThat(wrongType.json().path("status").asInt()).isEqualTo(400);
    }

    @Test
    void dataSurvivesANewEngine() throws Exception {
        createAndLoad();

        try (var engine = Engine.open(data)) {
            assertThat(engine.listIndices()).containsExactly("products");
            assertThat(engine.getIndex("products").mappings().toJson().at("/properties/color/type").asString())
                    .isEqualTo("keyword");
        }
        var run = cli.run("search", "products", "QUERY term(color, \"red\")");

        assertThat(ids(run.json())).containsExactlyInAnyOrder("1", "3");
    }

    @Test
    void aLockedDataDirectoryIsAFailureOnStderr() throws Exception {
        try (var engine = Engine.open(data)) {
            var run = cli.run("index", "list");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("rankql: cannot open the data directory ").contains("in use");
        }
    }

    @Test
    void dataMayFollowANestedCommand() {
        var commandLine = Main.commandLine(java.util.Map.of(), java.io.InputStream::nullInputStream);
        commandLine.setOut(new java.io.PrintWriter(new java.io.StringWriter()))
                .setErr(new java.io.PrintWriter(new java.io.StringWriter()));

        int status = commandLine.execute("index", "create", "late", "--data", data.toString());

        assertThat(status).isZero();
        assertThat(cli.run("index", "list").json().get(0).path("index").asString()).isEqualTo("late");
    }

    @Test
    void translateStillNeverTouchesTheDataDirectory() {
        var run = cli.runWithStdin("QUERY match(title, \"x\")", "translate", "--to", "json");

        assertThat(run.status()).isZero();
        assertThat(data).doesNotExist();
    }
}
