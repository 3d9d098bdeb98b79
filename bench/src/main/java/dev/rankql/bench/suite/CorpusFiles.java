package dev.rankql.bench.suite;

import dev.rankql.bench.engine.Corpus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A corpus read from a directory of {@code docs-*.jsonl} files (such as {@link GcideWordnet}'s), copied into the
 * suite's scratch directory at the requested size, with queries drawn from its own vocabulary the way the synthetic
 * corpus draws them: 1–4 words, each from the frequent, middle or rare band of the document-frequency ranking.
 */
public final class CorpusFiles {

    /** The frequent band: the top ranks of the vocabulary by document frequency, as in {@link Corpus#queries}. */
    static final int FREQUENT = 100;

    /** The end of the middle band. */
    static final int MIDDLE = 5_000;

    private static final Pattern WORD = Pattern.compile("[a-z]{3,}");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CorpusFiles() {}

    /** The source files of {@code dir}, in name order; fails when there are none. */
    public static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("corpus directory " + dir + " does not exist; bench/scripts/fetch-gcide-wordnet.sh writes one");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> {
                var name = p.getFileName().toString();
                return name.startsWith("docs-") && name.endsWith(".jsonl");
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("corpus directory " + dir + " has no docs-*.jsonl files");
        }
        return files;
    }

    /** The number of documents (lines) in {@code dir}'s files. */
    public static int count(Path dir) throws IOException {
        long lines = 0;
        for (var file : files(dir)) {
            try (var stream = Files.lines(file, StandardCharsets.UTF_8)) {
                lines += stream.count();
            }
        }
        return Math.toIntExact(lines);
    }

    /**
     * Writes {@code docs} documents of {@code source} into files of {@code batch} lines under {@code dir}: a prefix of
     * the source, or the whole source repeated when {@code docs} exceeds it (the engine gives every copy its own id),
     * and draws {@code queryCount} queries with {@code seed} from the vocabulary of the source's first {@code docs}
     * documents (at most one pass over it).
     */
    public static Corpus load(Path source, Path dir, int docs, int batch, int queryCount, long seed) throws IOException {
        if (docs < 1 || batch < 1) {
            throw new IllegalArgumentException("docs and batch must be positive, got " + docs + " and " + batch);
        }
        var sources = files(source);
        Files.createDirectories(dir);
        var frequencies = new HashMap<String, Integer>();
        var batches = new ArrayList<Path>();
        BufferedWriter out = null;
        int written = 0;
        int inBatch = 0;
        boolean firstPass = true;
        try {
            while (written < docs) {
                int before = written;
                for (var file : sources) {
                    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        String line;
                        while (written < docs && (line = reader.readLine()) != null) {
                            if (line.isBlank()) {
                                continue;
                            }
                            if (firstPass) {
                                count(line, file, frequencies);
                            }
                            if (out == null || inBatch == batch) {
                                if (out != null) {
                                    out.close();
                                }
                                var name = dir.resolve(String.format(Locale.ROOT, "docs-%06d.jsonl", batches.size()));
                                batches.add(name);
                                out = Files.newBufferedWriter(name, StandardCharsets.UTF_8);
                                inBatch = 0;
                            }
                            out.write(line);
                            out.write('\n');
                            inBatch++;
                            written++;
                        }
                    }
                }
                if (written == before) {
                    throw new IOException("corpus directory " + source + " has no documents");
                }
                firstPass = false;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return new Corpus(dir, batches, docs, queries(frequencies, queryCount, seed));
    }

    /** Adds the distinct words of one document's title and content to the document frequencies. */
    private static void count(String line, Path file, Map<String, Integer> frequencies) throws IOException {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(line);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a JSON line: " + e.getMessage(), e);
        }
        var text = (doc.path("title").asString("") + " " + doc.path("content").asString("")).toLowerCase(Locale.ROOT);
        var seen = new java.util.HashSet<String>();
        var matcher = WORD.matcher(text);
        while (matcher.find()) {
            var word = matcher.group();
            if (seen.add(word)) {
                frequencies.merge(word, 1, Integer::sum);
            }
        }
    }

    /**
     * {@code count} queries of 1–4 words; each word is drawn uniformly from one band of the ranking by document
     * frequency (ties by word): the top {@value #FREQUENT}, then up to rank {@value #MIDDLE}, then the rest of the words
     * that occur in at least two documents. English stop words are left out, since the analyzer drops them.
     */
    static List<String> queries(Map<String, Integer> frequencies, int count, long seed) {
        var stop = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
        var ranked = frequencies.entrySet().stream()
                .filter(e -> e.getValue() >= 2 && !stop.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        if (ranked.size() < 3) {
            throw new IllegalArgumentException("the corpus has only " + ranked.size()
                    + " words in two or more documents; queries need at least 3");
        }
        int frequent = Math.min(FREQUENT, ranked.size() / 3);
        int middle = Math.min(MIDDLE, 2 * ranked.size() / 3);
        var random = new SplittableRandom(seed);
        var queries = new ArrayList<String>(count);
        for (int q = 0; q < count; q++) {
            int terms = random.nextInt(1, 5);
            var text = new StringBuilder();
            for (int t = 0; t < terms; t++) {
                int rank = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(0, frequent);
                    case 1 -> random.nextInt(frequent, middle);
                    default -> random.nextInt(middle, ranked.size());
                };
                if (t > 0) {
                    text.append(' ');
                }
                text.append(ranked.get(rank));
            }
            queries.add(text.toString());
        }
        return queries;
    }
}
