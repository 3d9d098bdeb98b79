package dev.rankql.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FusionTest {

    private record Scored(int doc, float score) {}

    /** Random child rankings: distinct docs from a small pool (so lists overlap), scores descending with ties. */
    private static List<Fusion.Ranking> children(Random random) {
        int count = 1 + random.nextInt(4);
        var result = new ArrayList<Fusion.Ranking>();
        for (int c = 0; c < count; c++) {
            int size = random.nextInt(15);
            var docs = new LinkedHashSet<Integer>();
            while (docs.size() < size) {
                docs.add(random.nextInt(30));
            }
            var scores = new float[size];
            float score = 1 + random.nextInt(20);
            for (int i = 0; i < size; i++) {
                scores[i] = score;
                if (random.nextBoolean()) {
                    score = Math.max(0, score - random.nextInt(3) * 0.5f);
                }
            }
            result.add(new Fusion.Ranking(docs.stream().mapToInt(Integer::intValue).toArray(), scores));
        }
        return result;
    }

    private static List<Scored> sortAndCut(List<Scored> all, int window) {
        var sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Scored::score, Comparator.reverseOrder()).thenComparing(Scored::doc));
        return sorted.subList(0, Math.min(window, sorted.size()));
    }

    private static List<Scored> asList(Fusion.Ranking ranking) {
        var list = new ArrayList<Scored>();
        for (int i = 0; i < ranking.size(); i++) {
            list.add(new Scored(ranking.docs()[i], ranking.scores()[i]));
        }
        return list;
    }

    private static LinkedHashSet<Integer> union(List<Fusion.Ranking> children) {
        var all = new LinkedHashSet<Integer>();
        children.forEach(c -> {
            for (int d : c.docs()) {
                all.add(d);
            }
        });
        return all;
    }

    @Test
    void rrfMatchesTheFormulaOverRandomRankings() {
        var random = new Random(42);
        for (int round = 0; round < 500; round++) {
            var children = children(random);
            int constant = 1 + random.nextInt(80);
            int window = 1 + random.nextInt(20);
            var expected = new ArrayList<Scored>();
            for (int doc : union(children)) {
                float score = 0;
                for (var child : children) {
                    for (int i = 0; i < child.size(); i++) {
                        if (child.docs()[i] == doc) {
                            score += 1.0f / (constant + i + 1);
                        }
                    }
                }
                expected.add(new Scored(doc, score));
            }
            assertThat(asList(Fusion.rrf(children, constant, window))).isEqualTo(sortAndCut(expected, window));
        }
    }

    @Test
    void rrfBreaksTiesBySmallerDocId() {
        var a = new Fusion.Ranking(new int[] {7, 3}, new float[] {2, 1});
        var b = new Fusion.Ranking(new int[] {3, 7}, new float[] {5, 4});
        var fused = Fusion.rrf(List.of(a, b), 60, 10);
        assertThat(fused.docs()).containsExactly(3, 7);
        assertThat(fused.scores()[0]).isEqualTo(1f / 61 + 1f / 62);
    }

    @Test
    void linearMatchesNormalizedWeightedSumsOverRandomRankings() {
        var random = new Random(7);
        var normalizers = Fusion.Normalizer.values();
        for (int round = 0; round < 500; round++) {
            var children = children(random);
            var weights = new float[children.size()];
            var chosen = new Fusion.Normalizer[children.size()];
            for (int c = 0; c < children.size(); c++) {
                weights[c] = random.nextInt(5) * 0.5f;
                chosen[c] = normalizers[random.nextInt(normalizers.length)];
            }
            int window = 1 + random.nextInt(20);
            Optional<Float> minScore = random.nextBoolean() ? Optional.empty() : Optional.of(random.nextFloat());
            var normalizedScores = new ArrayList<float[]>();
            for (int c = 0; c < children.size(); c++) {
                normalizedScores.add(reference(chosen[c], children.get(c).scores()));
            }
            var expected = new ArrayList<Scored>();
            for (int doc : union(children)) {
                float score = 0;
                for (int c = 0; c < children.size(); c++) {
                    var child = children.get(c);
                    for (int i = 0; i < child.size(); i++) {
                        if (child.docs()[i] == doc) {
                            score += weights[c] * normalizedScores.get(c)[i];
                        }
                    }
                }
                expected.add(new Scored(doc, score));
            }
            var cut = sortAndCut(expected, window).stream()
                    .filter(s -> minScore.isEmpty() || s.score() >= minScore.get()).toList();
            assertThat(asList(Fusion.linear(children, weights, chosen, window, minScore))).isEqualTo(cut);
        }
    }

    /** The normalizers written out plainly, for scores without NaN. */
    private static float[] reference(Fusion.Normalizer normalizer, float[] scores) {
        var out = scores.clone();
        if (scores.length == 0) {
            return out;
        }
        switch (normalizer) {
            case NONE -> {
                return out;
            }
            case MINMAX -> {
                float min = scores[0];
                float max = scores[0];
                for (float s : scores) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] = max - min < 1e-6f ? min : (scores[i] - min) / (max - min);
                }
            }
            case L2_NORM -> {
                double sum = 0;
                for (float s : scores) {
                    sum += s * s;
                }
                double norm = Math.sqrt(sum);
                for (int i = 0; i < out.length; i++) {
                    out[i] = norm < 1e-6 ? scores[i] : (float) (scores[i] / norm);
                }
            }
        }
        return out;
    }

    @Test
    void minmaxOfEqualScoresKeepsTheirValueAsElasticsearchDoes() {
        assertThat(Fusion.Normalizer.MINMAX.normalize(new float[] {3, 3})).containsExactly(3, 3);
        assertThat(Fusion.Normalizer.MINMAX.normalize(new float[] {4, 2, 3})).containsExactly(1, 0, 0.5f);
        assertThat(Fusion.Normalizer.L2_NORM.normalize(new float[] {3, 4})).containsExactly(0.6f, 0.8f);
    }

    @Test
    void theWindowCutsTheFusedList() {
        var a = new Fusion.Ranking(new int[] {1, 2, 3}, new float[] {3, 2, 1});
        assertThat(Fusion.rrf(List.of(a), 60, 2).docs()).containsExactly(1, 2);
        assertThat(Fusion.linear(List.of(a), new float[] {1}, new Fusion.Normalizer[] {Fusion.Normalizer.NONE}, 2,
                Optional.of(2.5f)).docs()).containsExactly(1);
    }
}
