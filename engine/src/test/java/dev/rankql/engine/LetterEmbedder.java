package dev.rankql.engine;

import dev.rankql.models.embedding.TextEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A text embedder for tests: the unit vector of a text's letter counts (a to z), with a query marker in a 27th
 * dimension so that queries and documents are told apart, as retrieval models' query instructions do.
 */
final class LetterEmbedder implements TextEmbedder {

    /** How many query texts were embedded, by every instance. */
    static final AtomicInteger QUERIES = new AtomicInteger();

    @Override
    public String name() {
        return "test-letters";
    }

    @Override
    public int dimensions() {
        return 27;
    }

    @Override
    public float[] embedQuery(String text) {
        QUERIES.incrementAndGet();
        return vector(text, 1);
    }

    @Override
    public float[] embedDocument(String text) {
        return vector(text, 0);
    }

    /** The unit vector of {@code text}'s letters, with {@code marker} in the last dimension. */
    static float[] vector(String text, int marker) {
        double[] counts = new double[27];
        for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                counts[c - 'a']++;
            }
        }
        counts[26] = marker;
        double norm = 0;
        for (double count : counts) {
            norm += count * count;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[27];
        for (int d = 0; d < 27; d++) {
            unit[d] = (float) (norm == 0 ? 0 : counts[d] / norm);
        }
        return unit;
    }

    /** Offers {@code test-letters} to the engine through {@code META-INF/services}. */
    public static final class Provider implements TextEmbedder.Provider {
        @Override
        public List<String> names() {
            return List.of("test-letters");
        }

        @Override
        public TextEmbedder open(String name) {
            return new LetterEmbedder();
        }
    }
}
