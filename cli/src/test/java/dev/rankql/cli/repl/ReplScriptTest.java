package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.TreePrinter;
import dev.rankql.cli.ExitCodes;
import dev.rankql.cli.Main;
import dev.rankql.dsl.Dsl;
import dev.rankql.json.EsJson;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL driven as a script: standard input is not a terminal, so it reads statements and exits at the end. */
class ReplScriptTest {

    @TempDir
    static Path data;

    record Run(int status, String out, String err) {}

    @BeforeAll
    static void createData() throws Exception {
        ReplData.create(data);
    }

    private static Run repl(String stdin, String... args) {
        var all = new ArrayList<>(List.of("--data", data.toString(), "repl"));
        all.addAll(List.of(args));
        return run(stdin, all);
    }

    private static Run run(String stdin, List<String> args) {
        var bytes = stdin.getBytes(StandardCharsets.UTF_8);
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(bytes));
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = commandLine.execute(args.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void aStatementEndingWithASemicolonShowsTheHitsAsATable() {
        var run = repl("QUERY match(title, \"desk\") SIZE 2;\n", "shop");

        assertThat(run.status()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).isEmpty();
        var lines = run.out().lines().toList();
        assertThat(lines.getFirst()).matches("#\\s+_id\\s+_score\\s+title\\s+brand\\s+price");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).matches("1\\s+d\\d\\s+\\d\\.\\d{4}\\s+.*desk.*");
        assertThat(lines.get(3)).startsWith("2 hits shown of 3, max_score ");
    }

    @Test
    void aStatementMaySpanLinesUntilABlankLineAndJsonBodiesRunToo() {
        var run = repl("""
                QUERY match(title, "lamp")
                  SIZE 1

                :fields brand
                RETRIEVE standard(match(title, "lamp"))
                  | RESCORE ltr("title-model", params: {q: "clamp"}) WINDOW 10
                SIZE 1

                {"query": {"term": {"brand": "Acme"}},
                 "size": 1};
                """, "shop");

        assertThat(run.status()).as(run.out()).isEqualTo(ExitCodes.OK);
        var out = run.out();
        assertThat(out).contains("1 hit shown of 2,", "fields: brand").containsPattern("d1\\s+3\\.0000\\s+Lumen");
        assertThat(out.lines().filter(l -> l.startsWith("1 hit shown of 2,"))).hasSize(3);
    }

    @Test
    void aSyntaxErrorShowsACaretUnderItsColumnAndTheScriptGoesOnButExitsTwo() {
        var run = repl("""
                QUERY match(title, "lamp"
                  SIZE 1;
                QUERY match(title, "fan") SIZE 1;
                """, "shop");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).startsWith("""
                error: line 2:3: mismatched input 'SIZE'. Expecting: ')', ','
                    SIZE 1
                    ^
                #  _id""");
        assertThat(run.out()).contains("d3").contains("1 hit shown of 1");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void errorsOfTheEngineAndOfJsonAreShownWithTheirTypeOrPath() {
        var run = repl("""
                FROM nope QUERY match(title, "x");
                {"query": {"match": {"title": "x"}}, "size": -1};
                {"query": {"bogus": {}}};
                :use nope
                """, "shop");

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(4);
        assertThat(run.out()).contains("error: index_not_found_exception: no such index [nope]", "$.size",
                "$.query.bogus", "error: index_not_found_exception: no such index [nope]");
    }

