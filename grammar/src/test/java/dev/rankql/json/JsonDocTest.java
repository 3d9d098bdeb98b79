package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON examples of {@code docs/json.md} read without a diagnostic and round-trip. */
class JsonDocTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void examplesRead() throws IOException {
        var doc = Path.of(System.getProperty("rankql.root", ".."), "docs", "json.md");
        var examples = new ArrayList<String>();
        var matcher = JSON_BLOCK.matcher(Files.readString(doc));
        while (matcher.find()) {
            examples.add(matcher.group(1));
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (var example : examples) {
            var read = EsJson.readSearch(example);
            assertThat(read.isValid()).as("%s\n%s", example, read.isInvalid() ? read.getError() : List.of())
                    .isTrue();
            assertThat(EsJson.parseSearch(EsJson.writeSearch(read.get()))).isEqualTo(read.get());
        }
    }
}
