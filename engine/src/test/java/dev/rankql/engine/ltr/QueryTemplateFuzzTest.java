package dev.rankql.engine.ltr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.mapping.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Coverage-guided fuzzing of feature-template compilation and mustache rendering: the input is a template and,
 * after a NUL byte, the params as JSON. A template is compiled, then rendered, and either step fails only with an
 * {@link EngineException}; anything else, or unbounded output, is a finding.
 */
class QueryTemplateFuzzTest {

    private static final Map<String, Object> DEFAULT_PARAMS = Map.of(
            "keywords", "rambo \"first\" blood", "n", 3, "flag", true,
            "list", List.of("a", "b", List.of(1, 2)), "obj", Map.of("x", "y", "deep", Map.of("z", 1)));

    @FuzzTest(maxDuration = "5s")
    void compileAndRender(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        String template = nul < 0 ? text : text.substring(0, nul);
        Map<String, Object> params = nul < 0 ? DEFAULT_PARAMS : params(text.substring(nul + 1));
        JsonNode query;
        try {
            query = Json.MAPPER.readTree(template);
        } catch (JacksonException e) {
            query = null;
        }
        if (query == null || !query.isObject()) {
            var match = Json.object();
            match.putObject("match").put("title", template);
            query = match;
        }
        try {
            var compiled = QueryTemplate.compile(query, "fuzz");
            compiled.render(params).ifPresent(rendered -> assertThat(rendered).isNotNull());
        } catch (EngineException e) {
            assertThat(e.type()).isNotBlank();
        }
    }

    private static Map<String, Object> params(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? Params.toJava(node) : DEFAULT_PARAMS;
        } catch (JacksonException e) {
            return DEFAULT_PARAMS;
        }
    }
}
