package dev.rankql.models.lsa;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A latent semantic analysis embedding: bags of analysed terms mapped to unit vectors in the span of the leading
 * right singular vectors of a tf-idf weighted document-term matrix (see the {@linkplain dev.rankql.models.lsa package}).
 */
public final class LsaModel {

    private final int dimensions;
    private final int documents;
    private final int minDocFreq;
    private final long seed;
    private final Map<String, String> metadata;
    private final double[] singularValues;
    private final String[] terms;
    private final int[] docFreqs;
    private final float[] vectors;
    private final double[] idf;
    private final Map<String, Integer> index;

    /** Callers have validated every argument: {@link #fit} by construction, {@link LsaJson} field by field. */
    LsaModel(int dimensions, int documents, int minDocFreq, long seed, Map<String, String> metadata,
            double[] singularValues, String[] terms, int[] docFreqs, float[] vectors) {
        this.dimensions = dimensions;
        this.documents = documents;
        this.minDocFreq = minDocFreq;
        this.seed = seed;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.singularValues = singularValues;
        this.terms = terms;
        this.docFreqs = docFreqs;
        this.vectors = vectors;
        this.idf = new double[terms.length];
        this.index = HashMap.newHashMap(terms.length);
        for (int t = 0; t < terms.length; t++) {
            idf[t] = idf(documents, docFreqs[t]);
            index.put(terms[t], t);
        }
    }

