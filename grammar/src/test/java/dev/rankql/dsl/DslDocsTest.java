package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every DSL example in docs/language.md parses and round-trips, and every error example fails as documented. */
class DslDocsTest {

    private static final Pattern BLOCK = Pattern.compile("```([a-z-]+)\\n(.*?)\\n```", Pattern.DOTALL);

    private record Block(String kind, String text) {}

    private static List<Block> blocks() throws IOException {
        Path doc = Path.of(System.getProperty("rankql.root", "..")).resolve("docs/language.md");
        var blocks = new ArrayList<Block>();
        BLOCK.matcher(Files.readString(doc)).results().forEach(m -> blocks.add(new Block(m.group(1), m.group(2))));
        return blocks;
    }

    @Test
    void examplesParseAndRoundTrip() throws IOException {
        var blocks = blocks();
        int examples = 0;
        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).kind().equals("rankql")) {
                continue;
            }
            examples++;
            assertThat(blocks.get(i + 1).kind()).as("the block after example %d", examples).isEqualTo("json");
            var request = Dsl.parseRequest(blocks.get(i).text());
            assertThat(Dsl.parseRequest(Dsl.print(request))).isEqualTo(request);
        }
        assertThat(examples).isGreaterThanOrEqualTo(10);
    }

    @Test
    void errorExamplesFailWithTheDocumentedMessage() throws IOException {
        var blocks = blocks();
        int errors = 0;
        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).kind().equals("rankql-error")) {
                continue;
            }
            errors++;
            assertThat(blocks.get(i + 1).kind()).isEqualTo("text");
            String text = blocks.get(i).text();
            assertThatThrownBy(() -> Dsl.parseRequest(text))
                    .isInstanceOf(DslSyntaxException.class)
                    .hasMessage(blocks.get(i + 1).text());
        }
        assertThat(errors).isGreaterThanOrEqualTo(5);
    }

    @Test
    void theDocumentedExampleIsTheCanonicalPrint() throws IOException {
        var first = blocks().stream().filter(b -> b.kind().equals("rankql")).findFirst().orElseThrow();
        assertThat(first.text()).isEqualTo(DslParserTest.EXAMPLE);
        assertThat(Dsl.print(Dsl.parseRequest(first.text()))).isEqualTo(first.text());
    }
}
