package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written requests in {@code dsl/*.rql}: text to AST to canonical text to AST is equal, and a fixed point. */
class DslCorpusTest {

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(DslCorpusTest.class.getResource("/dsl").toURI());
        try (var files = Files.list(dir)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".rql")).sorted().toList();
            return list.stream();
        }
    }

    @Test
    void theCorpusIsLargeEnough() throws Exception {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void roundTrips(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        var parsed = Dsl.parseRequest(text);
        String printed = Dsl.print(parsed);
        assertThat(Dsl.parseRequest(printed)).isEqualTo(parsed);
        assertThat(Dsl.print(Dsl.parseRequest(printed))).isEqualTo(printed);
        assertThat(printed).doesNotEndWith("\n");
    }
}
