package dev.rankql.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import dev.rankql.cli.Main;
import dev.rankql.json.EsJson;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale-out promise: every search of the docs, written in the rankql DSL and translated with
 * {@code rankql translate --to json}, is a request the official Elasticsearch Java client's typed {@link SearchRequest}
 * model reads, and writes back as a body that means the same search (rankql reads both into equal syntax trees;
 * the client expands ES's short forms, such as {@code "match": {"title": "x"}}, to their long forms). The examples
 * that use a rankql extension are listed below, with the extension and where it sits in the body.
 */
class ElasticsearchClientModelTest {

    /** A rankql extension an example uses: what it is, and the JSON pointer where it sits in the translated body. */
    private record Extension(String what, String pointer) {}

    private static final String EXT_RANKQL = "ext.rankql: Elasticsearch refuses an ext section no plugin registered";

    /**
     * The rankql extensions the examples use, keyed by file and the option under {@code ext.rankql} (not by line, so
     * that editing a page does not break the list); Elasticsearch cannot run these examples as they are.
     */
    private static final Map<String, Extension> EXTENSIONS = Map.of(
            "language.md explain_features", new Extension(EXT_RANKQL + " (explain_features)", "/ext/rankql"),
            "ltr.md explain_trees", new Extension(EXT_RANKQL + " (explain_trees)", "/ext/rankql"),
            "ltr.md log_features", new Extension(EXT_RANKQL + " (log_features)", "/ext/rankql"));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JacksonJsonpMapper CLIENT_MAPPER = new JacksonJsonpMapper();

    @Test
    void theDocsHoldDslExamples() {
        assertThat(Examples.blocksOf("rankql")).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void everyListedExtensionIsInTheDocs() {
        var keys = Examples.blocksOf("rankql").stream()
                .map(block -> key(block, JSON.readTree(translate(block.text())))).toList();
        assertThat(keys).containsAll(EXTENSIONS.keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyDslExampleIsAnElasticsearchClientSearchRequest() {
        return Examples.blocksOf("rankql").stream().map(block -> dynamicTest(block.toString(), () -> {
            var json = translate(block.text());
            var tree = JSON.readTree(json);
            var extension = EXTENSIONS.get(key(block, tree));
            if (extension != null) {
                assertThat(tree.at(extension.pointer()).isMissingNode())
                        .as("%s is listed for %s, which is not in its body%n%s", block, extension.what(), json).isFalse();
                return;
            }
            assertThat(tree.at("/ext/rankql").isMissingNode())
                    .as("%s uses ext.rankql, a rankql extension: list it in EXTENSIONS", block).isTrue();
            var written = roundTrip(json);
            assertThat(EsJson.parseSearch(written)).as("the client's SearchRequest changed %s%n%s%nto%n%s", block, json, written)
                    .isEqualTo(EsJson.parseSearch(json));
        }));
    }

    /** The file of {@code block} and the first option its body sets under {@code ext.rankql}, if any. */
    private static String key(Examples.Block block, JsonNode body) {
        var options = body.at("/ext/rankql").propertyNames().iterator();
        return block.file().getFileName() + " " + (options.hasNext() ? options.next() : "-");
    }

    /** {@code rankql translate --to json -}, run as the command line runs it. */
    private static String translate(String dsl) {
        var out = new StringWriter();
        var err = new StringWriter();
        var status = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(dsl.getBytes(StandardCharsets.UTF_8)))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("translate", "--to", "json", "-");
        assertThat(status).as("translate failed: %s", err).isZero();
        return out.toString();
    }

    /** Reads {@code json} into the client's typed request and writes it back. */
    private static String roundTrip(String json) {
        var request = SearchRequest.of(b -> b.withJson(new StringReader(json)));
        var written = new StringWriter();
        try (var generator = CLIENT_MAPPER.jsonProvider().createGenerator(written)) {
            request.serialize(generator, CLIENT_MAPPER);
        }
        return written.toString();
    }
}
