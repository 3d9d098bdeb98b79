package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.eval.RequestTemplate;
import dev.rankql.engine.ltr.QueryTemplate;
import dev.rankql.engine.mapping.Json;
import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's request limits, each at its boundary and one past it: boolean clauses, script and template size,
 * rendered template size, the result window; and the JSON limits on documents.
 */
class LimitsTest {

    @TempDir
    static Path data;

    static Engine engine;

    @BeforeAll
    static void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"k\": {\"type\": \"keyword\"}, "
                + "\"n\": {\"type\": \"integer\"}}}}");
        TestIndex.indexDocs(engine, "docs", List.of("{\"k\": \"k1\", \"n\": 1}", "{\"k\": \"k2\", \"n\": 2}"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        engine.close();
    }

    private static String shoulds(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "{\"term\": {\"k\": \"k" + i + "\"}}")
                .collect(Collectors.joining(",", "{\"bool\": {\"should\": [", "]}}"));
    }

    private static dev.rankql.engine.search.SearchResponse search(String query) {
        return engine.search("docs", EsJson.parseSearch("{\"query\": " + query + "}"));
    }

    private static EngineException rootCause(Runnable search) {
        try {
            search.run();
        } catch (EngineException e) {
            return e.rootCause();
        }
        throw new AssertionError("the search succeeded");
    }

    @Test
    void aBooleanQueryOfTheMostClausesRunsAndOneMoreIsTooManyClauses() {
        assertThat(EngineLimits.MAX_CLAUSE_COUNT).isEqualTo(4096);
        assertThat(search(shoulds(0, EngineLimits.MAX_CLAUSE_COUNT)).hits()).hasSize(2);
        var error = rootCause(() -> search(shoulds(0, EngineLimits.MAX_CLAUSE_COUNT + 1)));
        assertThat(error.type()).isEqualTo("too_many_clauses");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.getMessage()).isEqualTo("maxClauseCount is set to 4096; it is set with "
                + "-Drankql.indices.query.bool.max_clause_count");
    }

    @Test
    void theLimitHoldsForABooleanQueryNestedInAnother() {
        int limit = EngineLimits.MAX_CLAUSE_COUNT;
        assertThat(search(twoMusts(shoulds(0, limit), "{\"match_all\": {}}")).hits()).hasSize(2);
        var error = rootCause(() -> search(twoMusts(shoulds(0, limit + 1), "{\"match_all\": {}}")));
        assertThat(error.type()).isEqualTo("too_many_clauses");
        assertThat(error.status()).isEqualTo(400);
    }

    private static String twoMusts(String first, String second) {
        return "{\"bool\": {\"must\": [" + first + ", " + second + "]}}";
    }

    private static String scriptScore(String source) {
        return "{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"source\": \"" + source + "\"}}}";
    }

    @Test
    void aScriptOfTheLargestSizeRunsAndOneByteMoreIsRefusedAsElasticsearchDoes() {
        assertThat(EngineLimits.MAX_SCRIPT_SIZE_IN_BYTES).isEqualTo(65_535);
        String fits = "n" + " ".repeat(EngineLimits.MAX_SCRIPT_SIZE_IN_BYTES - 1);
        assertThat(search(scriptScore("doc['n'].value" + fits.substring(14))).hits()).hasSize(2);
        var error = rootCause(() -> search(scriptScore("doc['n'].value" + fits.substring(14) + " ")));
        assertThat(error.type()).isEqualTo("illegal_argument_exception");
        assertThat(error.getMessage()).startsWith("exceeded max allowed inline script size in bytes [65535] with size "
                + "[65536] for script [doc['n'].value ");
    }

    @Test
    void templatesRenderUpToTheLimitAndOneCharacterMoreIsRefused() {
        var template = QueryTemplate.compile(Json.MAPPER.readTree("{\"match\": {\"t\": \"{{q}}\"}}"), "f");
        int wrapper = "{\"match\":{\"t\":\"\"}}".length();
        String fits = "x".repeat(EngineLimits.MAX_TEMPLATE_OUTPUT_LENGTH - wrapper);
        assertThat(template.render(Map.of("q", fits)).orElseThrow().get("match").get("t").stringValue()).hasSize(
                fits.length());
        assertThatThrownBy(() -> template.render(Map.of("q", fits + "x")))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.getMessage()).isEqualTo("the rendered feature query template is longer than [10000000] "
                            + "characters; raise the limit with -Drankql.template.max_output_length");
                });
    }

    @Test
    void sectionsThatMultiplyTheOutputStopAtTheLimit() {
        var template = RequestTemplate.compile("{\"query\": {\"match\": {\"t\": \"" + "{{#l}}".repeat(8) + "x"
                + "{{/l}}".repeat(8) + "\"}}}", "request.json");
        var list = IntStream.range(0, 10).boxed().toList();
        assertThatThrownBy(() -> template.renderText(Map.of("l", list)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request.json: the rendered request template request.json is longer than [10000000] "
                        + "characters; raise the limit with -Drankql.template.max_output_length");
    }

    @Test
    void templatesCannotReadFilesThroughPartials() {
        assertThatThrownBy(() -> QueryTemplate.compile(Json.MAPPER.readTree("{\"match\": {\"t\": \"{{>/etc/passwd}}\"}}"),
                "f")).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("[f] is not a valid mustache template: partials are not supported, got {{>/etc/passwd}}"));
    }

    @Test
    void aTemplateSourceIsAScriptAndHasItsSizeLimit() {
        String head = "{\"query\": {\"match\": {\"t\": \"{{q}}";
        String tail = "\"}}}";
        String fits = head + " ".repeat(EngineLimits.MAX_SCRIPT_SIZE_IN_BYTES - head.length() - tail.length()) + tail;
        assertThat(fits).hasSize(EngineLimits.MAX_SCRIPT_SIZE_IN_BYTES);
        assertThat(RequestTemplate.compile(fits, "t").variables()).containsExactly("q");
        assertThatThrownBy(() -> RequestTemplate.compile(fits + " ", "t"))
                .hasMessageStartingWith("t: exceeded max allowed inline script size in bytes [65535] with size [65536]");
    }

    @Test
    void theResultWindowAcceptsItsLimitAndRefusesOneMore() {
        assertThat(engine.search("docs", EsJson.parseSearch("{\"from\": 9999, \"size\": 1}")).hits()).isEmpty();
        assertThat(rootCause(() -> engine.search("docs", EsJson.parseSearch("{\"from\": 9999, \"size\": 2}")))
                .getMessage()).startsWith("Result window is too large, from + size must be less than or equal to: [10000] "
                        + "but was [10001].");
    }

    @Test
    void documentStringsPastTheJsonLimitAreAnItemErrorNotACrash() {
        String big = "y".repeat(dev.rankql.json.JsonLimits.MAX_STRING_LENGTH + 1);
        var response = engine.bulk("docs", new java.io.StringReader("{\"index\": {\"_id\": \"big\"}}\n{\"k\": \"" + big
                + "\"}\n"), RefreshPolicy.NONE);
        assertThat(response.errors()).isTrue();
        assertThat(Json.write(response.toJson())).contains("String value length (20000001) exceeds the maximum allowed");
    }

    @Test
    void aBulkRequestOfTheMostItemsRunsAndOneMoreIsRefusedBeforeAnythingIsWritten() {
        int limit = EngineLimits.MAX_BULK_ITEMS;
        assertThat(limit).isEqualTo(100_000);
        engine.createIndex("bulky", "{}");
        var deletes = new StringBuilder();
        for (int i = 0; i < limit; i++) {
            deletes.append("{\"delete\":{\"_id\":\"d").append(i).append("\"}}\n");
        }
        assertThat(engine.bulk("bulky", new java.io.StringReader(deletes.toString()), RefreshPolicy.NONE).items())
                .hasSize(limit);
        var onePast = deletes + "{\"index\":{\"_id\":\"kept-out\"}}\n{\"a\": 1}\n";
        assertThatThrownBy(() -> engine.bulk("bulky", new java.io.StringReader(onePast), RefreshPolicy.IMMEDIATE))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.getMessage()).isEqualTo("the bulk request has more than [100000] items, the limit "
                            + "set by [rankql.bulk.max_items]; send the items in several requests or raise the limit "
                            + "with -Drankql.bulk.max_items");
                });
        assertThat(engine.getDocument("bulky", "kept-out")).isEmpty();
    }

    @Test
    void jsonLinesOfTheMostItemsAreReadAndOneMoreIsRefusedBeforeAnythingIsWritten() {
        int limit = EngineLimits.MAX_BULK_ITEMS;
        var lines = new StringBuilder();
        for (int i = 0; i < limit; i++) {
            lines.append("{\"_id\": \"").append(i).append("\"}\n\n");
        }
        // At the limit the request is read whole (indexing 100,000 documents here would only cost time).
        int count = 0;
        for (var operation : BulkParser.parseJsonLines(new java.io.BufferedReader(new java.io.StringReader(lines.toString())), "lines")) {
            assertThat(operation.id()).contains(Integer.toString(count++));
        }
        assertThat(count).isEqualTo(limit);
        var onePast = lines + "{\"_id\": \"kept-out\"}\n";
        assertThatThrownBy(() -> engine.ingestJsonLines("lines", new java.io.StringReader(onePast), RefreshPolicy.IMMEDIATE))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("the bulk request has more than [100000] items");
                });
        assertThatThrownBy(() -> engine.getDocument("lines", "kept-out")).isInstanceOf(EngineException.class);
    }
}
