package dev.rankql.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GcideWordnetTest {

    @TempDir
    Path dir;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String ARTICLE_1 = "Spearwood \\Spear\"wood`\\, n. (Bot.)\n   An Australian tree ({Acacia\n"
            + "   Doratoxylon}), and its tough wood.\n   [1913 Webster]\n\n";
    private static final String ARTICLE_2 = "Diluent \\Dil\"u*ent\\, n.\n   1. That which dilutes.\n";

    /** A raw tree as dpkg-deb -x leaves it: two GCIDE articles (one indexed twice), one noun and one adjective synset. */
    private Path raw() throws IOException {
        var raw = dir.resolve("raw");
        var dict = ("00-database-info\n   header\n" + ARTICLE_1 + ARTICLE_2).getBytes(StandardCharsets.UTF_8);
        int first = "00-database-info\n   header\n".length();
        int second = first + ARTICLE_1.getBytes(StandardCharsets.UTF_8).length;
        Files.createDirectories(raw.resolve("usr/share/dictd"));
        try (var out = new GZIPOutputStream(Files.newOutputStream(raw.resolve(GcideWordnet.GCIDE_DICT)))) {
            out.write(dict);
        }
        Files.writeString(raw.resolve(GcideWordnet.GCIDE_INDEX), String.join("\n",
                "00-database-info\tA\t" + b64(first),
                "Acacia Doratoxylon\t" + b64(first) + "\t" + b64(ARTICLE_1.length()),
                "Diluent\t" + b64(second) + "\t" + b64(ARTICLE_2.length()),
                "Spearwood\t" + b64(first) + "\t" + b64(ARTICLE_1.length())) + "\n");
        Files.createDirectories(raw.resolve("usr/share/wordnet"));
        for (var part : GcideWordnet.WORDNET_PARTS) {
            Files.writeString(raw.resolve(GcideWordnet.WORDNET + part), "  1 This software and database is licensed\n");
        }
        Files.writeString(raw.resolve(GcideWordnet.WORDNET + "noun"), "  1 license text\n"
                + "00002137 03 n 02 abstraction 0 abstract_entity 0 001 @ 00001740 n 0000 | a general concept  \n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(raw.resolve(GcideWordnet.WORDNET + "adj"), "  1 license text\n"
                + "00001740 00 a 01 able(a) 0 000 | having the means; \"able to swim\"  \n",
                java.nio.file.StandardOpenOption.APPEND);
        return raw;
    }

    private static String b64(long value) {
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var text = new StringBuilder();
        do {
            text.insert(0, alphabet.charAt((int) (value % 64)));
            value /= 64;
        } while (value > 0);
        return text.toString();
    }

    private static List<JsonNode> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(MAPPER::readTree).toList();
    }

    @Test
    void oneDocumentPerArticleAndPerSynsetWithTitleContentAndNumbers() throws IOException {
        var counts = GcideWordnet.convert(raw(), dir.resolve("out"));

        assertThat(counts.gcide()).isEqualTo(2);
        assertThat(counts.wordnet()).isEqualTo(2);
        assertThat(counts.files()).containsExactly(dir.resolve("out/docs-000000.jsonl"));
        var docs = read(counts.files().get(0));
        assertThat(docs).extracting(d -> d.get("title").asString())
                .containsExactly("Spearwood", "Diluent", "abstraction, abstract entity", "able");
        assertThat(docs.get(0).get("content").asString())
                .isEqualTo("An Australian tree ( Acacia Doratoxylon ), and its tough wood. [1913 Webster]");
        assertThat(docs.get(3).get("content").asString()).isEqualTo("having the means; \"able to swim\"");
        for (var doc : docs) {
            assertThat(doc.get("price").asDouble()).isBetween(1.0, 999.99);
            assertThat(doc.get("popularity").asLong()).isBetween(1L, 1_000_000L);
        }
    }

    @Test
    void aConversionIsByteIdenticalFromRunToRun() throws IOException {
        var raw = raw();
        var a = GcideWordnet.convert(raw, dir.resolve("a")).files().get(0);
        var b = GcideWordnet.convert(raw, dir.resolve("b")).files().get(0);

        assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
    }

    @Test
    void badInputIsNamedWithItsLine() throws IOException {
        var raw = raw();
        Files.writeString(raw.resolve(GcideWordnet.GCIDE_INDEX), "Diluent\tA*\tB\n");

        assertThatThrownBy(() -> GcideWordnet.convert(raw, dir.resolve("out")))
                .hasMessage("usr/share/dictd/gcide.index line 1: bad base-64 digit '*' in [A*]");
        Files.writeString(raw.resolve(GcideWordnet.GCIDE_INDEX), "Diluent\tA\n");
        assertThatThrownBy(() -> GcideWordnet.convert(raw, dir.resolve("out")))
                .hasMessage("usr/share/dictd/gcide.index line 1: expected word<TAB>offset<TAB>length, got [Diluent\tA]");
        assertThatThrownBy(() -> GcideWordnet.convert(dir.resolve("nothing"), dir.resolve("out")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("unpack dict-gcide and wordnet-base");
    }

    @Test
    void theCommandConvertsOrExplainsItsArguments() throws IOException {
        var raw = raw();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();

        int status = GcideWordnet.run(new String[] {raw.toString(), dir.resolve("out").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("4 documents (2 GCIDE articles, 2 WordNet synsets) in 1 files");
        assertThat(GcideWordnet.run(new String[] {"x"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rankql bench gcide-wordnet: expected RAW and OUT, got 1 argument\n");
    }

    @Test
    void indexNumbersAreBase64MostSignificantFirst() throws IOException {
        assertThat(GcideWordnet.base64("A", 1)).isZero();
        assertThat(GcideWordnet.base64("BA", 1)).isEqualTo(64);
        assertThat(GcideWordnet.base64("5I", 1)).isEqualTo(57 * 64 + 8);
    }
}
