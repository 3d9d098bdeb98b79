package dev.rankql.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The realistic search bodies under {@code src/test/resources/json/corpus}, by file name. */
final class Corpus {

    record Body(String name, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {}

    static List<Body> bodies() {
        try {
            var dir = Path.of(Corpus.class.getResource("/json/corpus").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.toString().endsWith(".json")).sorted()
                        .map(f -> new Body(f.getFileName().toString(), read(f))).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
