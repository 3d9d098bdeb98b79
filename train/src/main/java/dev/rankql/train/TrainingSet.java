package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.eval.Qrels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable feature matrix for learning to rank: rows of (query id, document id, grade, dense float features)
 * stored contiguously per query, with {@code NaN} marking a missing feature value.
 *
 * <p>Queries keep the order in which they were first added, and rows keep their order within a query, so a training
 * set built twice from the same input is identical and the group layout is exactly what XGBoost's ranking objectives
 * need (one contiguous block per query). Features are one row-major {@code float[]} block.
 */
public final class TrainingSet {

    /** What a feature name may not contain: whitespace (file formats) and XGBoost's reserved {@code [ ] < ,}. */
    private static final Pattern BAD_NAME = Pattern.compile("[\\s\\[\\]<,]");
    private static final Pattern TOKEN = Pattern.compile("\\S+");

    private final List<String> featureNames;
    private final String[] queryIds;
    private final int[] groupStarts;
    private final String[] docIds;
    private final int[] grades;
    private final float[] features;

    private TrainingSet(List<String> featureNames, String[] queryIds, int[] groupStarts, String[] docIds,
            int[] grades, float[] features) {
        this.featureNames = featureNames;
        this.queryIds = queryIds;
        this.groupStarts = groupStarts;
        this.docIds = docIds;
        this.grades = grades;
        this.features = features;
    }

    /**
     * A builder for rows with the given feature columns.
     *
     * @throws IllegalArgumentException when a name is empty, repeated, or contains whitespace or one of {@code [ ] < ,}
     */
    public static Builder builder(List<String> featureNames) {
        return new Builder(checkNames(featureNames));
    }

    /** The feature names, one per column. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The number of feature columns. */
    public int featureCount() {
        return featureNames.size();
    }

    /** The number of rows (query-document pairs). */
    public int rowCount() {
        return docIds.length;
    }

    /** The number of queries (groups of rows). */
    public int queryCount() {
        return queryIds.length;
    }

    /** The query ids, in group order. */
    public List<String> queryIds() {
        return List.of(queryIds);
    }

    /** The id of the query of group {@code q}. */
    public String queryId(int q) {
        return queryIds[q];
    }

    /** The first row of group {@code q}. */
    public int groupStart(int q) {
        return groupStarts[q];
    }

    /** The number of rows of group {@code q}. */
    public int groupSize(int q) {
        return groupStarts[q + 1] - groupStarts[q];
    }

    /** The number of rows of every group, in group order (XGBoost's {@code group} information). */
    public int[] groupSizes() {
        int[] sizes = new int[queryIds.length];
        for (int q = 0; q < sizes.length; q++) {
            sizes[q] = groupSize(q);
        }
        return sizes;
    }

    /** The document id of a row. */
    public String docId(int row) {
        return docIds[row];
    }

    /** The grade (label) of a row. */
    public int grade(int row) {
        return grades[row];
    }

    /** One feature value of a row; {@code NaN} when missing. */
    public float feature(int row, int column) {
        Objects.checkIndex(column, featureNames.size());
        return features[row * featureNames.size() + column];
    }

    /** A copy of one row's features. */
    public float[] row(int row) {
        Objects.checkIndex(row, docIds.length);
        int width = featureNames.size();
        return Arrays.copyOfRange(features, row * width, (row + 1) * width);
    }

    /** A copy of the whole row-major feature block ({@code rowCount × featureCount}). */
    public float[] featureBlock() {
        return features.clone();
    }

    /** The grades of all rows as floats, XGBoost's labels. */
    public float[] labels() {
        float[] labels = new float[grades.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = grades[i];
        }
        return labels;
    }

    /** The grades of the rows as judgments, for evaluating a re-ranking of exactly these candidates. */
    public Qrels qrels() {
        Qrels.Builder builder = Qrels.builder();
        for (int q = 0; q < queryIds.length; q++) {
            for (int row = groupStarts[q]; row < groupStarts[q + 1]; row++) {
                builder.add(queryIds[q], docIds[row], grades[row]);
            }
        }
        return builder.build();
    }

