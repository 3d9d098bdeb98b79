package dev.rankql.engine.eval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes TREC run files, one line per retrieved document: {@code query-id Q0 doc-id rank score tag}.
 *
 * <p>Evaluators such as trec_eval ignore the rank column and re-sort each query by score (descending), breaking
 * ties by document id descending. So {@link #write} makes the scores of every query strictly decreasing in the
 * order given, changing as few as it must (see {@link #strictlyDecreasing}), and {@link #read} returns each ranking
 * in trec_eval's order ({@link Run#TREC_EVAL_ORDER}), whatever the rank column says.
 *
 * <p>Reading splits lines on runs of spaces and tabs, skips blank lines and lines starting with {@code #} (as
 * trec_eval does), and requires exactly six fields, an integer rank and a finite decimal score. A document listed
 * twice for one query is an error, as in trec_eval. Errors are {@link EvalFormatException}s naming file and line.
 */
public final class RunFile {

    private RunFile() {}

    /** Reads a UTF-8 run file; each ranking in trec_eval's order. */
    public static Run read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /** Reads a run from a reader, each ranking in trec_eval's order; {@code source} names the input in errors. */
    public static Run parse(Reader reader, String source) throws IOException {
        requireNonNull(source, "source");
        List<String> lines = Lines.readAll(requireNonNull(reader, "reader"));
        Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String[] fields = Lines.fields(lines.get(i));
            if (fields.length == 0 || fields[0].startsWith("#")) {
                continue;
            }
            if (fields.length != 6) {
                throw new EvalFormatException(source, lineNumber,
                        "expected 6 fields (query-id Q0 doc-id rank score tag), found " + fields.length);
            }
            if (!Lines.isInt(fields[3])) {
                throw new EvalFormatException(source, lineNumber, "rank must be an integer, found [" + fields[3] + "]");
            }
            if (!Lines.isDecimal(fields[4]) || !Double.isFinite(Double.parseDouble(fields[4]))) {
                throw new EvalFormatException(source, lineNumber,
                        "score must be a finite decimal number, found [" + fields[4] + "]");
            }
            String queryId = fields[0];
            String docId = fields[2];
            Integer previous = firstLine.putIfAbsent(queryId + '\u0000' + docId, lineNumber);
            if (previous != null) {
                throw new EvalFormatException(source, lineNumber, "document [" + docId
                        + "] is ranked twice for query [" + queryId + "]; first on line " + previous);
            }
            rankings.computeIfAbsent(queryId, q -> new ArrayList<>())
                    .add(new ScoredDoc(docId, Double.parseDouble(fields[4])));
        }
        return Run.of(rankings).trecEvalOrder();
    }

    /** Writes the run as a UTF-8 file; see {@link #write(Writer, Run, String)}. */
    public static void write(Path file, Run run, String tag) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            write(writer, run, tag);
        }
    }

    /**
     * Writes one line per document, queries and documents in the run's order, ranks from 1, and scores made strictly
     * decreasing by {@link #strictlyDecreasing} so that re-sorting by score restores this order.
     *
     * @param tag the run name in the last column; non-empty, without whitespace
     */
    public static void write(Writer writer, Run run, String tag) throws IOException {
        requireNonNull(writer, "writer");
        requireNonNull(run, "run");
        Qrels.checkId(tag, "run tag");
        StringBuilder line = new StringBuilder();
        for (String queryId : run.queryIds()) {
            List<ScoredDoc> ranking = run.ranking(queryId);
            double[] scores = new double[ranking.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = ranking.get(i).score();
            }
            double[] written = strictlyDecreasing(scores);
            for (int i = 0; i < written.length; i++) {
                line.setLength(0);
                line.append(queryId).append(" Q0 ").append(ranking.get(i).docId()).append(' ').append(i + 1)
                        .append(' ').append(Double.toString(written[i])).append(' ').append(tag).append('\n');
                writer.append(line);
            }
        }
        writer.flush();
    }

    /**
     * The scores to write for one ranking: each score is kept when it is below the score written before it;
     * otherwise (a tie, or a score above the previous one) it becomes the largest double below the previously
     * written score ({@link Math#nextDown(double)}).
     *
     * <p>The result is strictly decreasing, equals the input wherever the input already was, and is written in
     * Java's shortest round-trip decimal form, so a reader parsing the text as a double (trec_eval's {@code atof},
     * Python's {@code float}) gets exactly these values back.
     *
     * @throws IllegalArgumentException in the absurd case that a score would have to go below
     *     {@code -Double.MAX_VALUE}
     */
    static double[] strictlyDecreasing(double[] scores) {
        double[] written = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            written[i] = i == 0 || scores[i] < written[i - 1] ? scores[i] : Math.nextDown(written[i - 1]);
            if (Double.isInfinite(written[i])) {
                throw new IllegalArgumentException("cannot write a score below " + written[i - 1]
                        + " to keep rank " + (i + 1) + " below rank " + i);
            }
        }
        return written;
    }
}
