package dev.rankql.bench.suite;

import dev.rankql.bench.engine.EngineBench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The suite's built indexes kept between runs under {@code <cache>/index-<key>/}: a run whose corpus has the same key
 * takes the built data directory from there instead of ingesting the whole corpus again (minutes at 1,000,000
 * documents), together with the build's figures.
 *
 * <p>Files are hard-linked both ways (copied where links are not possible): Lucene never rewrites a file and the engine
 * replaces its own files by atomic renames, so a run writing into its copy cannot change the cache.
 */
final class IndexCache {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String FACTS = "build.json";

    private final Path root;

    IndexCache(Path cache) {
        this.root = cache;
    }

    private Path dir(String key) {
        return root.resolve("index-" + key);
    }

    /**
     * Puts the cached data directory of {@code key} at {@code target} and returns the facts stored with it, or empty
     * when nothing is cached under that key.
     */
    Optional<ObjectNode> restore(String key, Path target) throws IOException {
        var dir = dir(key);
        var facts = dir.resolve(FACTS);
        if (!Files.isRegularFile(facts)) {
            return Optional.empty();
        }
        link(dir.resolve("data"), target);
        return Optional.of((ObjectNode) MAPPER.readTree(Files.readString(facts, StandardCharsets.UTF_8)));
    }

    /** Keeps the closed data directory {@code source} under {@code key} with {@code facts}; replaces an older entry. */
    void store(String key, Path source, ObjectNode facts) throws IOException {
        var dir = dir(key);
        var partial = root.resolve("index-" + key + ".part");
        EngineBench.deleteRecursively(partial);
        link(source, partial.resolve("data"));
        Files.writeString(partial.resolve(FACTS), MAPPER.writeValueAsString(facts), StandardCharsets.UTF_8);
        EngineBench.deleteRecursively(dir);
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Recreates the tree {@code from} at {@code to}, file by file, without Lucene's lock files. */
    private static void link(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (var path : (Iterable<Path>) walk::iterator) {
                var target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals("write.lock")) {
                    try {
                        Files.createLink(target, path);
                    } catch (FileSystemException | UnsupportedOperationException e) {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }
}
