package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Broken inputs derived from the corpus: whatever happens, the only failure is a positioned DslSyntaxException. */
class DslMutationTest {

    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z0-9_.@*-]+|\\S");
    private static final String ALPHABET = "()[]{},:|^\"'\\/*-_.@ \n\tabzAZ09eE+#$%`~ö日😀\u0000";

    private final Random random = new Random(42);

    private static List<String> corpus() throws Exception {
        var texts = new ArrayList<String>();
        for (Path p : DslCorpusTest.corpus().toList()) {
            texts.add(Files.readString(p));
        }
        return texts;
    }

    /** Parses {@code text} through every entry point; returns how many were rejected. */
    private static int parseOrFailCleanly(String text) {
        int rejected = 0;
        for (var entry : List.<Runnable>of(
                () -> Dsl.parseRequest(text), () -> Dsl.parseQuery(text), () -> Dsl.parseRetriever(text))) {
            try {
                entry.run();
            } catch (DslSyntaxException e) {
                rejected++;
                assertThat(e.line()).as(text).isPositive();
                assertThat(e.column()).as(text).isPositive();
                assertThat(e.getMessage()).as(text).startsWith("line " + e.line() + ":" + e.column() + ": ");
                assertThat(e.bareMessage()).as(text).isNotBlank();
            }
        }
        return rejected;
    }

    @Test
    void truncatedInputs() throws Exception {
        int rejected = 0;
        for (String text : corpus()) {
            for (int cut = 0; cut < text.length(); cut += 1 + random.nextInt(8)) {
                rejected += parseOrFailCleanly(text.substring(0, cut));
            }
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void tokenShuffledInputs() throws Exception {
        int rejected = 0;
        for (String text : corpus()) {
            var tokens = new ArrayList<String>();
            TOKEN.matcher(text).results().forEach(m -> tokens.add(m.group()));
            for (int round = 0; round < 20; round++) {
                var mutated = new ArrayList<>(tokens);
                int i = random.nextInt(mutated.size());
                int j = random.nextInt(mutated.size());
                switch (random.nextInt(4)) {
                    case 0 -> Collections.swap(mutated, i, j);
                    case 1 -> mutated.remove(i);
                    case 2 -> mutated.add(i, mutated.get(j));
                    default -> Collections.shuffle(mutated, random);
                }
                rejected += parseOrFailCleanly(String.join(" ", mutated));
            }
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void randomCharacters() {
        int rejected = 0;
        for (int round = 0; round < 1000; round++) {
            var text = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
                        random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
            }
            rejected += parseOrFailCleanly(text.toString());
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void randomCharactersSplicedIntoValidText() throws Exception {
        for (String text : corpus()) {
            for (int round = 0; round < 20; round++) {
                int at = random.nextInt(text.length() + 1);
                String insert = String.valueOf(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                parseOrFailCleanly(text.substring(0, at) + insert + text.substring(at));
            }
        }
    }
}
