package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.json.EsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options the DSL has no syntax for make printing fail loudly instead of dropping them. */
class DslInexpressibleTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"version": true}                                                        | [version]
            {"seq_no_primary_term": true, "track_scores": true}                      | [seq_no_primary_term, track_scores]
            {"fields": ["title"]}                                                    | [fields]
            {"collapse": {"field": "brand", "inner_hits": {"name": "top", "size": 2}}} | [collapse.inner_hits]
            {"collapse": {"field": "brand", "max_concurrent_group_searches": 4}}     | [collapse.max_concurrent_group_searches]
            """)
    void optionsWithoutDslSyntaxAreRefusedByName(String body, String names) {
        var request = EsJson.parseSearch(body);
        assertThat(Dsl.inexpressible(request).toString()).isEqualTo(names);
        assertThatThrownBy(() -> Dsl.print(request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the DSL has no syntax for " + names + "; keep this search in Elasticsearch JSON");
    }

    @Test
    void aRequestTheDslCanWritePrintsAsBefore() {
        var request = EsJson.parseSearch("{\"query\": {\"match\": {\"title\": \"fox\"}}, \"collapse\": {\"field\": \"brand\"}}");
        assertThat(Dsl.inexpressible(request)).isEmpty();
        assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
    }
}
