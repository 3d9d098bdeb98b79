package dev.rankql.engine.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes judgment files: the tab-separated {@code query-id doc-id grade} layout with a header line used by
 * BEIR and {@code ../shared/data}, and TREC qrels {@code query-id iteration doc-id grade}.
 *
 * <p>Reading splits every line on runs of spaces and tabs, so ids never contain whitespace; blank lines are skipped;
 * a first line whose grade field is not an integer is a header and is skipped. Three fields are
 * {@code query-id doc-id grade}, four are TREC's {@code query-id iteration doc-id grade} with the iteration ignored.
 * Grades are integers. Anything else, and a second judgment of the same document for the same query, is an
 * {@link EvalFormatException} naming the file and line.
 */
public final class QrelsFile {

    /** The header written by {@link #write(Writer, Qrels)}, as in the shared data sets. */
    public static final String HEADER = "query-id\tdoc-id\tgrade";

    private QrelsFile() {}

    /** Reads a UTF-8 judgment file. */
    public static Qrels read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /** Reads judgments from a reader; {@code source} names the input in error messages. */
    public static Qrels parse(Reader reader, String source) throws IOException {
        requireNonNull(source, "source");
        List<String> lines = Lines.readAll(requireNonNull(reader, "reader"));
        Qrels.Builder builder = Qrels.builder();
        Map<String, Integer> firstLine = new HashMap<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String[] fields = Lines.fields(lines.get(i));
            if (fields.length == 0) {
                continue;
            }
            boolean header = first;
            first = false;
            if (fields.length != 3 && fields.length != 4) {
                if (header && fields.length > 0 && !Lines.isInt(fields[fields.length - 1])) {
                    continue;
                }
                throw new EvalFormatException(source, lineNumber, "expected 3 fields (query-id doc-id grade) or 4 "
                        + "(query-id iteration doc-id grade), found " + fields.length);
            }
            String grade = fields[fields.length - 1];
            if (!Lines.isInt(grade)) {
                if (header) {
                    continue;
                }
                throw new EvalFormatException(source, lineNumber, "grade must be an integer, found [" + grade + "]");
            }
            String queryId = fields[0];
            String docId = fields[fields.length - 2];
            String key = queryId + '\u0000' + docId;
            Integer previous = firstLine.putIfAbsent(key, lineNumber);
            if (previous != null) {
                throw new EvalFormatException(source, lineNumber, "document [" + docId + "] is judged twice for query ["
                        + queryId + "]; first judged on line " + previous);
            }
            builder.add(queryId, docId, Integer.parseInt(grade));
        }
        return builder.build();
    }

    /** Writes the judgments as UTF-8 {@code query-id<TAB>doc-id<TAB>grade} lines after {@link #HEADER}. */
    public static void write(Path file, Qrels qrels) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            write(writer, qrels);
        }
    }

    /** Writes the judgments in the tab-separated layout, queries and documents in the order of {@code qrels}. */
    public static void write(Writer writer, Qrels qrels) throws IOException {
        requireNonNull(writer, "writer");
        writer.write(HEADER);
        writer.write('\n');
        for (String queryId : qrels.queryIds()) {
            for (Map.Entry<String, Integer> judgment : qrels.judgments(queryId).entrySet()) {
                writer.write(queryId + '\t' + judgment.getKey() + '\t' + judgment.getValue() + '\n');
            }
        }
        writer.flush();
    }
}
