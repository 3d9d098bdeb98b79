package dev.rankql.bench.suite;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts the unpacked Debian packages {@code dict-gcide} and {@code wordnet-base} into the suite's corpus form: JSON
 * Lines files of {@code title}, {@code content}, {@code price} and {@code popularity}, one document per GCIDE article
 * and one per WordNet synset.
 *
 * <p>The numeric fields are derived from the title and the document's position, so a conversion is byte-identical
 * from run to run: {@code price} spreads over 1.00–999.99 and {@code popularity} over 1–1,000,000 with the synthetic
 * corpus's skew ({@code floor(1e6^u)}), both from a 64-bit hash of {@code source:position:title}.
 */
public final class GcideWordnet {

    /** Documents per output file (one ingest request each), as in the synthetic corpus. */
    public static final int BATCH = 10_000;

    static final String GCIDE_INDEX = "usr/share/dictd/gcide.index";
    static final String GCIDE_DICT = "usr/share/dictd/gcide.dict.dz";
    static final String WORDNET = "usr/share/wordnet/data.";
    static final List<String> WORDNET_PARTS = List.of("noun", "verb", "adj", "adv");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private GcideWordnet() {}

    /**
     * {@code rankql bench gcide-wordnet RAW OUT}: converts the packages unpacked under RAW into OUT; returns the exit
     * code (2 for bad usage, 1 for unreadable input).
     */
    public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        if (args.length != 2) {
            err.println("rankql bench gcide-wordnet: expected RAW and OUT, got " + args.length + " argument"
                    + (args.length == 1 ? "" : "s"));
            err.println("Try 'rankql bench gcide-wordnet --help' for more information.");
            err.flush();
            return 2;
        }
        try {
            var counts = convert(Path.of(args[0]), Path.of(args[1]));
            out.printf(Locale.ROOT, "%,d documents (%,d GCIDE articles, %,d WordNet synsets) in %d files under %s%n",
                    counts.docs(), counts.gcide(), counts.wordnet(), counts.files().size(), args[1]);
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("rankql bench gcide-wordnet: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    static final String USAGE = """
            Usage: rankql bench gcide-wordnet RAW OUT
            Converts dict-gcide and wordnet-base, unpacked together under RAW with dpkg-deb -x, into the suite's
            corpus form under OUT (docs-NNNNNN.jsonl: title, content, price, popularity); then run
            rankql bench --corpus OUT. bench/scripts/fetch-gcide-wordnet.sh downloads, unpacks and converts.
            """;

    /** How many documents each source gave and the files written. */
    public record Counts(int gcide, int wordnet, List<Path> files) {
        public Counts {
            files = List.copyOf(files);
        }

        /** All documents. */
        public int docs() {
            return gcide + wordnet;
        }
    }

    /**
     * Reads the packages unpacked under {@code raw} ({@code dpkg-deb -x}) and writes {@code docs-NNNNNN.jsonl} files of
     * {@value #BATCH} documents under {@code out}: the GCIDE articles in the order of their offsets, then the WordNet
     * synsets of the noun, verb, adjective and adverb files in file order.
     */
    public static Counts convert(Path raw, Path out) throws IOException {
        Files.createDirectories(out);
        int gcide;
        int wordnet = 0;
        var writer = new Writer(out);
        try (writer) {
            gcide = gcide(raw, writer);
            for (var part : WORDNET_PARTS) {
                wordnet += wordnet(raw.resolve(WORDNET + part), part, writer);
            }
        }
        return new Counts(gcide, wordnet, writer.files);
    }

    /** One document per distinct (offset, length) range of the GCIDE index, except the database's own entries. */
    private static int gcide(Path raw, Writer writer) throws IOException {
        var ranges = new TreeMap<Long, String>();
        var lines = Files.readAllLines(require(raw.resolve(GCIDE_INDEX)), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            var parts = line.split("\t", -1);
            if (parts.length != 3) {
                throw new IOException(GCIDE_INDEX + " line " + (i + 1) + ": expected word<TAB>offset<TAB>length, got ["
                        + line + "]");
            }
            if (parts[0].startsWith("00-database-")) {
                continue;
            }
            long offset = base64(parts[1], i + 1);
            long length = base64(parts[2], i + 1);
            if (length > Integer.MAX_VALUE || offset + length > Integer.MAX_VALUE) {
                throw new IOException(GCIDE_INDEX + " line " + (i + 1) + ": range out of bounds");
            }
            ranges.putIfAbsent(offset << 31 | length, parts[0]);
        }
        byte[] text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(require(raw.resolve(GCIDE_DICT))))) {
            // dictzip is gzip with random-access hints in an extra field, which GZIPInputStream skips.
            text = in.readAllBytes();
        }
        int count = 0;
        for (var entry : ranges.entrySet()) {
            int offset = (int) (entry.getKey() >>> 31);
            int length = (int) (entry.getKey() & Integer.MAX_VALUE);
            if (offset + length > text.length) {
                throw new IOException(GCIDE_INDEX + ": the range of [" + entry.getValue() + "] ends at " + (offset + length)
                        + ", after the dictionary's " + text.length + " bytes");
            }
            var article = new String(text, offset, length, StandardCharsets.UTF_8);
            int newline = article.indexOf('\n');
            var first = newline < 0 ? article : article.substring(0, newline);
            int backslash = first.indexOf('\\');
            // The first line names the article's own headword; an index entry may be a phrase found inside it.
            var title = backslash > 0 ? first.substring(0, backslash).strip() : entry.getValue();
            var content = clean(newline < 0 ? "" : article.substring(newline + 1));
            writer.write("gcide", count++, title.isEmpty() ? entry.getValue() : title, content);
        }
        return count;
    }

    /** One document per synset line: the title is its words, the content its gloss. */
    private static int wordnet(Path file, String part, Writer writer) throws IOException {
        int count = 0;
        int number = 0;
        for (var line : Files.readAllLines(require(file), StandardCharsets.UTF_8)) {
            number++;
            if (line.startsWith("  ") || line.isBlank()) {
                continue;
            }
            var fields = line.split(" ", -1);
            int bar = line.indexOf(" | ");
            if (fields.length < 6 || bar < 0) {
                throw new IOException(file.getFileName() + " line " + number + ": not a synset line: [" + line + "]");
            }
            int words;
            try {
                words = Integer.parseInt(fields[3], 16);
            } catch (NumberFormatException e) {
                throw new IOException(file.getFileName() + " line " + number + ": bad word count [" + fields[3] + "]");
            }
            var title = new StringBuilder();
            for (int w = 0; w < words && 4 + 2 * w < fields.length; w++) {
                // Adjectives may carry a syntactic marker such as "(a)" or "(ip)".
                var word = fields[4 + 2 * w].replaceFirst("\\([a-z]+\\)$", "").replace('_', ' ');
                if (!title.isEmpty()) {
                    title.append(", ");
                }
                title.append(word);
            }
            writer.write("wordnet-" + part, count++, title.toString(), clean(line.substring(bar + 3)));
        }
        return count;
    }

    private static Path require(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "missing; unpack dict-gcide and wordnet-base with dpkg-deb -x into one directory first");
        }
        return file;
    }

    /** Whitespace runs become one space; GCIDE's cross-reference braces go. */
    static String clean(String text) {
        return text.replace('{', ' ').replace('}', ' ').replaceAll("\\s+", " ").strip();
    }

    /** A number in the index's base 64 (digits A–Z, a–z, 0–9, +, /; most significant first). */
    static long base64(String digits, int line) throws IOException {
        if (digits.isEmpty() || digits.length() > 8) {
            throw new IOException(GCIDE_INDEX + " line " + line + ": bad base-64 number [" + digits + "]");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = BASE64.indexOf(digits.charAt(i));
            if (digit < 0) {
                throw new IOException(GCIDE_INDEX + " line " + line + ": bad base-64 digit '" + digits.charAt(i) + "' in ["
                        + digits + "]");
            }
            value = value * 64 + digit;
        }
        return value;
    }

    /** FNV-1a over the UTF-16 units of {@code text}, then a final mix so that nearby texts spread. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Writes documents in files of {@value #BATCH} lines. */
    private static final class Writer implements AutoCloseable {
        private final Path dir;
        private final List<Path> files = new ArrayList<>();
        private BufferedWriter current;
        private int inFile;

        Writer(Path dir) {
            this.dir = dir;
        }

        void write(String source, int position, String title, String content) throws IOException {
            if (current == null || inFile == BATCH) {
                close();
                var file = dir.resolve(String.format(Locale.ROOT, "docs-%06d.jsonl", files.size()));
                files.add(file);
                current = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                inFile = 0;
            }
            long h = hash(source + ":" + position + ":" + title);
            long cents = 100 + Long.remainderUnsigned(h, 99_900);
            double u = (hash(Long.toString(h)) >>> 11) * 0x1.0p-53;
            var doc = new LinkedHashMap<String, Object>();
            doc.put("title", title);
            doc.put("content", content);
            doc.put("price", cents / 100.0);
            doc.put("popularity", (long) Math.floor(Math.pow(1_000_000, u)));
            current.write(MAPPER.writeValueAsString(doc));
            current.write('\n');
            inFile++;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
