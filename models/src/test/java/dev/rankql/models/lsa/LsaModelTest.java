package dev.rankql.models.lsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsaModelTest {

    private static final Map<String, String> METADATA = meta("fields", "title,text", "analyzer", "english");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void singularValuesAreExactWhenTheSampleCoversTheWholeRange(long seed) {
        // Twelve terms: k + p >= the vocabulary size, so the range finder captures A's whole row space.
        List<Map<String, Integer>> documents = randomDocuments(seed, 40, 12, 5);
        LsaModel model = LsaModel.fit(documents, 4, 1, seed, METADATA);
        Dense dense = Dense.of(documents, 1);

        assertThat(model.vocabularySize()).isEqualTo(dense.terms.length);
        assertSingularValues(model, dense);
        assertTrainingEmbeddings(model, documents, dense);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void singularValuesAreExactWhenTheMatrixHasLowRank(long seed) {
        // 90 documents over ~60 terms, but every document copies one of 8 templates: rank 8 <= k + p, while
        // k + p < min(N, V), so the test matrix really samples a subspace.
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Integer>> templates = randomDocuments(seed, 8, 60, 9);
        List<Map<String, Integer>> documents = new ArrayList<>();
        for (int d = 0; d < 90; d++) {
            documents.add(new HashMap<>(templates.get(random.nextInt(templates.size()))));
        }
        LsaModel model = LsaModel.fit(documents, 5, 1, seed, Map.of());
        Dense dense = Dense.of(documents, 1);

        assertThat(model.vocabularySize()).isGreaterThan(5 + RandomizedSvd.OVERSAMPLING);
        assertSingularValues(model, dense);
        assertTrainingEmbeddings(model, documents, dense);
    }

    @Test
    void fitsACorpusWithFewerIndependentDocumentsThanSampleColumns() {
        // Nine documents, one empty and two identical: the projected matrix (9 x 9, as k + 10 > 9) has rank 7, so a
        // Householder step meets a zero column, which EJML reports as a failure of a factorisation that is sound.
        List<Map<String, Integer>> documents = List.of(
                Map.of("wing", 2, "lift", 2, "drag", 1), Map.of("airfoil", 2, "lift", 2, "drag", 1),
                Map.of("wing", 2, "lift", 2, "drag", 1), Map.of("airfoil", 1, "lift", 1, "drag", 1, "speed", 1),
                Map.of("slab", 2, "heat", 2, "conduction", 1), Map.of("plate", 2, "heat", 2, "conduction", 1),
                Map.of("slab", 1, "heat", 1, "conduction", 2), Map.of("plate", 1, "heat", 1, "speed", 1), Map.of());
        LsaModel model = LsaModel.fit(documents, 2, 2, 7, METADATA);

        assertThat(model.documentCount()).isEqualTo(9);
        for (double value : model.singularValues()) {
            assertThat(value).isFinite().isPositive();
        }
        assertThat(model.embed(Map.of()).isPresent()).isFalse();
        float[] wing = model.embed(Map.of("wing", 1)).orElseThrow();
        float[] airfoil = model.embed(Map.of("airfoil", 1)).orElseThrow();
        float[] slab = model.embed(Map.of("slab", 1)).orElseThrow();
        assertThat(wing[0] * airfoil[0] + wing[1] * airfoil[1]).isGreaterThan(0.9f);
        assertThat(wing[0] * slab[0] + wing[1] * slab[1]).isLessThan(0.5f);
    }

    @Test
    void singularValuesAreAccurateWithAStrongSpectralGap() {
        // Three disjoint topics give three dominant directions; the rest is weak, topic-wide noise.
        SplittableRandom random = new SplittableRandom(99);
        List<Map<String, Integer>> documents = new ArrayList<>();
        for (int d = 0; d < 120; d++) {
            int topic = d % 3;
            Map<String, Integer> bag = new HashMap<>();
            for (int t = 0; t < 10; t++) {
                bag.put("topic" + topic + "_" + t, 6);
            }
            bag.put("noise" + random.nextInt(200), 1);
            documents.add(bag);
        }
        LsaModel model = LsaModel.fit(documents, 3, 1, 5, Map.of());
        Dense dense = Dense.of(documents, 1);
        double[] values = model.singularValues();
        for (int i = 0; i < 3; i++) {
            assertThat(values[i]).isCloseTo(dense.values[i], within(1e-6 * dense.values[i]));
        }
    }

    @Test
    void everySingularVectorHasAPositiveLargestComponent() {
        LsaModel model = LsaModel.fit(randomDocuments(3, 60, 80, 12), 6, 2, 3, Map.of());
        int k = model.dimensions();
        float[] vectors = model.vectors();
        for (int d = 0; d < k; d++) {
            float largest = 0;
            for (int t = 0; t < model.vocabularySize(); t++) {
                float v = vectors[t * k + d];
                if (Math.abs(v) > Math.abs(largest)) {
                    largest = v;
                }
            }
            assertThat(largest).as("dimension %d", d).isPositive();
        }
    }

    @Test
    void theVocabularyKeepsTermsFromMinDocFreqToBelowAllDocuments() {
        List<Map<String, Integer>> documents = List.of(
                bag("every", 1, "twice", 1, "once", 1, "a", 1),
                bag("every", 2, "twice", 1, "b", 1, "c", 1),
                bag("every", 1, "thrice", 1, "a", 2, "d", 1),
                bag("every", 1, "thrice", 1, "b", 1, "e", 3),
                bag("every", 1, "thrice", 1, "c", 1, "e", 1));
        LsaModel model = LsaModel.fit(documents, 2, 2, 1, Map.of());

        assertThat(model.terms()).containsExactly("a", "b", "c", "e", "thrice", "twice");
        assertThat(model.docFreqs()).containsExactly(2, 2, 2, 2, 3, 2);
        assertThat(model.documentCount()).isEqualTo(5);
        assertThat(model.vocabularySize()).isEqualTo(6);
        assertThat(model.dimensions()).isEqualTo(2);
        assertThat(model.minDocFreq()).isEqualTo(2);
        assertThat(model.seed()).isEqualTo(1);
        assertThat(model.embed(bag("every", 3, "once", 1, "unknown", 1))).isEmpty();
        assertThat(model.embed(Map.of())).isEmpty();
    }

    @Test
    void termsThatAlwaysCoOccurEmbedAlikeAndUnrelatedTermsDoNot() {
        String[] vehicles = {"engine", "wheel", "road", "driver", "garage", "fuel"};
        String[] fruit = {"banana", "apple", "juice", "orchard", "peel", "ripe"};
        SplittableRandom random = new SplittableRandom(8);
        List<Map<String, Integer>> documents = new ArrayList<>();
        for (int d = 0; d < 200; d++) {
            boolean aboutVehicles = d % 2 == 0;
            String[] topic = aboutVehicles ? vehicles : fruit;
            Map<String, Integer> bag = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                bag.merge(topic[random.nextInt(topic.length)], 1, Integer::sum);
            }
            if (aboutVehicles && random.nextInt(3) == 0) {
                int count = 1 + random.nextInt(3);
                bag.put("car", count);
                bag.put("automobile", count);
            }
            documents.add(bag);
        }
        LsaModel model = LsaModel.fit(documents, 2, 1, 17, Map.of());

        float[] car = model.embed(Map.of("car", 1)).orElseThrow();
        assertThat(cosine(car, model.embed(Map.of("automobile", 1)).orElseThrow())).isGreaterThan(0.999999);
        assertThat(cosine(car, model.embed(Map.of("engine", 2, "road", 1)).orElseThrow())).isGreaterThan(0.9);
        assertThat(Math.abs(cosine(car, model.embed(Map.of("banana", 1)).orElseThrow()))).isLessThan(0.2);
        assertThat(Math.abs(cosine(car, model.embed(Map.of("juice", 1, "peel", 1)).orElseThrow()))).isLessThan(0.2);
    }

    @Test
    void anEmbeddingHasUnitLength() {
        LsaModel model = LsaModel.fit(randomDocuments(4, 50, 40, 8), 5, 1, 4, Map.of());
        float[] embedding = model.embed(bag("t1", 3, "t7", 1, "t20", 2, "nope", 4)).orElseThrow();
        assertThat(embedding).hasSize(5);
        assertThat(cosine(embedding, embedding)).isCloseTo(1.0, within(1e-6));
        double squares = 0;
        for (float v : embedding) {
            squares += v * v;
        }
        assertThat(squares).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void twoFitsOfTheSameInputWriteTheSameBytesWhateverTheBagOrder() throws IOException {
        List<Map<String, Integer>> documents = randomDocuments(21, 80, 120, 15);
        List<Map<String, Integer>> reordered = new ArrayList<>();
        for (Map<String, Integer> document : documents) {
            List<String> keys = new ArrayList<>(new TreeSet<>(document.keySet()).descendingSet());
            Map<String, Integer> bag = new LinkedHashMap<>();
            keys.forEach(key -> bag.put(key, document.get(key)));
            reordered.add(bag);
        }
        String first = json(LsaModel.fit(documents, 7, 2, 5, METADATA));
        assertThat(json(LsaModel.fit(documents, 7, 2, 5, METADATA))).isEqualTo(first);
        assertThat(json(LsaModel.fit(reordered, 7, 2, 5, METADATA))).isEqualTo(first);
        assertThat(json(LsaModel.fit(documents, 7, 2, 6, METADATA))).isNotEqualTo(first);
    }

    @Test
    void aWrittenModelReadsBackBitForBit() throws IOException {
        LsaModel model = LsaModel.fit(randomDocuments(31, 70, 90, 12), 8, 2, -123456789012345L, METADATA);
        String text = json(model);
        LsaModel back = LsaModel.read(new StringReader(text));

        assertThat(json(back)).isEqualTo(text);
        assertSameModel(back, model);
        assertThat(back.metadata()).containsExactly(Map.entry("fields", "title,text"), Map.entry("analyzer", "english"));
        Map<String, Integer> query = bag("t3", 2, "t10", 1, "t44", 1);
        assertThat(back.embed(query).orElseThrow()).isEqualTo(model.embed(query).orElseThrow());
    }

    @Test
    void everyFiniteFloatAndDoubleSurvivesTheRoundTrip() throws IOException {
        // Random bit patterns reach subnormals, extremes and values whose shortest decimal has nine digits.
        SplittableRandom random = new SplittableRandom(5);
        int terms = 500;
        int k = 4;
        float[] vectors = new float[terms * k];
        for (int i = 0; i < vectors.length; i++) {
            float v;
            do {
                v = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(v));
            vectors[i] = v;
        }
        vectors[0] = -0.0f;
        vectors[1] = Float.MIN_VALUE;
        vectors[2] = Float.MAX_VALUE;
        double[] values = new double[k];
        for (int i = 0; i < k; i++) {
            values[i] = Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE);
            if (!Double.isFinite(values[i])) {
                values[i] = Double.MAX_VALUE;
            }
        }
        Arrays.sort(values);
        for (int i = 0; i < k / 2; i++) {
            double swap = values[i];
            values[i] = values[k - 1 - i];
            values[k - 1 - i] = swap;
        }
        String[] names = new String[terms];
        int[] docFreqs = new int[terms];
        for (int t = 0; t < terms; t++) {
            names[t] = String.format("t%04d", t);
            docFreqs[t] = 1 + t % 9;
        }
        names[terms - 1] = "\u00fcber \"quoted\" \\ \u4e2d";
        LsaModel model = new LsaModel(k, 10, 1, Long.MIN_VALUE, meta("a b", "\n\t\u0001"), values, names, docFreqs,
                vectors);

        String text = json(model);
        LsaModel back = LsaModel.read(new StringReader(text));
        assertSameModel(back, model);
        assertThat(json(back)).isEqualTo(text);
    }

    @Test
    void writeAndReadLeaveTheStreamsOpen() throws IOException {
        LsaModel model = LsaModel.fit(randomDocuments(1, 30, 20, 5), 2, 1, 1, Map.of());
        StringWriter out = new StringWriter() {
            @Override
            public void close() {
                throw new AssertionError("the caller's writer was closed");
            }
        };
        model.write(out);
        StringReader in = new StringReader(out.toString()) {
            @Override
            public void close() {
                throw new AssertionError("the caller's reader was closed");
            }
        };
        assertSameModel(LsaModel.read(in), model);
    }

    @Test
    void theMetadataKeepsItsOrderAndCannotBeChanged() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("a", "2");
        metadata.put("m", "3");
        LsaModel model = LsaModel.fit(randomDocuments(1, 30, 20, 5), 2, 1, 1, metadata);
        metadata.put("later", "4");

        assertThat(model.metadata()).containsExactly(Map.entry("z", "1"), Map.entry("a", "2"), Map.entry("m", "3"));
        assertThatThrownBy(() -> model.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        double[] values = model.singularValues();
        values[0] = -1;
        assertThat(model.singularValues()[0]).isPositive();
    }

    // ---- validation of fit and embed ----

    @Test
    void fitRefusesBadArguments() {
        List<Map<String, Integer>> three = List.of(bag("a", 1, "b", 1), bag("b", 1, "c", 2), bag("c", 1, "d", 1));
        assertFitFails(three, 0, 1, "dimensions must be at least 1, got 0");
        assertFitFails(three, -3, 1, "dimensions must be at least 1, got -3");
        assertFitFails(three, 1, 0, "minDocFreq must be at least 1, got 0");
        assertFitFails(List.of(bag("a", 1)), 1, 1, "an LSA model needs at least 2 documents, got 1");
        assertFitFails(List.of(), 1, 1, "an LSA model needs at least 2 documents, got 0");
        assertFitFails(Arrays.asList(bag("a", 1), null), 1, 1, "documents[1] is null");
        Map<String, Integer> nullTerm = new HashMap<>();
        nullTerm.put(null, 1);
        assertFitFails(List.of(bag("a", 1), nullTerm), 1, 1, "documents[1]: a term is null");
        assertFitFails(List.of(bag("a", 1), bag("", 1)), 1, 1, "documents[1]: a term is empty");
        assertFitFails(List.of(bag("x", 0), bag("a", 1)), 1, 1,
                "documents[0]: the count of term \"x\" must be positive, got 0");
        assertFitFails(List.of(bag("a", 1), bag("x", -2)), 1, 1,
                "documents[1]: the count of term \"x\" must be positive, got -2");
        Map<String, Integer> nullCount = new HashMap<>();
        nullCount.put("x", null);
        assertFitFails(List.of(nullCount, bag("a", 1)), 1, 1, "documents[0]: the count of term \"x\" is null");
        assertFitFails(List.of(bag("a", 1, "b", 2), bag("a", 3, "b", 1)), 1, 1,
                "the vocabulary is empty: no term occurs in at least 1 and in fewer than all 2 documents");
        assertFitFails(three, 1, 3,
                "the vocabulary is empty: no term occurs in at least 3 and in fewer than all 3 documents");
        assertFitFails(three, 3, 1, "dimensions must be below min(documents, vocabulary size) = min(3, 4) = 3, got 3");
        assertFitFails(three, 2, 2, "dimensions must be below min(documents, vocabulary size) = min(3, 2) = 2, got 2");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("analyzer", null);
        assertThatThrownBy(() -> LsaModel.fit(three, 1, 1, 0, nullValue))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata: the value of \"analyzer\" is null");
    }

    @Test
    void embedRefusesBadBags() {
        LsaModel model = LsaModel.fit(randomDocuments(1, 30, 20, 5), 2, 1, 1, Map.of());
        assertThatThrownBy(() -> model.embed(bag("t1", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the count of term \"t1\" must be positive, got 0");
        assertThatThrownBy(() -> model.embed(bag("", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a term is empty");
        assertThatThrownBy(() -> model.embed(null)).isInstanceOf(NullPointerException.class);
    }

    // ---- validation of the JSON form ----

    @Test
    void aHandWrittenModelReads() throws IOException {
        LsaModel model = LsaModel.read(new StringReader(modelJson(Map.of())));
        assertThat(model.dimensions()).isEqualTo(2);
        assertThat(model.documentCount()).isEqualTo(5);
        assertThat(model.minDocFreq()).isEqualTo(1);
        assertThat(model.seed()).isEqualTo(7);
        assertThat(model.metadata()).containsExactly(Map.entry("analyzer", "english"), Map.entry("fields", "text"));
        assertThat(model.singularValues()).containsExactly(2.5, 1.0);
        assertThat(model.terms()).containsExactly("a", "b", "c", "d");
        // "b" alone: (1 + ln 1) * ln(5 / 2) * (0.25, 0.5) normalised.
        float[] b = model.embed(Map.of("b", 1)).orElseThrow();
        assertThat(b[0]).isCloseTo((float) (0.25 / Math.hypot(0.25, 0.5)), within(1e-6f));
        assertThat(b[1]).isCloseTo((float) (0.5 / Math.hypot(0.25, 0.5)), within(1e-6f));
    }

    @Test
    void malformedFilesNameTheJsonPathOfTheProblem() {
        assertReadFails("", "$: expected an object, found no JSON value");
        assertReadFails("[]", "$: expected an object, found an array");
        assertReadFails("{}", "$.lsa: missing field");
        assertReadFails("{\"lsa\": 3}", "$.lsa: expected an object, found 3");
        assertReadFails("{\"lsb\": {}}", "$.lsb: unknown field; the only field is \"lsa\"");
        String valid = modelJson(Map.of());
        assertReadFails(valid.substring(0, valid.length() - 1) + ", \"lsa\": {}}", "$.lsa: duplicate field");
        assertReadFails(modelJson(Map.of()) + " {}", "$: unexpected content after the JSON object");
        assertReadFails(without("version"), "$.lsa.version: missing field");
        assertReadFails(modelJson(Map.of("version", "2", "extra", "[1]")),
                "$.lsa.version: unsupported version 2; this reader knows version 1");
        assertReadFails(modelJson(Map.of("version", "\"1\"")),
                "$.lsa.version: expected an integer, found the string \"1\"");
        assertReadFails(modelJson(Map.of("extra", "{\"x\": [1, 2]}")), "$.lsa.extra: unknown field");
        assertReadFails(modelJson(Map.of("odd name", "1")), "$.lsa[\"odd name\"]: unknown field");
        assertReadFails(modelJson(Map.of()).replace("\"seed\": 7,", "\"seed\": 7, \"seed\": 8,"),
                "$.lsa.seed: duplicate field");
        for (String field : List.of("dimensions", "documents", "min_doc_freq", "seed", "metadata", "singular_values",
                "terms", "doc_freqs", "vectors")) {
            assertReadFails(without(field), "$.lsa." + field + ": missing field");
        }
        assertReadFails(modelJson(Map.of("dimensions", "0")),
                "$.lsa.dimensions: expected an integer of at least 1, found 0");
        assertReadFails(modelJson(Map.of("dimensions", "1.5")), "$.lsa.dimensions: expected an integer, found 1.5");
        assertReadFails(modelJson(Map.of("dimensions", "null")), "$.lsa.dimensions: expected an integer, found null");
        assertReadFails(modelJson(Map.of("documents", "1")),
                "$.lsa.documents: expected an integer of at least 2, found 1");
        assertReadFails(modelJson(Map.of("documents", "99999999999")),
                "$.lsa.documents: expected an integer of at least 2, found 99999999999");
        assertReadFails(modelJson(Map.of("min_doc_freq", "true")),
                "$.lsa.min_doc_freq: expected an integer, found true");
        assertReadFails(modelJson(Map.of("seed", "1e3")), "$.lsa.seed: expected an integer, found 1e3");
        assertReadFails(modelJson(Map.of("seed", "9223372036854775808")),
                "$.lsa.seed: expected a 64-bit integer, found 9223372036854775808");
        assertReadFails(modelJson(Map.of("metadata", "[]")),
                "$.lsa.metadata: expected an object of strings, found an array");
        assertReadFails(modelJson(Map.of("metadata", "{\"analyzer\": 3}")),
                "$.lsa.metadata.analyzer: expected a string, found 3");
        assertReadFails(modelJson(Map.of("metadata", "{\"a b\": null}")),
                "$.lsa.metadata[\"a b\"]: expected a string, found null");
        assertReadFails(modelJson(Map.of("metadata", "{\"x\": \"1\", \"x\": \"2\"}")),
                "$.lsa.metadata.x: duplicate key");
        assertReadFails(modelJson(Map.of("singular_values", "3")),
                "$.lsa.singular_values: expected an array of numbers, found 3");
        assertReadFails(modelJson(Map.of("singular_values", "[2.5]")),
                "$.lsa.singular_values: expected 2 numbers (one per dimension), found 1");
        assertReadFails(modelJson(Map.of("singular_values", "[1e999, 1]")),
                "$.lsa.singular_values[0]: expected a finite number, found 1e999");
        assertReadFails(modelJson(Map.of("singular_values", "[1, \"x\"]")),
                "$.lsa.singular_values[1]: expected a number, found the string \"x\"");
        assertReadFails(modelJson(Map.of("singular_values", "[1, 2]")),
                "$.lsa.singular_values[1]: singular values must be descending, found 2.0 after 1.0");
        assertReadFails(modelJson(Map.of("singular_values", "[-1, -2]")),
                "$.lsa.singular_values[0]: expected a non-negative singular value, found -1.0");
        assertReadFails(modelJson(Map.of("terms", "{}")), "$.lsa.terms: expected an array of strings, found an object");
        assertReadFails(modelJson(Map.of("terms", "[]")), "$.lsa.terms: expected at least one term");
        assertReadFails(modelJson(Map.of("terms", "[\"a\", 1, \"c\", \"d\"]")),
                "$.lsa.terms[1]: expected a string, found 1");
        assertReadFails(modelJson(Map.of("terms", "[\"a\", \"\", \"c\", \"d\"]")),
                "$.lsa.terms[1]: expected a non-empty term");
        assertReadFails(modelJson(Map.of("terms", "[\"a\", \"c\", \"b\", \"d\"]")),
                "$.lsa.terms[2]: terms must be sorted, found \"b\" after \"c\"");
        assertReadFails(modelJson(Map.of("terms", "[\"a\", \"b\", \"b\", \"d\"]")),
                "$.lsa.terms[2]: duplicate term \"b\"");
        assertReadFails(modelJson(Map.of("dimensions", "4", "singular_values", "[4, 3, 2, 1]")),
                "$.lsa.dimensions: expected fewer than min(documents, terms) = min(5, 4) = 4 dimensions, found 4");
        assertReadFails(modelJson(Map.of("documents", "2", "doc_freqs", "[1, 1, 1, 1]")),
                "$.lsa.dimensions: expected fewer than min(documents, terms) = min(2, 4) = 2 dimensions, found 2");
        assertReadFails(modelJson(Map.of("doc_freqs", "[1, 2, 3]")),
                "$.lsa.doc_freqs: expected 4 integers (one per term), found 3");
        assertReadFails(modelJson(Map.of("doc_freqs", "[1, 2, 3, 5]")),
                "$.lsa.doc_freqs[3]: expected a document frequency from 1 (min_doc_freq) to 4 (documents - 1), found 5");
        assertReadFails(modelJson(Map.of("min_doc_freq", "2")),
                "$.lsa.doc_freqs[0]: expected a document frequency from 2 (min_doc_freq) to 4 (documents - 1), found 1");
        assertReadFails(modelJson(Map.of("doc_freqs", "[1, 2, 3, 1.5]")),
                "$.lsa.doc_freqs[3]: expected an integer, found 1.5");
        assertReadFails(modelJson(Map.of("vectors", "[1, 0.5, 1, 0.25, 0.5, 0, 0, 1, 1]")),
                "$.lsa.vectors: expected 8 numbers (4 terms x 2 dimensions), found 9");
        assertReadFails(modelJson(Map.of("vectors", "[0.5, 1, 0.25, 0.5, 0, 0, 1]")),
                "$.lsa.vectors: expected 8 numbers (4 terms x 2 dimensions), found 7");
        assertReadFails(modelJson(Map.of("vectors", "[0.5, 1, 0.25, 0.5, 0, 1e39, 1, 1]")),
                "$.lsa.vectors[5]: expected a finite 32-bit float, found 1e39");
        assertReadFails(modelJson(Map.of("vectors", "[0.5, 1, 0.25, 0.5, 0, [0], 1, 1]")),
                "$.lsa.vectors[5]: expected a number, found an array");
    }

    @Test
    void syntaxErrorsNameThePathAndThePosition() {
        assertThatThrownBy(() -> LsaModel.read(new StringReader(
                modelJson(Map.of("vectors", "[0.5, 1, 0.25,, 0.5, 0, 0, 1, 1]")))))
                .isInstanceOf(LsaFormatException.class)
                .hasMessageStartingWith("$.lsa.vectors[3]: malformed JSON at line 1, column ")
                .hasMessageContaining("Unexpected character (','");
        String text = modelJson(Map.of());
        assertThatThrownBy(() -> LsaModel.read(new StringReader(text.substring(0, text.indexOf("\"c\"") + 2))))
                .isInstanceOf(LsaFormatException.class)
                .hasMessageStartingWith("$.lsa.terms[2]: malformed JSON at line 1, column ")
                .hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> LsaModel.read(new StringReader("{\"lsa\": {\"version\": 1 \"x\"}}")))
                .isInstanceOf(LsaFormatException.class)
                .hasMessage("$.lsa.version: malformed JSON at line 1, column 23: Unexpected character ('\"' (code 34)): "
                        + "was expecting comma to separate Object entries");
    }

    @Test
    void theExceptionKnowsItsPath() {
        assertThatThrownBy(() -> LsaModel.read(new StringReader(modelJson(Map.of("terms", "[\"a\", \"\"]")))))
                .isInstanceOfSatisfying(LsaFormatException.class,
                        e -> assertThat(e.path()).isEqualTo("$.lsa.terms[1]"));
    }

    // ---- helpers ----

    /** The reference: the same weight matrix built densely and decomposed by EJML's full SVD. */
    private record Dense(String[] terms, double[][] weights, double[] values, double[][] right) {

        static Dense of(List<Map<String, Integer>> documents, int minDocFreq) {
            int n = documents.size();
            Map<String, Integer> df = new TreeMap<>();
            documents.forEach(d -> d.keySet().forEach(t -> df.merge(t, 1, Integer::sum)));
            String[] terms = df.entrySet().stream()
                    .filter(e -> e.getValue() >= minDocFreq && e.getValue() < n)
                    .map(Map.Entry::getKey)
                    .toArray(String[]::new);
            DMatrixRMaj a = new DMatrixRMaj(n, terms.length);
            double[][] weights = new double[n][terms.length];
            for (int d = 0; d < n; d++) {
                for (int t = 0; t < terms.length; t++) {
                    Integer tf = documents.get(d).get(terms[t]);
                    if (tf != null) {
                        weights[d][t] = (1 + Math.log(tf)) * Math.log((double) n / df.get(terms[t]));
                        a.set(d, t, weights[d][t]);
                    }
                }
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, terms.length, false,
                    true, false);
            assertThat(svd.decompose(a)).isTrue();
            double[] values = svd.getSingularValues();
            DMatrixRMaj v = svd.getV(null, false);
            Integer[] order = new Integer[svd.numberOfSingularValues()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
            double[] sorted = new double[order.length];
            double[][] right = new double[order.length][];
            for (int i = 0; i < order.length; i++) {
                sorted[i] = values[order[i]];
                right[i] = new double[terms.length];
                int largest = 0;
                for (int t = 0; t < terms.length; t++) {
                    right[i][t] = v.get(t, order[i]);
                    if (Math.abs(right[i][t]) > Math.abs(right[i][largest])) {
                        largest = t;
                    }
                }
                if (right[i][largest] < 0) {
                    for (int t = 0; t < terms.length; t++) {
                        right[i][t] = -right[i][t];
                    }
                }
            }
            return new Dense(terms, weights, sorted, right);
        }

        /** Row d of U_k S_k, which is A V_k. */
        double[] scaledLeft(int d, int k) {
            double[] row = new double[k];
            for (int i = 0; i < k; i++) {
                for (int t = 0; t < terms.length; t++) {
                    row[i] += weights[d][t] * right[i][t];
                }
            }
            return row;
        }
    }

    private static void assertSingularValues(LsaModel model, Dense dense) {
        double[] values = model.singularValues();
        assertThat(values).hasSize(model.dimensions());
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).as("singular value %d", i).isCloseTo(dense.values[i], within(1e-9 * dense.values[0]));
        }
        assertThat(dense.values[model.dimensions() - 1] - dense.values[model.dimensions()])
                .as("the gap that makes V_k unique").isGreaterThan(1e-3 * dense.values[0]);
    }

    private static void assertTrainingEmbeddings(LsaModel model, List<Map<String, Integer>> documents, Dense dense) {
        int checked = 0;
        for (int d = 0; d < documents.size(); d++) {
            double[] expected = dense.scaledLeft(d, model.dimensions());
            if (Math.sqrt(dot(expected, expected)) < 1e-6 * dense.values[0]) {
                continue;
            }
            float[] embedding = model.embed(documents.get(d)).orElseThrow();
            double[] actual = new double[embedding.length];
            Arrays.setAll(actual, i -> embedding[i]);
            assertThat(dot(actual, expected) / Math.sqrt(dot(actual, actual) * dot(expected, expected)))
                    .as("document %d", d).isGreaterThan(0.999999);
            checked++;
        }
        assertThat(checked).isGreaterThan(documents.size() / 2);
    }

    private static void assertSameModel(LsaModel actual, LsaModel expected) {
        assertThat(actual.dimensions()).isEqualTo(expected.dimensions());
        assertThat(actual.documentCount()).isEqualTo(expected.documentCount());
        assertThat(actual.minDocFreq()).isEqualTo(expected.minDocFreq());
        assertThat(actual.seed()).isEqualTo(expected.seed());
        assertThat(actual.metadata()).containsExactlyEntriesOf(expected.metadata());
        assertThat(actual.terms()).containsExactly(expected.terms());
        assertThat(actual.docFreqs()).containsExactly(expected.docFreqs());
        assertThat(bits(actual.singularValues())).containsExactly(bits(expected.singularValues()));
        assertThat(bits(actual.vectors())).containsExactly(bits(expected.vectors()));
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        Arrays.setAll(bits, i -> Float.floatToRawIntBits(values[i]));
        return bits;
    }

    private static void assertFitFails(List<? extends Map<String, Integer>> documents, int dimensions,
            int minDocFreq, String message) {
        assertThatThrownBy(() -> LsaModel.fit(documents, dimensions, minDocFreq, 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static void assertReadFails(String json, String message) {
        assertThatThrownBy(() -> LsaModel.read(new StringReader(json)))
                .isInstanceOf(LsaFormatException.class)
                .hasMessage(message);
    }

    /** A valid model of 4 terms in 2 dimensions, with some fields replaced by raw JSON or added. */
    private static String modelJson(Map<String, String> overrides) {
        Map<String, String> fields = baseFields();
        fields.putAll(overrides);
        return render(fields);
    }

    private static String without(String field) {
        Map<String, String> fields = baseFields();
        assertThat(fields.remove(field)).isNotNull();
        return render(fields);
    }

    private static Map<String, String> baseFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("version", "1");
        fields.put("dimensions", "2");
        fields.put("documents", "5");
        fields.put("min_doc_freq", "1");
        fields.put("seed", "7");
        fields.put("metadata", "{\"analyzer\": \"english\", \"fields\": \"text\"}");
        fields.put("singular_values", "[2.5, 1.0]");
        fields.put("terms", "[\"a\", \"b\", \"c\", \"d\"]");
        fields.put("doc_freqs", "[1, 2, 3, 4]");
        fields.put("vectors", "[0.5, 1, 0.25, 0.5, 0, 0, 1, 1]");
        return fields;
    }

    private static String render(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{\"lsa\": {");
        String separator = "";
        for (Map.Entry<String, String> field : fields.entrySet()) {
            json.append(separator).append('"').append(field.getKey()).append("\": ").append(field.getValue());
            separator = ", ";
        }
        return json.append("}}").toString();
    }

    private static String json(LsaModel model) throws IOException {
        StringWriter out = new StringWriter();
        model.write(out);
        return out.toString();
    }

    private static List<Map<String, Integer>> randomDocuments(long seed, int documents, int vocabulary, int perDocument) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Integer>> bags = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            Map<String, Integer> bag = new HashMap<>();
            while (bag.size() < perDocument) {
                bag.put("t" + random.nextInt(vocabulary), 1 + random.nextInt(4));
            }
            bags.add(bag);
        }
        return bags;
    }

    private static Map<String, Integer> bag(Object... termsAndCounts) {
        Map<String, Integer> bag = new HashMap<>();
        for (int i = 0; i < termsAndCounts.length; i += 2) {
            bag.put((String) termsAndCounts[i], (Integer) termsAndCounts[i + 1]);
        }
        return bag;
    }

    private static Map<String, String> meta(String... keysAndValues) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            metadata.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return metadata;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