    /**
     * Fits a model to documents given as bags of analysed terms (term -> count within the document).
     *
     * @param documents  the training documents, each a bag of terms with positive counts
     * @param dimensions k, the number of latent dimensions; from 1 to below min(documents, vocabulary size)
     * @param minDocFreq the least number of documents a term must occur in to enter the vocabulary; at least 1
     * @param seed       the seed of the Gaussian test matrix, so that a fit is reproducible
     * @param metadata   opaque strings stored with the model (how the terms were analysed), kept in iteration order
     * @throws IllegalArgumentException when an argument is out of range or a bag has a null or empty term or a count
     *                                  below 1, or when the vocabulary is empty
     */
    public static LsaModel fit(List<? extends Map<String, Integer>> documents, int dimensions, int minDocFreq,
            long seed, Map<String, String> metadata) {
        requireNonNull(documents, "documents");
        requireNonNull(metadata, "metadata");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions);
        }
        if (minDocFreq < 1) {
            throw new IllegalArgumentException("minDocFreq must be at least 1, got " + minDocFreq);
        }
        int n = documents.size();
        if (n < 2) {
            throw new IllegalArgumentException("an LSA model needs at least 2 documents, got " + n);
        }
        Map<String, String> checkedMetadata = checkMetadata(metadata);
        Map<String, int[]> frequencies = new HashMap<>();
        int d = 0;
        for (Map<String, Integer> bag : documents) {
            if (bag == null) {
                throw new IllegalArgumentException("documents[" + d + "] is null");
            }
            for (Map.Entry<String, Integer> entry : bag.entrySet()) {
                checkEntry("documents[" + d + "]: ", entry);
                frequencies.computeIfAbsent(entry.getKey(), t -> new int[1])[0]++;
            }
            d++;
        }
        String[] terms = frequencies.entrySet().stream()
                .filter(e -> e.getValue()[0] >= minDocFreq && e.getValue()[0] < n)
                .map(Map.Entry::getKey)
                .sorted()
                .toArray(String[]::new);
        if (terms.length == 0) {
            throw new IllegalArgumentException("the vocabulary is empty: no term occurs in at least " + minDocFreq
                    + " and in fewer than all " + n + " documents");
        }
        int limit = Math.min(n, terms.length);
        if (dimensions >= limit) {
            throw new IllegalArgumentException("dimensions must be below min(documents, vocabulary size) = min(" + n
                    + ", " + terms.length + ") = " + limit + ", got " + dimensions);
        }
        int[] docFreqs = new int[terms.length];
        Map<String, Integer> column = HashMap.newHashMap(terms.length);
        for (int t = 0; t < terms.length; t++) {
            docFreqs[t] = frequencies.get(terms[t])[0];
            column.put(terms[t], t);
        }
        SparseRows matrix = weights(documents, column, docFreqs);
        RandomizedSvd.Result svd = RandomizedSvd.compute(matrix, dimensions, seed);
        double[] right = svd.vectors();
        float[] vectors = new float[right.length];
        for (int i = 0; i < right.length; i++) {
            vectors[i] = (float) right[i];
        }
        return new LsaModel(dimensions, n, minDocFreq, seed, checkedMetadata, svd.values(), terms, docFreqs,
                vectors);
    }

    /**
     * The weight matrix, each row's entries in column order so that a fit does not depend on the iteration order of
     * the bags.
     */
    private static SparseRows weights(List<? extends Map<String, Integer>> documents, Map<String, Integer> column,
            int[] docFreqs) {
        int n = documents.size();
        int[] rowStart = new int[n + 1];
        int d = 0;
        for (Map<String, Integer> bag : documents) {
            int kept = 0;
            for (String term : bag.keySet()) {
                if (column.containsKey(term)) {
                    kept++;
                }
            }
            rowStart[d + 1] = Math.addExact(rowStart[d], kept);
            d++;
        }
        int[] columns = new int[rowStart[n]];
        double[] values = new double[rowStart[n]];
        long[] packed = new long[0];
        d = 0;
        for (Map<String, Integer> bag : documents) {
            int count = rowStart[d + 1] - rowStart[d];
            if (packed.length < count) {
                packed = new long[count];
            }
            int i = 0;
            for (Map.Entry<String, Integer> entry : bag.entrySet()) {
                Integer c = column.get(entry.getKey());
                if (c != null) {
                    packed[i++] = ((long) c << 32) | entry.getValue();
                }
            }
            Arrays.sort(packed, 0, count);
            for (int j = 0; j < count; j++) {
                int c = (int) (packed[j] >>> 32);
                int tf = (int) packed[j];
                columns[rowStart[d] + j] = c;
                values[rowStart[d] + j] = weight(tf, idf(n, docFreqs[c]));
            }
            d++;
        }
        return new SparseRows(n, column.size(), rowStart, columns, values);
    }

    private static double idf(int documents, int docFreq) {
        return Math.log((double) documents / docFreq);
    }

    private static double weight(int termFrequency, double idf) {
        return (1 + Math.log(termFrequency)) * idf;
    }

    private static void checkEntry(String where, Map.Entry<String, Integer> entry) {
        String term = entry.getKey();
        if (term == null) {
            throw new IllegalArgumentException(where + "a term is null");
        }
        if (term.isEmpty()) {
            throw new IllegalArgumentException(where + "a term is empty");
        }
        Integer count = entry.getValue();
        if (count == null) {
            throw new IllegalArgumentException(where + "the count of term \"" + term + "\" is null");
        }
        if (count < 1) {
            throw new IllegalArgumentException(where + "the count of term \"" + term + "\" must be positive, got "
                    + count);
        }
    }

    private static Map<String, String> checkMetadata(Map<String, String> metadata) {
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null) {
                throw new IllegalArgumentException("metadata: a key is null");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("metadata: the value of \"" + entry.getKey() + "\" is null");
            }
            copy.put(entry.getKey(), entry.getValue());
        }
        return copy;
    }

    /** k, the number of latent dimensions. */
    public int dimensions() {
        return dimensions;
    }

    /** N, the number of documents the model was fitted on, which the idf of every term is relative to. */
    public int documentCount() {
        return documents;
    }

    /** The number of terms in the vocabulary. */
    public int vocabularySize() {
        return terms.length;
    }

    /** The least document frequency of a vocabulary term, as given to {@link #fit}. */
    public int minDocFreq() {
        return minDocFreq;
    }

    /** The seed of the random test matrix, as given to {@link #fit}. */
    public long seed() {
        return seed;
    }

    /** The opaque strings the model was fitted with, in their original order; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A copy of the k leading singular values of the weight matrix, descending. */
    public double[] singularValues() {
        return singularValues.clone();
    }

    /**
     * The L2-normalised embedding of a bag of analysed terms; empty when none of its terms is in the vocabulary (or,
     * in a degenerate model, when their weighted vectors cancel out exactly).
     *
     * @throws IllegalArgumentException when the bag has a null or empty term or a count below 1
     */
    public Optional<float[]> embed(Map<String, Integer> termCounts) {
        requireNonNull(termCounts, "termCounts");
        int k = dimensions;
        double[] sum = new double[k];
        boolean known = false;
        for (Map.Entry<String, Integer> entry : termCounts.entrySet()) {
            checkEntry("", entry);
            Integer t = index.get(entry.getKey());
            if (t == null) {
                continue;
            }
            known = true;
            double w = weight(entry.getValue(), idf[t]);
            int row = t * k;
            for (int c = 0; c < k; c++) {
                sum[c] += w * vectors[row + c];
            }
        }
        double squares = 0;
        for (double v : sum) {
            squares += v * v;
        }
        if (!known || squares == 0) {
            return Optional.empty();
        }
        double norm = Math.sqrt(squares);
        float[] embedding = new float[k];
        for (int c = 0; c < k; c++) {
            embedding[c] = (float) (sum[c] / norm);
        }
        return Optional.of(embedding);
    }

    /** Writes the model as JSON (see the {@linkplain dev.rankql.models.lsa package} for the format); does not close {@code out}. */
    public void write(Writer out) throws IOException {
        LsaJson.write(this, out);
    }

    /**
     * Reads a model written by {@link #write}; does not close {@code in}.
     *
     * @throws LsaFormatException when the input is not such a model, naming the JSON path of the first problem
     */
    public static LsaModel read(Reader in) throws IOException {
        return LsaJson.read(in);
    }

    String[] terms() {
        return terms;
    }

    int[] docFreqs() {
        return docFreqs;
    }

    float[] vectors() {
        return vectors;
    }

    double[] singularValuesView() {
        return singularValues;
    }
}
