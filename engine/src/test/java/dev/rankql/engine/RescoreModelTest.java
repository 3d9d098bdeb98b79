package dev.rankql.engine;

import static dev.rankql.engine.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.Query;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random first-pass scores, random rescore chains, windows and pages: rankql's hits must equal a brute-force model
 * of Elasticsearch's rules (collect max(from + size, windows); per rescorer, what happens inside and outside its
 * window; re-sort by score then index order; page), for the classic form and for the rescorer retriever.
 */
class RescoreModelTest {

    @TempDir
    Path data;

    /** A document of the model: its position in the index, first-pass score, rescore value and "hot" flag. */
    private record Doc(int index, float first, float value, boolean hot) {}

    /** A hit of the model. */
    private record Hit(int index, float score) {}

    private static final Comparator<Hit> ORDER = Comparator.comparing((Hit h) -> -h.score).thenComparingInt(Hit::index);

    private sealed interface Step {
        int window();
    }

    private record QueryStep(int window, float queryWeight, float rescoreWeight, ScoreMode mode, float boost) implements Step {}

    private record ScriptStep(int window, float factor) implements Step {}

    private static List<Hit> apply(Step step, List<Hit> hits, List<Doc> docs) {
        var out = new ArrayList<Hit>();
        for (int i = 0; i < hits.size(); i++) {
            var h = hits.get(i);
            var doc = docs.get(h.index);
            boolean inside = i < step.window();
            float score = switch (step) {
                case QueryStep q -> inside && doc.hot
                        ? combine(q.mode, h.score * q.queryWeight, q.boost * q.rescoreWeight)
                        : h.score * q.queryWeight;
                // script: _score * factor + doc['v'].value, computed in double as Lucene expressions do.
                case ScriptStep s -> inside ? (float) ((double) h.score * (double) s.factor + (double) doc.value) : h.score;
            };
            out.add(new Hit(h.index, score));
        }
        out.sort(ORDER);
        return out;
    }

    private static float combine(ScoreMode mode, float a, float b) {
        return switch (mode) {
            case TOTAL -> a + b;
            case MULTIPLY -> a * b;
            case AVG -> (a + b) / 2;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    private static Rescore toRescore(Step step) {
        return switch (step) {
            case QueryStep q -> queryRescore(q.window, constantScore(term("hot", Value.of(true)), q.boost), q.queryWeight,
                    q.rescoreWeight, q.mode);
            case ScriptStep s -> new Rescore.ScriptRescore(dev.rankql.ast.Span.NONE, java.util.Optional.of(s.window),
                    script("_score * " + s.factor + " + doc['v'].value", Map.of()));
        };
    }

    @Test
    void classicAndRetrieverFormsFollowTheModel() throws Exception {
        var random = new Random(42);
        try (var engine = Engine.open(data)) {
            engine.createIndex("m", "{\"mappings\": {\"properties\": {\"s\": {\"type\": \"float\"}, \"v\": {\"type\": \"float\"}, "
                    + "\"hot\": {\"type\": \"boolean\"}}}}");
            var docs = new ArrayList<Doc>();
            var sources = new ArrayList<String>();
            for (int i = 0; i < 40; i++) {
                // Few distinct first-pass scores, so that ties are frequent.
                float first = 1 + random.nextInt(8);
                float value = random.nextInt(5);
                boolean hot = random.nextBoolean();
                docs.add(new Doc(i, first, value, hot));
                sources.add("{\"s\": " + first + ", \"v\": " + value + ", \"hot\": " + hot + "}");
            }
            TestIndex.indexDocs(engine, "m", sources);
            Query firstPass = scriptScore(matchAll(), "doc['s'].value", Map.of());
            for (int round = 0; round < 80; round++) {
                var steps = new ArrayList<Step>();
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int window = random.nextInt(25);
                    steps.add(random.nextBoolean()
                            ? new QueryStep(window, 0.5f + random.nextInt(3), 0.5f + random.nextInt(3),
                                    ScoreMode.values()[random.nextInt(ScoreMode.values().length)], 1 + random.nextInt(6))
                            : new ScriptStep(window, random.nextInt(3) - 1));
                }
                int from = random.nextInt(8);
                int size = random.nextInt(12);
                var rescores = steps.stream().map(RescoreModelTest::toRescore).toArray(Rescore[]::new);

                // Classic form.
                var expected = classicModel(docs, steps, from, size);
                var response = engine.search("m", search(firstPass, from, size, rescores));
                assertThat(hits(response)).as("round %d classic %s from %d size %d", round, steps, from, size).isEqualTo(expected);

                // Rescorer retriever: the window is the smallest one, and nothing outside it is returned.
                int window = steps.stream().mapToInt(Step::window).min().orElseThrow();
                if (size <= window) {
                    var retrieverExpected = retrieverModel(docs, steps, from, size);
                    var retrieverResponse = engine.search("m", retriever(rescorer(standard(firstPass), List.of(), rescores), from, size));
                    assertThat(hits(retrieverResponse)).as("round %d retriever %s from %d size %d", round, steps, from, size)
                            .isEqualTo(retrieverExpected);
                    assertThat(retrieverResponse.total().orElseThrow().value()).isEqualTo(docs.size());
                }
            }
        }
    }

    private static List<Hit> firstPass(List<Doc> docs, int count) {
        var hits = new ArrayList<Hit>();
        for (var d : docs) {
            hits.add(new Hit(d.index, d.first));
        }
        hits.sort(ORDER);
        return new ArrayList<>(hits.subList(0, Math.min(count, hits.size())));
    }

    private static List<Hit> classicModel(List<Doc> docs, List<Step> steps, int from, int size) {
        int collect = from + size;
        for (var s : steps) {
            collect = Math.max(collect, s.window());
        }
        var hits = firstPass(docs, collect);
        if (size > 0) {
            for (var s : steps) {
                hits = apply(s, hits, docs);
            }
        }
        return page(hits, from, size);
    }

    private static List<Hit> retrieverModel(List<Doc> docs, List<Step> steps, int from, int size) {
        int window = steps.stream().mapToInt(Step::window).min().orElseThrow();
        int collect = window;
        for (var s : steps) {
            collect = Math.max(collect, s.window());
        }
        var hits = firstPass(docs, collect);
        if (window > 0) {
            for (var s : steps) {
                hits = apply(s, hits, docs);
            }
        }
        hits = new ArrayList<>(hits.subList(0, Math.min(window, hits.size())));
        return page(hits, from, size);
    }

    private static List<Hit> page(List<Hit> hits, int from, int size) {
        if (from >= hits.size()) {
            return List.of();
        }
        return hits.subList(from, Math.min(hits.size(), from + size));
    }

    private static List<Hit> hits(dev.rankql.engine.search.SearchResponse response) {
        return response.hits().stream().map(h -> new Hit(Integer.parseInt(h.id()) - 1, h.score().orElseThrow())).toList();
    }
}
