package dev.rankql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(run("-h")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: rankql bench").contains("Examples:")
                .contains("language").contains("engine").contains("--quick");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void unknownArgumentsAreUsageErrors() throws Exception {
        assertThat(run("--fast")).isEqualTo(2);
        assertThat(run("nosuch")).isEqualTo(2);
        assertThat(run("--help", "extra")).isEqualTo(2);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                rankql bench: Unknown option: '--fast'
                Try 'rankql bench --help' for more information.
                rankql bench: Unknown suite: 'nosuch'
                Try 'rankql bench --help' for more information.
                rankql bench: Unmatched argument: 'extra'
                Try 'rankql bench --help' for more information.
                """);
    }

    @Test
    void theHttpSuiteHasItsOwnHelpAndRejectsBadOptions() throws Exception {
        assertThat(run("http", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: rankql bench http").contains("--clients");
        assertThat(run("http", "--clients", "1,0")).isEqualTo(2);
        assertThat(run("http", "--fast")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                rankql bench http: Invalid value for option '--clients': '0' is not a positive integer
                Try 'rankql bench http --help' for more information.
                rankql bench http: Unknown option: '--fast'
                Try 'rankql bench http --help' for more information.
                """);
    }

    @Test
    void withoutASuiteNameTheOptionsAreTheWholeSuites() throws Exception {
        assertThat(run("--quick", "--docs", "0")).isEqualTo(2);
        assertThat(run("suite", "--help")).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                rankql bench: Invalid value for option '--docs': '0' is not a positive integer
                Try 'rankql bench --help' for more information.
                """);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: rankql bench [--quick]");
    }

    @Test
    void everySuiteNamesABenchmarkClass() throws Exception {
        for (var pattern : Main.SUITES.values()) {
            assertThat(Class.forName(pattern)).isNotNull();
        }
    }
}
