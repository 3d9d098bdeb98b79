package dev.rankql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.RandomAst;
import dev.rankql.ast.SearchRequest;
import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.RandomTreesAccess;
import dev.rankql.json.EsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two syntaxes describe the same trees: anything written in one reads back equal from the other, and
 * JSON → DSL → JSON gives the same canonical JSON as JSON → JSON (the check made on held-out ES bodies).
 */
class CrossSyntaxTest {

    private static final int TREES = 1500;

    @Test
    void jsonGeneratedTreesSurviveTheDsl() {
        var random = new RandomAst(new Random(42));
        for (int i = 0; i < TREES; i++) {
            SearchRequest request = random.searchRequest();
            String dsl = Dsl.print(request);
            assertThat(Dsl.parseRequest(dsl)).as("tree %d:%n%s", i, dsl).isEqualTo(request);
            assertThat(EsJson.writeSearch(Dsl.parseRequest(dsl))).isEqualTo(EsJson.writeSearch(request));
        }
    }

    @Test
    void dslGeneratedTreesSurviveJson() {
        var trees = RandomTreesAccess.seeded(4242L);
        for (int i = 0; i < TREES; i++) {
            SearchRequest request = trees.get().withoutIndex();
            String json = EsJson.writeSearch(request);
            assertThat(EsJson.parseSearch(json)).as("tree %d:%n%s", i, json).isEqualTo(request);
            assertThat(Dsl.print(EsJson.parseSearch(json))).isEqualTo(Dsl.print(request));
        }
    }

    @Test
    void jsonCorpusThroughTheDslGivesTheCanonicalJson() throws IOException {
        var bodies = corpus();
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(25);
        for (Path body : bodies) {
            var json = Files.readString(body);
            var canonical = EsJson.writeSearch(EsJson.parseSearch(json));
            var viaDsl = EsJson.writeSearch(Dsl.parseRequest(Dsl.print(EsJson.parseSearch(json))));
            assertThat(viaDsl).as(body.getFileName().toString()).isEqualTo(canonical);
        }
    }

    @Test
    void dslCorpusThroughJsonGivesTheCanonicalDsl() throws IOException {
        try (Stream<Path> files = Files.list(resource("dsl"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".rql")).sorted().toList()) {
                var request = Dsl.parseRequest(Files.readString(file)).withoutIndex();
                var viaJson = EsJson.parseSearch(EsJson.writeSearch(request));
                assertThat(Dsl.print(viaJson)).as(file.getFileName().toString()).isEqualTo(Dsl.print(request));
            }
        }
    }

    private static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(resource("json/corpus"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(CrossSyntaxTest.class.getClassLoader().getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
