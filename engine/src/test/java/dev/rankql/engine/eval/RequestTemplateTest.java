package dev.rankql.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.json.EsJson;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestTemplateTest {

    @Test
    void dslAndJsonTemplatesRenderTheSameRequestWithEscapedText() {
        var text = "a \"quoted\" back\\slash\nline";
        var params = Map.of("query_text", text, "query_id", "q1");
        var dsl = RequestTemplate.compile("QUERY match(title, \"{{query_text}}\") SIZE 7", "dsl");
        var json = RequestTemplate.compile("{\"query\": {\"match\": {\"title\": \"{{query_text}}\"}}, \"size\": 7}", "json");

        assertThat(dsl.isJson()).isFalse();
        assertThat(json.isJson()).isTrue();
        assertThat(dsl.variables()).containsExactly("query_text");
        var fromDsl = dsl.render(params, "query [q1]");
        var fromJson = json.render(params, "query [q1]");
        assertThat(EsJson.writeSearchCompact(fromDsl)).isEqualTo(EsJson.writeSearchCompact(fromJson));
        assertThat(EsJson.writeSearchCompact(fromDsl)).contains("a \\\"quoted\\\" back\\\\slash\\nline");
    }

    @Test
    void placeholdersAreCheckedBeforeAndWhileRendering() {
        var template = RequestTemplate.compile("QUERY match(title, \"{{query_text}} {{quer_id}}\")", "t.dsl");

        assertThatThrownBy(() -> template.requireOnly(Set.of("query_text", "query_id")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t.dsl: unknown placeholder {{quer_id}}; the template may use {{query_id}}, {{query_text}}");
        assertThatThrownBy(() -> template.render(Map.of("query_text", "x"), "query [1]"))
                .hasMessage("t.dsl: the placeholder {{quer_id}} has no value for query [1]");
        assertThatThrownBy(() -> template.renderText(Map.of("query_text", "x")))
                .hasMessage("t.dsl: the placeholder {{quer_id}} has no value");
    }

    @Test
    void invalidTextIsReportedWithTheParsersPosition() {
        assertThatThrownBy(() -> RequestTemplate.compile("QUERY match(title, {{query_text}})", "t")
                .render(Map.of("query_text", "two words"), "query [7]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("t: the request rendered for query [7] is invalid: line 1:");
        assertThatThrownBy(() -> RequestTemplate.compile("  ", "t")).hasMessage("t: the request template is empty");
        assertThatThrownBy(() -> RequestTemplate.compile("{{#a}}", "t"))
                .hasMessageStartingWith("t: not a valid mustache template");
    }
}