    @Test
    void fromNamesTheIndexOfOneStatementAndWithoutAnIndexAStatementFails() {
        var run = repl("""
                QUERY match(title, "fan");
                :use shop
                FROM empty QUERY match_all();
                QUERY match(title, "fan");
                """);

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).startsWith("error: no index to search: choose one with :use INDEX, or write FROM INDEX")
                .contains("using index [shop]", "0 hits shown of 0", "1 hit shown of 1");
    }

    @Test
    void translationCommandsPrintWhatTranslateWouldAndDefaultToTheLastStatement() {
        var dsl = "QUERY match(title, \"lamp\") SIZE 1";
        var json = "{\"query\": {\"term\": {\"brand\": \"Acme\"}}}";
        var run = repl(dsl + ";\n:json\n:ast\n:json " + dsl + "\n:dsl " + json + "\n:ast " + json + "\n", "shop");

        assertThat(run.status()).as(run.out()).isEqualTo(ExitCodes.OK);
        var request = Dsl.parseRequest(dsl);
        var expected = EsJson.writeSearch(request) + "\n" + TreePrinter.print(request) + EsJson.writeSearch(request)
                + "\n" + Dsl.print(EsJson.parseSearch(json)) + "\n" + TreePrinter.print(EsJson.parseSearch(json));
        assertThat(run.out()).endsWith(expected);
    }

    @Test
    void listingCommandsShowIndicesFieldsAndModels() {
        var run = repl(":indices\n:mapping\n:models\n:format json\n:models\n", "shop");

        assertThat(run.status()).as(run.out()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("""
                index   docs
                empty   0
                shop *  5
                field      type
                brand      keyword
                price      float
                title      text
                title.raw  keyword
                title-model
                format: json
                """).contains("\"model_id\" : \"title-model\"");
    }

    @Test
    void explainProfileTimingAndFormatChangeWhatASearchShows() {
        var run = repl("""
                :explain
                QUERY match(title, "fan");
                :explain off
                :explain last
                :profile on
                :timing
                :format json
                QUERY match(title, "fan");
                """, "shop");

        assertThat(run.status()).as(run.out()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("explain: on", "#1 d3\n  ", "weight(title:fan", "explain: off",
                "profile: on", "timing: on", "\"profile\" : {", "\"_id\" : \"d3\"").containsPattern("Time: \\d+\\.\\d ms");
        assertThat(run.out().split("weight\\(title:fan", -1)).as("explained twice").hasSize(3);
    }

    @Test
    void whyExplainsOneDocumentUnderAQueryOrTheLastStatementsQuery() {
        var run = repl("""
                :why d3 match(title, "fan")
                QUERY match(title, "desk") SIZE 1;
                :why d3
                :why d1 QUERY match(title, "fan")
                :format json
                :why d3 term(brand, "Acme")
                """, "shop");

        assertThat(run.status()).as(run.out()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("d3 matches\n  ", "weight(title:fan", "weight(title:desk", "d1 does not match\n  ",
                "\"matched\" : true", "\"_id\" : \"d3\"", "\"explanation\" : {");
    }

    @Test
    void whyFailsClearlyForAMissingDocumentOrQuery() {
        assertThat(repl(":why\n", "shop").out()).startsWith("error: :why needs a document id");
        assertThat(repl(":why d3\n", "shop").out()).isEqualTo("error: :why d3 needs a statement, and none has run yet\n");
        assertThat(repl(":why nope match_all()\n", "shop").out())
                .isEqualTo("error: document [nope] does not exist in index [shop] (or is not refreshed yet)\n");
        assertThat(repl(":why d3 match(title\n", "shop").status()).isEqualTo(ExitCodes.USAGE);
        assertThat(repl(":why d3 term(price, \"cheap\")\n", "shop").out()).startsWith("error: query_shard_exception");
    }

    @Test
    void commandErrorsCountAsFailures() {
        assertThat(repl(":bogus\n").out()).isEqualTo("error: unknown command :bogus; :help lists the commands\n");
        assertThat(repl(":format xml\n").status()).isEqualTo(ExitCodes.USAGE);
        assertThat(repl(":explain maybe\n").out()).isEqualTo("error: :explain takes on or off, got [maybe]\n");
        assertThat(repl(":json\n").out()).isEqualTo("error: :json needs a statement, and none has run yet\n");
        assertThat(repl(":use\n").status()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void quitStopsReadingAndCommentsOrBlankInputRunNothing() {
        var run = repl("""

                // only a comment

                ;
                :quit
                QUERY bogus(;
                """, "shop");

        assertThat(run).isEqualTo(new Run(ExitCodes.OK, "", ""));
    }

    @Test
    void theOnlyIndexIsChosenAtStartAndANamedOneMustExist(@TempDir Path other) throws Exception {
        try (var engine = dev.rankql.engine.Engine.open(other)) {
            engine.createIndex("solo", "");
        }
        var solo = run(":indices\n", List.of("repl", "--data", other.toString()));
        var missing = repl("", "nope");

        assertThat(solo.out()).contains("solo *");
        assertThat(missing).isEqualTo(new Run(ExitCodes.NOT_FOUND, "", "rankql: no such index [nope]\n"));
    }

    @Test
    void helpListsEveryCommand() {
        var run = repl(":help\n");

        for (var command : Session.COMMANDS) {
            assertThat(run.out()).contains("  " + command[0]);
        }
        assertThat(run.status()).isZero();
    }
}
