package dev.rankql.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rankql.dsl.Dsl;
import dev.rankql.json.EsJson;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every DSL example in docs/ that is followed by a JSON block builds the same tree as that JSON, and both forms
 * translate into each other without loss: the promise that a query written in rankql runs unchanged on ES.
 */
class LanguageExamplesTest {

    @Test
    void theDocsHoldPairedExamples() {
        assertThat(Examples.pairs("rankql", "json")).hasSizeGreaterThanOrEqualTo(10);
    }

    @TestFactory
    Stream<DynamicTest> eachDslExampleEqualsItsJsonTwin() {
        return Examples.pairs("rankql", "json").stream().map(pair -> dynamicTest(pair.toString(), () -> {
            var fromDsl = Dsl.parseRequest(pair.dsl().text()).withoutIndex();
            var fromJson = EsJson.parseSearch(pair.json().text());

            assertThat(fromDsl).isEqualTo(fromJson);
            assertThat(EsJson.parseSearch(EsJson.writeSearch(fromDsl))).isEqualTo(fromJson);
            assertThat(Dsl.parseRequest(Dsl.print(fromJson))).isEqualTo(fromDsl);
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachJsonExampleIsAValidSearchBody() {
        return Examples.blocksOf("json").stream()
                .filter(block -> !block.text().isBlank())
                .filter(block -> block.file().getFileName().toString().matches("language\\.md|json\\.md|README\\.md"))
                .map(block -> dynamicTest(block.toString(), () -> {
                    var request = EsJson.parseSearch(block.text());
                    var canonical = EsJson.writeSearch(request);
                    assertThat(EsJson.writeSearch(EsJson.parseSearch(canonical))).isEqualTo(canonical);
                    assertThat(EsJson.writeSearch(Dsl.parseRequest(Dsl.print(request)))).isEqualTo(canonical);
                }));
    }
}
