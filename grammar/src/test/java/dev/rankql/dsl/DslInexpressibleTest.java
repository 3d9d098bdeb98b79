package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.json.EsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Options that once had no DSL syntax now print and read back whole, so nothing is refused or dropped. */
class DslInexpressibleTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"version\": true}",
        "{\"seq_no_primary_term\": true, \"track_scores\": true}",
        "{\"fields\": [\"title\"]}",
        "{\"docvalue_fields\": [\"tag\", {\"field\": \"when\", \"format\": \"epoch_millis\"}]}",
        "{\"stored_fields\": \"_none_\", \"_source\": false}",
        "{\"collapse\": {\"field\": \"brand\", \"inner_hits\": {\"name\": \"top\", \"size\": 2}}}",
        "{\"collapse\": {\"field\": \"brand\", \"max_concurrent_group_searches\": 4}}",
        "{\"retriever\": {\"standard\": {\"collapse\": {\"field\": \"brand\", \"inner_hits\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}}}"
    })
    void onceInexpressibleOptionsRoundTrip(String body) {
        var request = EsJson.parseSearch(body);
        assertThat(Dsl.inexpressible(request)).isEmpty();
        assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
        assertThat(EsJson.parseSearch(EsJson.writeSearch(Dsl.parseRequest(Dsl.print(request))))).isEqualTo(request);
    }

    @Test
    void aRequestTheDslCouldAlwaysWritePrintsAsBefore() {
        var request = EsJson.parseSearch("{\"query\": {\"match\": {\"title\": \"fox\"}}, \"collapse\": {\"field\": \"brand\"}}");
        assertThat(Dsl.inexpressible(request)).isEmpty();
        assertThat(Dsl.print(request)).isEqualTo("QUERY match(title, \"fox\")\nCOLLAPSE brand");
    }
}
