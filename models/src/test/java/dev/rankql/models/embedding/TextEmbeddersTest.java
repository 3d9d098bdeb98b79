package dev.rankql.models.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TextEmbeddersTest {

    /** How often the test provider opened a model. */
    static final AtomicInteger OPENED = new AtomicInteger();

    /** Offers two constant models, counting how often one is opened. */
    public static final class CountingProvider implements TextEmbedder.Provider {
        @Override
        public List<String> names() {
            return List.of("zeta", "alpha");
        }

        @Override
        public TextEmbedder open(String name) {
            OPENED.incrementAndGet();
            return new TextEmbedder() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public int dimensions() {
                    return 1;
                }

                @Override
                public float[] embedQuery(String text) {
                    return new float[] {1};
                }

                @Override
                public float[] embedDocument(String text) {
                    return new float[] {1};
                }
            };
        }
    }

    @Test
    void findsTheProvidersModelsByNameAndOpensEachOnce() {
        assertThat(TextEmbedders.names()).containsExactly("alpha", "zeta");
        assertThat(TextEmbedders.exists("alpha")).isTrue();
        assertThat(TextEmbedders.exists("beta")).isFalse();
        assertThat(TextEmbedders.named("beta")).isEmpty();
        int before = OPENED.get();
        var first = TextEmbedders.named("zeta").orElseThrow();
        var again = TextEmbedders.named("zeta").orElseThrow();
        assertThat(again).isSameAs(first);
        assertThat(first.name()).isEqualTo("zeta");
        assertThat(OPENED.get() - before).isEqualTo(1);
        TextEmbedders.named("zeta");
        assertThat(OPENED.get() - before).isEqualTo(1);
    }
}