    /**
     * The documents of each query ranked by the given per-row scores, highest first; equal scores keep row order.
     *
     * @throws IllegalArgumentException when there is not exactly one score per row
     */
    public Map<String, List<String>> rank(float[] scores) {
        if (scores.length != docIds.length) {
            throw new IllegalArgumentException("expected " + docIds.length + " scores, one per row, found "
                    + scores.length);
        }
        Map<String, List<String>> rankings = new LinkedHashMap<>();
        for (int q = 0; q < queryIds.length; q++) {
            int start = groupStarts[q];
            Integer[] order = new Integer[groupSize(q)];
            for (int i = 0; i < order.length; i++) {
                order[i] = start + i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
            List<String> ranked = new ArrayList<>(order.length);
            for (int row : order) {
                ranked.add(docIds[row]);
            }
            rankings.put(queryIds[q], Collections.unmodifiableList(ranked));
        }
        return Collections.unmodifiableMap(rankings);
    }

    /**
     * The rows of the given queries only, in this set's query order.
     *
     * @throws IllegalArgumentException when a query id is not in this set
     */
    public TrainingSet select(Collection<String> wanted) {
        Set<String> keep = new HashSet<>(wanted);
        Set<String> known = new HashSet<>(Arrays.asList(queryIds));
        for (String id : keep) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("query [" + id + "] is not in the training set");
            }
        }
        Builder builder = new Builder(featureNames);
        for (int q = 0; q < queryIds.length; q++) {
            if (keep.contains(queryIds[q])) {
                for (int row = groupStarts[q]; row < groupStarts[q + 1]; row++) {
                    builder.add(queryIds[q], docIds[row], grades[row], row(row));
                }
            }
        }
        return builder.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingSet t && featureNames.equals(t.featureNames)
                && Arrays.equals(queryIds, t.queryIds) && Arrays.equals(groupStarts, t.groupStarts)
                && Arrays.equals(docIds, t.docIds) && Arrays.equals(grades, t.grades)
                && Arrays.equals(features, t.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureNames, Arrays.hashCode(queryIds), Arrays.hashCode(docIds),
                Arrays.hashCode(grades), Arrays.hashCode(features));
    }

    @Override
    public String toString() {
        return "TrainingSet[" + queryIds.length + " queries, " + docIds.length + " rows, " + featureNames.size()
                + " features]";
    }

    static List<String> checkNames(List<String> names) {
        requireNonNull(names, "featureNames");
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            checkName(name);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("feature name [" + name + "] appears twice");
            }
        }
        return List.copyOf(names);
    }

    static void checkName(String name) {
        requireNonNull(name, "feature name");
        if (name.isEmpty() || BAD_NAME.matcher(name).find()) {
            throw new IllegalArgumentException("feature name must be non-empty, without whitespace and without "
                    + "'[', ']', '<' or ',', found [" + name + "]");
        }
    }

    static void checkId(String id, String what) {
        requireNonNull(id, what);
        if (!TOKEN.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be non-empty and without whitespace, found [" + id + "]");
        }
    }

    /**
     * Collects rows; rows of one query need not be added together, {@link #build()} groups them by query in the order
     * each query was first seen.
     */
    public static final class Builder {

        private final List<String> featureNames;
        private final Map<String, List<Integer>> rowsByQuery = new LinkedHashMap<>();
        private final Map<String, Set<String>> docsByQuery = new HashMap<>();
        private final List<String> docIds = new ArrayList<>();
        private final List<Integer> grades = new ArrayList<>();
        private float[] features = new float[64];
        private int rows;

        private Builder(List<String> featureNames) {
            this.featureNames = featureNames;
        }

        /** The feature names of this builder's columns. */
        public List<String> featureNames() {
            return featureNames;
        }

        /**
         * Adds one row; {@code NaN} marks a missing value.
         *
         * @throws IllegalArgumentException when an id is empty or has whitespace, the number of values differs from
         *     the number of features, a value is infinite, or the document already has a row for this query
         */
        public Builder add(String queryId, String docId, int grade, float[] values) {
            checkId(queryId, "query id");
            checkId(docId, "document id");
            requireNonNull(values, "values");
            int width = featureNames.size();
            if (values.length != width) {
                throw new IllegalArgumentException("expected " + width + " feature values, found " + values.length);
            }
            for (int f = 0; f < width; f++) {
                if (Float.isInfinite(values[f])) {
                    throw new IllegalArgumentException("feature [" + featureNames.get(f) + "] of document [" + docId
                            + "] is infinite; use NaN for a missing value");
                }
            }
            if (!docsByQuery.computeIfAbsent(queryId, q -> new HashSet<>()).add(docId)) {
                throw new IllegalArgumentException("document [" + docId + "] has two rows for query [" + queryId
                        + "]");
            }
            if ((long) (rows + 1) * width > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many feature values for one array: " + (rows + 1) + " rows × "
                        + width + " features");
            }
            if ((rows + 1) * width > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max((long) (rows + 1) * width, 2L * features.length)));
            }
            System.arraycopy(values, 0, features, rows * width, width);
            rowsByQuery.computeIfAbsent(queryId, q -> new ArrayList<>()).add(rows);
            docIds.add(docId);
            grades.add(grade);
            rows++;
            return this;
        }

        /** The number of rows added so far. */
        public int rowCount() {
            return rows;
        }

        /** The training set, rows grouped by query. */
        public TrainingSet build() {
            int width = featureNames.size();
            String[] queryIds = rowsByQuery.keySet().toArray(String[]::new);
            int[] starts = new int[queryIds.length + 1];
            String[] outDocs = new String[rows];
            int[] outGrades = new int[rows];
            float[] outFeatures = new float[rows * width];
            int next = 0;
            for (int q = 0; q < queryIds.length; q++) {
                starts[q] = next;
                for (int row : rowsByQuery.get(queryIds[q])) {
                    outDocs[next] = docIds.get(row);
                    outGrades[next] = grades.get(row);
                    System.arraycopy(features, row * width, outFeatures, next * width, width);
                    next++;
                }
            }
            starts[queryIds.length] = next;
            return new TrainingSet(featureNames, queryIds, starts, outDocs, outGrades, outFeatures);
        }
    }
}
