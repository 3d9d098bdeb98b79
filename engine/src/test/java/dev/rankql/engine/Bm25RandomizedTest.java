package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.engine.search.SearchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random corpora and random queries: every hit and every BM25 score must equal a naive scorer that counts terms by
 * hand, with Elasticsearch's formula and defaults: idf ln(1 + (N - n + 0.5) / (n + 0.5)) times
 * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)), k1 1.2, b 0.75.
 */
class Bm25RandomizedTest {

    private static final String[] VOCABULARY = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"};
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    @TempDir
    Path data;

    /** One field of the corpus: each document's tokens (null when the document lacks the field). */
    private record Field(String name, List<List<String>> docs) {
        int docCount() {
            return (int) docs.stream().filter(d -> d != null).count();
        }

        double avgLength() {
            return docs.stream().filter(d -> d != null).mapToInt(List::size).sum() / (double) docCount();
        }

        int docFreq(String term) {
            return (int) docs.stream().filter(d -> d != null && d.contains(term)).count();
        }

        /** The naive BM25 score of one query term in document {@code doc}, or null when the term is absent. */
        Double score(String term, int doc) {
            var tokens = docs.get(doc);
            if (tokens == null || !tokens.contains(term)) {
                return null;
            }
            double n = docFreq(term);
            double idf = Math.log(1 + (docCount() - n + 0.5) / (n + 0.5));
            double tf = tokens.stream().filter(term::equals).count();
            return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * tokens.size() / avgLength()));
        }
    }

    private static List<String> randomTokens(Random random, int max) {
        int length = 1 + random.nextInt(max);
        var tokens = new ArrayList<String>();
        for (int i = 0; i < length; i++) {
            // A skewed distribution, so that document frequencies differ.
            tokens.add(VOCABULARY[Math.min(random.nextInt(VOCABULARY.length), random.nextInt(VOCABULARY.length))]);
        }
        return tokens;
    }

    /** The naive score of a match query on one field: the sum over query terms, null when the operator fails. */
    private static Double matchScore(Field field, List<String> query, Operator operator, int doc) {
        double sum = 0;
        int matched = 0;
        for (var term : query) {
            var s = field.score(term, doc);
            if (s != null) {
                sum += s;
                matched++;
            }
        }
        if (matched == 0 || operator == Operator.AND && matched < query.size()) {
            return null;
        }
        return sum;
    }

    @Test
    void scoresEqualTheNaiveReference() throws Exception {
        var random = new Random(0x5EEDL);
        try (var engine = Engine.open(data)) {
            for (int round = 0; round < 6; round++) {
                var index = "r" + round;
                engine.createIndex(index, "{\"mappings\": {\"properties\": {\"body\": {\"type\": \"text\"}, \"title\": {\"type\": \"text\"}}}}");
                int docCount = 5 + random.nextInt(40);
                var body = new Field("body", new ArrayList<>());
                var title = new Field("title", new ArrayList<>());
                var sources = new ArrayList<String>();
                for (int d = 0; d < docCount; d++) {
                    var b = randomTokens(random, 20);
                    var t = random.nextInt(4) == 0 ? null : randomTokens(random, 5);
                    body.docs().add(b);
                    title.docs().add(t);
                    sources.add("{\"body\": \"" + String.join(" ", b) + "\"" + (t == null ? "" : ", \"title\": \"" + String.join(" ", t) + "\"") + "}");
                }
                TestIndex.indexDocs(engine, index, sources);
                for (int q = 0; q < 25; q++) {
                    var terms = randomTokens(random, 3);
                    var text = String.join(" ", terms);
                    var operator = random.nextBoolean() ? Operator.AND : Operator.OR;
                    int kind = random.nextInt(3);
                    float tie = random.nextInt(3) * 0.3f;
                    Query query;
                    Map<Integer, Double> expected = new HashMap<>();
                    switch (kind) {
                        case 0 -> {
                            query = Ast.match("body", text, operator, null);
                            for (int d = 0; d < docCount; d++) {
                                var s = matchScore(body, terms, operator, d);
                                if (s != null) {
                                    expected.put(d, s);
                                }
                            }
                        }
                        case 1 -> {
                            query = Ast.multiMatch(text, MultiMatchType.BEST_FIELDS, tie, "body", "title");
                            for (int d = 0; d < docCount; d++) {
                                var sb = matchScore(body, terms, Operator.OR, d);
                                var st = matchScore(title, terms, Operator.OR, d);
                                if (sb != null || st != null) {
                                    double a = sb == null ? 0 : sb;
                                    double c = st == null ? 0 : st;
                                    double max = Math.max(a, c);
                                    expected.put(d, max + tie * (a + c - max));
                                }
                            }
                        }
                        default -> {
                            query = Ast.multiMatch(text, MultiMatchType.MOST_FIELDS, null, "body", "title");
                            for (int d = 0; d < docCount; d++) {
                                var sb = matchScore(body, terms, Operator.OR, d);
                                var st = matchScore(title, terms, Operator.OR, d);
                                if (sb != null || st != null) {
                                    expected.put(d, (sb == null ? 0 : sb) + (st == null ? 0 : st));
                                }
                            }
                        }
                    }
                    var response = engine.search(index, Ast.search(query, 0, docCount));
                    assertMatches(response, expected, query + " on " + sources);
                }
            }
        }
    }

    private static void assertMatches(SearchResponse response, Map<Integer, Double> expected, String context) {
        assertThat(response.total().orElseThrow().value()).as(context).isEqualTo(expected.size());
        assertThat(response.hits()).as(context).hasSize(expected.size());
        float previous = Float.POSITIVE_INFINITY;
        int previousDoc = -1;
        for (var hit : response.hits()) {
            int doc = Integer.parseInt(hit.id()) - 1;
            assertThat(expected).as(context).containsKey(doc);
            float score = hit.score().orElseThrow();
            assertThat((double) score).as(context + " doc " + doc).isCloseTo(expected.get(doc), within(1e-5 * Math.max(1, expected.get(doc))));
            // Elasticsearch's order: score descending, ties by index order (here: ingest order).
            assertThat(score).as(context).isLessThanOrEqualTo(previous);
            if (score == previous) {
                assertThat(doc).as(context).isGreaterThan(previousDoc);
            }
            previous = score;
            previousDoc = doc;
        }
    }
}
