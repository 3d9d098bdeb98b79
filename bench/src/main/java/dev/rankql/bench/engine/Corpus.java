package dev.rankql.bench.engine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic corpus: Zipf-distributed pseudo-words in {@code title} and {@code content}, numeric
 * {@code price} and {@code popularity}, written as JSON Lines files of {@code batch} documents, plus a query set.
 *
 * <p>Everything follows from the seed, so two runs (and the two peers of one run) read byte-identical input.
 */
public record Corpus(Path dir, List<Path> batches, int docs, List<String> queries) {

    /** The vocabulary size of the performance anchors' corpus. */
    public static final int VOCABULARY = 100_000;

    /** The Zipf exponent of the word distribution. */
    public static final double ZIPF_EXPONENT = 1.0;

    /** The number of queries of the first-pass benchmark. */
    public static final int QUERIES = 500;

    private static final String[] SYLLABLES = syllables();

    public Corpus {
        batches = List.copyOf(batches);
        queries = List.copyOf(queries);
    }

    /** Like {@link #generate(Path, int, int, int, long)} with the benchmark's {@value #QUERIES} queries. */
    public static Corpus generate(Path dir, int docs, int batch, long seed) throws IOException {
        return generate(dir, docs, batch, QUERIES, seed);
    }

    /**
     * Writes {@code docs} documents in files of {@code batch} lines under {@code dir} and draws {@code queryCount}
     * queries; the documents depend on {@code seed}, the queries on {@code seed + 1}.
     */
    public static Corpus generate(Path dir, int docs, int batch, int queryCount, long seed) throws IOException {
        if (docs < 1 || batch < 1) {
            throw new IllegalArgumentException("docs and batch must be positive, got " + docs + " and " + batch);
        }
        Files.createDirectories(dir);
        var zipf = new Zipf(VOCABULARY, ZIPF_EXPONENT);
        var random = new SplittableRandom(seed);
        var batches = new ArrayList<Path>();
        var line = new StringBuilder(2048);
        for (int first = 0; first < docs; first += batch) {
            var file = dir.resolve(String.format(Locale.ROOT, "docs-%06d.jsonl", batches.size()));
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int doc = first; doc < Math.min(docs, first + batch); doc++) {
                    line.setLength(0);
                    document(line, random, zipf);
                    out.append(line).append('\n');
                }
            }
            batches.add(file);
        }
        return new Corpus(dir, batches, docs, queries(queryCount, seed + 1));
    }

    private static void document(StringBuilder out, SplittableRandom random, Zipf zipf) {
        out.append("{\"title\":\"");
        words(out, random, zipf, random.nextInt(5, 11));
        out.append("\",\"content\":\"");
        words(out, random, zipf, random.nextInt(60, 141));
        // Cents keep the text short and exact; popularity is skewed like view counts are.
        long cents = random.nextLong(100, 100_000);
        out.append("\",\"price\":").append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100);
        out.append(",\"popularity\":").append((long) Math.floor(Math.pow(1_000_000, random.nextDouble())));
        out.append('}');
    }

    private static void words(StringBuilder out, SplittableRandom random, Zipf zipf, int count) {
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(word(zipf.sample(random)));
        }
    }

    /**
     * {@code count} queries of 1–4 words; each word is drawn from one of three bands of the frequency ranking
     * (frequent: the top 100, middle: up to 5,000, rare: the rest), uniformly by band, so queries mix them.
     */
    public static List<String> queries(int count, long seed) {
        var random = new SplittableRandom(seed);
        var queries = new ArrayList<String>(count);
        for (int q = 0; q < count; q++) {
            int terms = random.nextInt(1, 5);
            var text = new StringBuilder();
            for (int t = 0; t < terms; t++) {
                int rank = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(0, 100);
                    case 1 -> random.nextInt(100, 5_000);
                    default -> random.nextInt(5_000, VOCABULARY);
                };
                if (t > 0) {
                    text.append(' ');
                }
                text.append(word(rank));
            }
            queries.add(text.toString());
        }
        return queries;
    }

    /**
     * The word of frequency rank {@code rank}: the rank (plus 60) written in base 60 with a syllable per digit,
     * at least two syllables, so distinct ranks give distinct words and no word is an English stop word.
     */
    public static String word(int rank) {
        var word = new StringBuilder(10);
        int rest = rank + SYLLABLE_COUNT;
        while (rest > 0) {
            word.append(SYLLABLES[rest % SYLLABLE_COUNT]);
            rest /= SYLLABLE_COUNT;
        }
        return word.toString();
    }

    private static final int SYLLABLE_COUNT = 60;

    private static String[] syllables() {
        // Vowels without e and y keep the english stemmer from folding many words together.
        var consonants = "bdfghjklmnprstvz";
        var vowels = "aiou";
        var result = new String[SYLLABLE_COUNT];
        int i = 0;
        for (char c : consonants.toCharArray()) {
            for (char v : vowels.toCharArray()) {
                if (i < SYLLABLE_COUNT) {
                    result[i++] = "" + c + v;
                }
            }
        }
        return result;
    }

    /** Zipf ranks drawn by binary search over the cumulative distribution. */
    static final class Zipf {
        private final double[] cumulative;

        Zipf(int size, double exponent) {
            cumulative = new double[size];
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += 1 / Math.pow(i + 1, exponent);
                cumulative[i] = sum;
            }
            for (int i = 0; i < size; i++) {
                cumulative[i] /= sum;
            }
        }

        int sample(SplittableRandom random) {
            double u = random.nextDouble();
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (cumulative[mid] < u) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }
}
