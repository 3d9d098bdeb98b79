package dev.rankql.ast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.dsl.Dsl;
import dev.rankql.dsl.DslSyntaxException;
import dev.rankql.json.Diagnostic;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The search {@code timeout}: Elasticsearch's time values, read from JSON and the DSL and written back. */
class SearchTimeoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " -> ", textBlock = """
            10ms -> PT0.01S
            2s -> PT2S
            1m -> PT1M
            3h -> PT3H
            1d -> PT24H
            5micros -> PT0.000005S
            7nanos -> PT0.000000007S
            ' 15S ' -> PT15S
            0 -> PT0S
            000 -> PT0S
            -1 -> PT-0.001S
            -1ms -> PT-0.001S
            -1s -> PT-1S
            """)
    void readsElasticsearchTimeValues(String text, String expected) {
        assertThat(SearchRequest.parseTimeValue(text, "timeout")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " -> ", textBlock = """
            10 -> failed to parse setting [timeout] with value [10] as a time value: unit is missing or unrecognized
            1M -> failed to parse setting [timeout] with value [1M] as a time value: unit is missing or unrecognized
            -2s -> failed to parse setting [timeout] with value [-2s] as a time value: negative durations are not supported
            1.5s -> failed to parse [1.5s], fractional time values are not supported
            xs -> failed to parse [xs]
            '' -> failed to parse setting [timeout] with value [] as a time value: unit is missing or unrecognized
            """)
    void refusesWhatElasticsearchRefusesWithItsMessages(String text, String message) {
        assertThatThrownBy(() -> SearchRequest.parseTimeValue(text == null ? "" : text, "timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void writesTheLargestExactUnitAndReadsItBack() {
        for (var timeout : new Duration[] {Duration.ofMillis(1500), Duration.ofSeconds(90), Duration.ofHours(48),
                Duration.ofNanos(1_000_001), Duration.ofNanos(2_000), Duration.ZERO, SearchRequest.NO_TIMEOUT,
                Duration.ofSeconds(-1), Duration.ofSeconds(Long.MAX_VALUE)}) {
            var text = SearchRequest.formatTimeout(timeout);
            assertThat(SearchRequest.parseTimeValue(text, "timeout")).as(text).isEqualTo(timeout);
        }
        assertThat(SearchRequest.formatTimeout(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(SearchRequest.formatTimeout(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(SearchRequest.formatTimeout(SearchRequest.NO_TIMEOUT)).isEqualTo("-1");
        // A count too large for a Duration saturates instead of failing.
        assertThat(SearchRequest.parseTimeValue("9223372036854775807d", "timeout")).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void aNegativeTimeoutOtherThanMinusOneIsRefusedByTheTree() {
        assertThatThrownBy(() -> SearchRequest.empty().withTimeout(Optional.of(Duration.ofMillis(-5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[timeout] must not be negative except -1 (no timeout), found [-5ms]");
    }

    @Test
    void theJsonBodyCarriesItBothWays() {
        var request = EsJson.parseSearch("{\"query\": {\"match_all\": {}}, \"timeout\": \"250ms\"}");
        assertThat(request.timeout()).contains(Duration.ofMillis(250));
        assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
        assertThat(EsJson.parseSearch("{\"timeout\": 0}").timeout()).contains(Duration.ZERO);
        assertThat(EsJson.parseSearch("{\"timeout\": \"-1\"}").timeout()).contains(SearchRequest.NO_TIMEOUT);
        assertThat(EsJson.parseSearch("{}").timeout()).isEmpty();
    }

    @Test
    void aBadJsonTimeoutIsADiagnosticAtItsPath() {
        assertThatThrownBy(() -> EsJson.parseSearch("{\"timeout\": \"soon\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.diagnostics())
                        .extracting(Diagnostic::path, Diagnostic::message)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("$.timeout", "failed to parse setting "
                                + "[timeout] with value [soon] as a time value: unit is missing or unrecognized")));
        assertThatThrownBy(() -> EsJson.parseSearch("{\"timeout\": {\"ms\": 5}}"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theDslHasATimeoutClause() {
        var request = Dsl.parseRequest("QUERY match_all() TIMEOUT \"2s\"");
        assertThat(request.timeout()).contains(Duration.ofSeconds(2));
        assertThat(Dsl.print(request)).isEqualTo("QUERY match_all()\nTIMEOUT \"2s\"");
        assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
        assertThat(Dsl.parseRequest("TIMEOUT -1").timeout()).contains(SearchRequest.NO_TIMEOUT);
        assertThat(Dsl.parseRequest("TIMEOUT 0").timeout()).contains(Duration.ZERO);
        // The same request written in JSON is the same tree.
        assertThat(EsJson.parseSearch("{\"query\": {\"match_all\": {}}, \"timeout\": \"2000ms\"}"))
                .isEqualTo(request.withoutIndex());
    }

    @Test
    void aBadDslTimeoutIsPositioned() {
        assertThatThrownBy(() -> Dsl.parseRequest("SIZE 1\nTIMEOUT \"5 minutes\""))
                .isInstanceOfSatisfying(DslSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(9);
                    assertThat(e.bareMessage()).isEqualTo("failed to parse [5 minutes]");
                });
        assertThatThrownBy(() -> Dsl.parseRequest("TIMEOUT [1]"))
                .isInstanceOfSatisfying(DslSyntaxException.class, e -> assertThat(e.bareMessage())
                        .startsWith("TIMEOUT expects a time value such as \"500ms\" or \"2s\", found "));
    }
}
