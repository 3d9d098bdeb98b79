package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the Elasticsearch JSON reader: any body is either a request whose canonical JSON reads
 * back to it, or a list of diagnostics, each with a JSON path and an Elasticsearch error type; a thrown exception is
 * a finding.
 */
class EsJsonFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void readSearch(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        var result = EsJson.readSearch(body);
        if (result.isValid()) {
            var request = result.get();
            assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
        } else {
            assertThat(result.getError()).isNotEmpty().allSatisfy(d -> {
                assertThat(d.path()).startsWith("$");
                assertThat(d.message()).isNotBlank();
            });
        }
    }
}
