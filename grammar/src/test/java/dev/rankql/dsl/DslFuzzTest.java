package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the DSL parser: any text either parses into a request whose canonical text parses back
 * to it, or fails with a positioned {@link DslSyntaxException}; anything else escaping is a finding.
 */
class DslFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void parseRequest(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            var request = Dsl.parseRequest(text);
            assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
        } catch (DslSyntaxException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.bareMessage()).isNotBlank();
        }
    }
}
