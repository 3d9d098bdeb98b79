package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rankql.engine.mapping.DocumentParser;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.Mappings;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the bulk reader: the first byte chooses {@code _bulk} NDJSON or JSON Lines, the rest is
 * the request body. Reading it and parsing every source against a mapping with typed fields either succeeds or fails
 * with an {@link EngineException} carrying an Elasticsearch error type; anything else is a finding.
 */
class BulkFuzzTest {

    private static final Mappings MAPPINGS = Mappings.parse(Json.MAPPER.readTree("""
            {"properties": {
              "title": {"type": "text"}, "tag": {"type": "keyword"}, "views": {"type": "integer"},
              "price": {"type": "float"}, "big": {"type": "long"}, "on": {"type": "boolean"},
              "when": {"type": "date"}, "rank": {"type": "rank_feature"},
              "meta": {"properties": {"score": {"type": "double"}, "kind": {"type": "keyword"}}}
            }}"""));

    @FuzzTest(maxDuration = "5s")
    void read(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String body = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        var reader = new BufferedReader(new StringReader(body));
        try {
            Iterable<BulkParser.Operation> operations = (input[0] & 1) == 0
                    ? BulkParser.parse(reader, "fuzz")
                    : BulkParser.parseJsonLines(reader, "fuzz");
            for (var operation : operations) {
                assertThat(operation.line()).isPositive();
                if (operation.action().equals("delete") || operation.action().equals("update")) {
                    continue;
                }
                try {
                    DocumentParser.parse(MAPPINGS, operation.id().orElse("generated"), operation.body());
                } catch (EngineException e) {
                    assertThat(e.type()).isNotBlank();
                }
            }
        } catch (EngineException e) {
            assertThat(e.type()).isNotBlank();
            assertThat(e.status()).isBetween(400, 499);
        }
    }
}
