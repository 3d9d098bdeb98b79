package dev.rankql.bench.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.rankql.embed.PretrainedModel;
import dev.rankql.embed.TextEncoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to encode one text with bge-small-en-v1.5 (int8 ONNX): rankql's {@link TextEncoder} (one intra-op thread)
 * against LangChain4j's wrapper of the same graph and tokenizer (ONNX Runtime's default threads), called from one
 * thread; texts are a query-sized sentence and an abstract-sized paragraph of the same English-like words.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class EmbedBench {

    private static final String[] WORDS = ("the of and in to a with for was were by on that is as from at patients "
            + "cells expression protein risk increased associated study results levels compared treatment effect "
            + "clinical gene mice human analysis data significantly higher lower response disease cancer cell "
            + "activity model function role mechanism receptor pathway signaling tumor therapy blood plasma dose "
            + "group years observed found showed suggest reduced induced mediated dependent novel regulation "
            + "mutation inhibition wing lift drag boundary layer flow pressure shock supersonic heat transfer").split(" ");

    /** How long the encoded text is: {@code query} (12 words) or {@code abstract} (220 words). */
    @Param({"query", "abstract"})
    public String text;

    private String input;
    private TextEncoder rankql;
    private BgeSmallEnV15QuantizedEmbeddingModel langchain4j;

    @Setup(Level.Trial)
    public void setUp() {
        var random = new SplittableRandom(42);
        int words = text.equals("query") ? 12 : 220;
        var builder = new StringBuilder();
        for (int i = 0; i < words; i++) {
            builder.append(i == 0 ? "" : (i % 18 == 0 ? ". " : " ")).append(WORDS[random.nextInt(WORDS.length)]);
        }
        input = builder.append('.').toString();
        rankql = TextEncoder.open(PretrainedModel.BGE_SMALL_EN_V15);
        langchain4j = new BgeSmallEnV15QuantizedEmbeddingModel();
        double dot = 0;
        float[] a = rankql.embedDocument(input);
        float[] b = langchain4j.embed(TextSegment.from(input)).content().vector();
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
        }
        if (dot < 0.9999) {
            throw new IllegalStateException("the two encoders disagree: cosine " + dot);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rankql.close();
    }

    @Benchmark
    public float[] rankql() {
        return rankql.embedDocument(input);
    }

    @Benchmark
    public float[] langchain4j() {
        return langchain4j.embed(TextSegment.from(input)).content().vector();
    }
}
