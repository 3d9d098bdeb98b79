package dev.rankql.models.lsa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the LSA model reader: a file either reads into a model that embeds its own terms and
 * writes back to text that reads as the same model, or fails with an {@link LsaFormatException} that names a JSON
 * path; anything else is a finding.
 */
class LsaFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        LsaModel model;
        try {
            model = LsaModel.read(new StringReader(text));
        } catch (LsaFormatException e) {
            assertThat(e.path()).startsWith("$");
            assertThat(e.getMessage()).startsWith(e.path() + ": ").hasSizeGreaterThan(e.path().length() + 2);
            return;
        }
        Map<String, Integer> bag = new HashMap<>();
        for (int t = 0; t < Math.min(3, model.vocabularySize()); t++) {
            bag.put(model.terms()[t], t + 1);
        }
        model.embed(bag).ifPresent(embedding -> assertThat(embedding).hasSize(model.dimensions()));
        StringWriter out = new StringWriter();
        model.write(out);
        StringWriter again = new StringWriter();
        LsaModel.read(new StringReader(out.toString())).write(again);
        assertThat(again.toString()).isEqualTo(out.toString());
    }
}
