package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Every corpus body reads, round-trips to an equal tree, and its canonical form is a fixed point. */
class CorpusTest {

    static List<Corpus.Body> bodies() {
        return Corpus.bodies();
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(bodies()).hasSizeGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void roundTrips(Corpus.Body body) {
        var read = EsJson.readSearch(body.json());
        assertThat(read.isValid()).as("%s: %s", body, read.isInvalid() ? read.getError() : "").isTrue();
        var ast = read.get();
        String canonical = EsJson.writeSearch(ast);
        var again = EsJson.parseSearch(canonical);
        assertThat(again).isEqualTo(ast);
        assertThat(EsJson.writeSearch(again)).isEqualTo(canonical);
        assertThat(EsJson.writeSearchCompact(again)).isEqualTo(EsJson.writeSearchCompact(ast));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void canonicalFormKeepsEveryValueOfTheInput(Corpus.Body body) {
        // Alternative forms change shape, never content: every scalar of the input survives somewhere in the output.
        var mapper = JsonMapper.builder().build();
        var input = mapper.readTree(body.json());
        var output = mapper.readTree(EsJson.writeSearch(EsJson.parseSearch(body.json())));
        assertThat(scalars(output)).containsAll(scalars(input).stream()
                .filter(s -> !s.equals("null") && !s.equals("1.0") && !s.equals("1")).toList());
    }

    private static List<String> scalars(tools.jackson.databind.JsonNode node) {
        var out = new java.util.ArrayList<String>();
        collect(node, out);
        return out;
    }

    private static void collect(tools.jackson.databind.JsonNode node, List<String> out) {
        if (node.isContainer()) {
            node.forEach(child -> collect(child, out));
        } else if (node.isNumber()) {
            out.add(Double.toString(node.doubleValue()));
        } else {
            out.add(node.asString());
        }
    }
}
