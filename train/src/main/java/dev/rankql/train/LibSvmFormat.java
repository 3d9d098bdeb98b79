package dev.rankql.train;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes training sets as LibSVM / SVMrank text: {@code grade qid:Q 1:v 2:v … # docid}.
 *
 * <p>Each data line is an integer grade, {@code qid:} and a query id, then {@code index:value} pairs with 1-based
 * feature indices in strictly increasing order; an absent index (or the value {@code nan}) is a missing value. The
 * text after {@code #} names the document: its first token, or the token after {@code docid=} as RankLib writes it;
 * a line without one gets the id {@code line-N} after its line number. Lines that start with {@code #} are comments,
 * except a {@code # features: name1 name2 …} line before the first row, which names the columns (otherwise they are
 * {@code f1 … fN} up to the largest index used). Rows of one query need not be adjacent. Every malformed line is a
 * {@link TrainingDataException} with the file, line and column.
 */
public final class LibSvmFormat {

    /** The comment that names the feature columns. */
    public static final String FEATURES_HEADER = "# features:";

    /** The largest feature index accepted: rows are dense, so a stray huge index must not allocate gigabytes. */
    public static final int MAX_FEATURES = 1 << 16;

    private static final Pattern HEADER = Pattern.compile("#\\s*features:(.*)");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DOC_ID = Pattern.compile("\\s*(?:docid\\s*=\\s*)?(\\S+).*");

    private LibSvmFormat() {}

    /** Reads a UTF-8 file. */
    public static TrainingSet read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /** Reads a training set; {@code source} names the input in error messages. */
    public static TrainingSet parse(Reader reader, String source) throws IOException {
        requireNonNull(source, "source");
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(requireNonNull(reader));
        List<String> names = null;
        List<SparseRow> rows = new ArrayList<>();
        int maxIndex = 0;
        String line;
        int lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (stripped.startsWith("#")) {
                Matcher header = HEADER.matcher(stripped);
                if (header.matches()) {
                    if (!rows.isEmpty() || names != null) {
                        throw new TrainingDataException(source, lineNumber, line.indexOf('#') + 1,
                                "the features header must come once, before the first row");
                    }
                    names = headerNames(header.group(1), source, lineNumber, line);
                }
                continue;
            }
            SparseRow row = parseRow(line, source, lineNumber, names == null ? MAX_FEATURES : names.size(),
                    names != null);
            if (row.indices.length > 0) {
                maxIndex = Math.max(maxIndex, row.indices[row.indices.length - 1]);
            }
            rows.add(row);
        }
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 1; i <= maxIndex; i++) {
                names.add("f" + i);
            }
        }
        TrainingSet.Builder builder = TrainingSet.builder(names);
        float[] dense = new float[names.size()];
        for (SparseRow row : rows) {
            Arrays.fill(dense, Float.NaN);
            for (int i = 0; i < row.indices.length; i++) {
                dense[row.indices[i] - 1] = row.values[i];
            }
            try {
                builder.add(row.queryId, row.docId, row.grade, dense);
            } catch (IllegalArgumentException e) {
                throw new TrainingDataException(source, row.line, 0, e.getMessage());
            }
        }
        return builder.build();
    }

    private static List<String> headerNames(String text, String source, int lineNumber, String line)
            throws TrainingDataException {
        List<String> names = new ArrayList<>();
        for (Token token : tokens(text, line.indexOf(':') + 1)) {
            names.add(token.text);
        }
        try {
            return TrainingSet.checkNames(names);
        } catch (IllegalArgumentException e) {
            throw new TrainingDataException(source, lineNumber, 0, e.getMessage());
        }
    }

    private static SparseRow parseRow(String line, String source, int lineNumber, int width, boolean named)
            throws TrainingDataException {
        int hash = line.indexOf('#');
        String data = hash < 0 ? line : line.substring(0, hash);
        String docId = "line-" + lineNumber;
        if (hash >= 0) {
            Matcher doc = DOC_ID.matcher(line.substring(hash + 1));
            if (doc.matches()) {
                docId = doc.group(1);
            }
        }
        List<Token> tokens = tokens(data, 0);
        if (tokens.size() < 2) {
            throw new TrainingDataException(source, lineNumber, tokens.isEmpty() ? 1 : tokens.get(0).column,
                    "expected 'grade qid:ID index:value …', found " + tokens.size() + " field"
                            + (tokens.size() == 1 ? "" : "s"));
        }
        Token gradeToken = tokens.get(0);
        if (!isInt(gradeToken.text)) {
            throw new TrainingDataException(source, lineNumber, gradeToken.column,
                    "grade must be an integer, found [" + gradeToken.text + "]");
        }
        Token qid = tokens.get(1);
        if (!qid.text.startsWith("qid:") || qid.text.length() == 4) {
            throw new TrainingDataException(source, lineNumber, qid.column,
                    "expected qid:ID after the grade, found [" + qid.text + "]");
        }
        int[] indices = new int[tokens.size() - 2];
        float[] values = new float[indices.length];
        int previous = 0;
        for (int i = 2; i < tokens.size(); i++) {
            Token pair = tokens.get(i);
            int colon = pair.text.indexOf(':');
            String index = colon < 0 ? pair.text : pair.text.substring(0, colon);
            if (colon < 0 || !INTEGER.matcher(index).matches() || index.startsWith("+") || index.startsWith("-")) {
                throw new TrainingDataException(source, lineNumber, pair.column,
                        "expected index:value with a positive integer index, found [" + pair.text + "]");
            }
            int feature = isInt(index) ? Integer.parseInt(index) : Integer.MAX_VALUE;
            if (feature < 1) {
                throw new TrainingDataException(source, lineNumber, pair.column,
                        "feature indices start at 1, found " + index);
            }
            if (feature <= previous) {
                throw new TrainingDataException(source, lineNumber, pair.column,
                        "feature indices must increase along a line: " + feature + " after " + previous);
            }
            if (feature > width) {
                throw new TrainingDataException(source, lineNumber, pair.column, "feature index " + index
                        + (named ? " is beyond the " + width + " features named in the header"
                                : " is beyond the limit of " + width + " features"));
            }
            String value = pair.text.substring(colon + 1);
            float parsed;
            if (value.toLowerCase(Locale.ROOT).equals("nan")) {
                parsed = Float.NaN;
            } else if (DECIMAL.matcher(value).matches()) {
                parsed = Float.parseFloat(value);
                if (Float.isInfinite(parsed)) {
                    throw new TrainingDataException(source, lineNumber, pair.column + colon + 1,
                            "value [" + value + "] is too large for a float");
                }
            } else {
                throw new TrainingDataException(source, lineNumber, pair.column + colon + 1,
                        "feature value must be a decimal number or nan, found [" + value + "]");
            }
            indices[i - 2] = feature;
            values[i - 2] = parsed;
            previous = feature;
        }
        return new SparseRow(lineNumber, qid.text.substring(4), docId, Integer.parseInt(gradeToken.text), indices,
                values);
    }

    private static boolean isInt(String text) {
        if (!INTEGER.matcher(text).matches()) {
            return false;
        }
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }

    private static List<Token> tokens(String text, int offset) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(new Token(text.substring(start, i), offset + start + 1));
            }
        }
        return tokens;
    }

    /** Writes a UTF-8 file. */
    public static void write(Path file, TrainingSet set) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            write(writer, set);
        }
    }

    /**
     * Writes the {@code # features:} header, then one line per row in group order; missing values are left out and
     * every value is written in the shortest form that reads back to the same float.
     */
    public static void write(Writer writer, TrainingSet set) throws IOException {
        requireNonNull(writer, "writer");
        StringBuilder line = new StringBuilder(FEATURES_HEADER);
        for (String name : set.featureNames()) {
            line.append(' ').append(name);
        }
        writer.write(line.append('\n').toString());
        int width = set.featureCount();
        for (int q = 0; q < set.queryCount(); q++) {
            String queryId = set.queryId(q);
            for (int row = set.groupStart(q), end = row + set.groupSize(q); row < end; row++) {
                line.setLength(0);
                line.append(set.grade(row)).append(" qid:").append(queryId);
                for (int f = 0; f < width; f++) {
                    float value = set.feature(row, f);
                    if (!Float.isNaN(value)) {
                        line.append(' ').append(f + 1).append(':').append(value);
                    }
                }
                line.append(" # ").append(set.docId(row)).append('\n');
                writer.write(line.toString());
            }
        }
        writer.flush();
    }

    private record Token(String text, int column) {}

    private record SparseRow(int line, String queryId, String docId, int grade, int[] indices, float[] values) {}
}
