package dev.rankql.bench;

import dev.rankql.ast.SearchRequest;
import dev.rankql.dsl.Dsl;
import dev.rankql.json.EsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** Parse and print throughput of the two request languages on one core, for a typical 1–2 KB LTR request. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LanguageBench {

    private String json;
    private String dsl;
    private SearchRequest request;

    @Setup
    public void setup() {
        json = resource("bench/ltr-request.json");
        request = EsJson.parseSearch(json);
        dsl = Dsl.print(request);
        if (!Dsl.parseRequest(dsl).equals(request)) {
            throw new IllegalStateException("the DSL form of the benchmark request does not read back equal");
        }
    }

    @Benchmark
    public SearchRequest parseJson() {
        return EsJson.parseSearch(json);
    }

    @Benchmark
    public SearchRequest parseDsl() {
        return Dsl.parseRequest(dsl);
    }

    @Benchmark
    public String printJson() {
        return EsJson.writeSearch(request);
    }

    @Benchmark
    public String printDsl() {
        return Dsl.print(request);
    }

    static String resource(String name) {
        try (InputStream in = LanguageBench.class.getClassLoader().getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
