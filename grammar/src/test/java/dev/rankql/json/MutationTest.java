package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Truncated, shuffled and randomly damaged corpus bodies only ever give diagnostics, never another exception; and
 * whatever still reads round-trips.
 */
class MutationTest {

    private static final Pattern TOKENS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null"
            + "|[{}\\[\\]:,]|\\s+");
    private static final String NOISE = "{}[]:,\"\\0123456789.eE+-truefalsnl \n\té€\u0000\u001f\uD83D";

    @Test
    void everyPrefixOfEveryBodyIsHandled() {
        for (var body : Corpus.bodies()) {
            for (int end = 0; end < body.json().length(); end++) {
                check(body.name() + " cut at " + end, body.json().substring(0, end));
            }
        }
    }

    @Test
    void shuffledTokensAreHandled() {
        var random = new Random(42);
        for (var body : Corpus.bodies()) {
            var tokens = tokens(body.json());
            for (int i = 0; i < 100; i++) {
                var copy = new ArrayList<>(tokens);
                int from = random.nextInt(copy.size());
                int to = Math.min(copy.size(), from + 2 + random.nextInt(12));
                Collections.shuffle(copy.subList(from, to), random);
                check(body.name() + " shuffle " + i, String.join("", copy));
            }
        }
    }

    @Test
    void randomlyDamagedBytesAreHandled() {
        var random = new Random(7);
        for (var body : Corpus.bodies()) {
            for (int i = 0; i < 150; i++) {
                var text = new StringBuilder(body.json());
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits && !text.isEmpty(); e++) {
                    int at = random.nextInt(text.length());
                    char noise = NOISE.charAt(random.nextInt(NOISE.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> text.setCharAt(at, noise);
                        case 1 -> text.insert(at, noise);
                        default -> text.deleteCharAt(at);
                    }
                }
                check(body.name() + " damage " + i, text.toString());
            }
        }
    }

    @Test
    void tokenLevelEditsKeepingJsonValidAreHandled() {
        var random = new Random(11);
        var replacements = List.of("null", "-1", "0", "1.5", "1e999", "\"\"", "\"x\"", "true", "[]", "{}",
                "[{}]", "99999999999999999999", "{\"match_all\": {}}");
        for (var body : Corpus.bodies()) {
            var tokens = tokens(body.json());
            for (int i = 0; i < 150; i++) {
                var copy = new ArrayList<>(tokens);
                int at = random.nextInt(copy.size());
                if (copy.get(at).isBlank() || copy.get(at).length() == 1 && "{}[]:,".contains(copy.get(at))) {
                    continue;
                }
                copy.set(at, replacements.get(random.nextInt(replacements.size())));
                check(body.name() + " edit " + i, String.join("", copy));
            }
        }
    }

    private static List<String> tokens(String json) {
        var tokens = new ArrayList<String>();
        var matcher = TOKENS.matcher(json);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    private static void check(String what, String json) {
        var result = EsJson.readSearch(json);
        if (result.isInvalid()) {
            assertThat(result.getError()).as(what).isNotEmpty().allSatisfy(d -> {
                assertThat(d.path()).startsWith("$");
                assertThat(d.message()).isNotBlank();
            });
            return;
        }
        var canonical = EsJson.writeSearch(result.get());
        assertThat(EsJson.parseSearch(canonical)).as(what).isEqualTo(result.get());
    }
}
