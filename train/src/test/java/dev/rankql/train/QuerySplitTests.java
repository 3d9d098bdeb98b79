package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.eval.Qrels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuerySplitTests {

    private static final List<String> IDS = IntStream.range(0, 100).mapToObj(i -> "q" + i).toList();

    @Test
    void aRandomSplitHasTheRequestedSizeAndDependsOnlyOnSeedAndIds() {
        QuerySplit split = QuerySplit.random(IDS, 0.2, 5);
        List<String> reversed = new ArrayList<>(IDS);
        Collections.reverse(reversed);

        assertThat(split.validation()).hasSize(20);
        assertThat(split.train()).hasSize(80);
        assertThat(union(split)).isEqualTo(Set.copyOf(IDS));
        assertThat(QuerySplit.random(IDS, 0.2, 5)).isEqualTo(split);
        assertThat(Set.copyOf(QuerySplit.random(reversed, 0.2, 5).validation()))
                .isEqualTo(Set.copyOf(split.validation()));
        assertThat(QuerySplit.random(IDS, 0.2, 6).validation()).isNotEqualTo(split.validation());
        assertThat(split.train()).isSortedAccordingTo((a, b) -> IDS.indexOf(a) - IDS.indexOf(b));
    }

    @Test
    void groupsJoinQueriesThroughSharedRelevantDocumentsOnly() {
        Qrels qrels = Qrels.of(Map.of(
                "a", Map.of("d1", 1, "d2", 0),
                "b", Map.of("d1", 2),
                "c", Map.of("d3", 1, "d2", 1),
                "d", Map.of("d3", 1),
                "e", Map.of("d2", 0),
                "f", Map.of("d4", 1)));

        assertThat(QuerySplit.groups(List.of("f", "e", "d", "c", "b", "a", "g"), qrels)).containsExactly(
                List.of("a", "b"), List.of("c", "d"), List.of("e"), List.of("f"), List.of("g"));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void noGroupStraddlesAGroupedSplitAndItsSizeIsClose(long seed) {
        Random random = new Random(seed);
        Qrels.Builder builder = Qrels.builder();
        for (String id : IDS) {
            int relevant = 1 + random.nextInt(3);
            for (int r = 0; r < relevant; r++) {
                String doc = "doc" + random.nextInt(300);
                if (!builder.contains(id, doc)) {
                    builder.add(id, doc, 1);
                }
            }
            builder.add(id, "shared-non-relevant", 0);
        }
        Qrels qrels = builder.build();
        List<List<String>> groups = QuerySplit.groups(IDS, qrels);

        QuerySplit split = QuerySplit.grouped(IDS, qrels, 0.2, seed);

        Set<String> validation = Set.copyOf(split.validation());
        for (List<String> group : groups) {
            assertThat(validation.containsAll(group) || Collections.disjoint(validation, group))
                    .as("group %s lies on one side", group).isTrue();
        }
        Set<String> trainDocs = relevantDocs(qrels, split.train());
        assertThat(relevantDocs(qrels, split.validation())).doesNotContainAnyElementsOf(trainDocs);
        int largestSmallGroup = groups.stream().mapToInt(List::size).filter(n -> n <= 40).max().orElseThrow();
        assertThat(split.validation().size()).isBetween(20 - largestSmallGroup, 20 + largestSmallGroup);
        assertThat(union(split)).isEqualTo(Set.copyOf(IDS));
        assertThat(QuerySplit.grouped(IDS, qrels, 0.2, seed)).isEqualTo(split);
    }

    @Test
    void withoutSharedDocumentsAGroupedSplitIsExact() {
        Qrels qrels = Qrels.builder().add("q1", "d1", 1).build();

        assertThat(QuerySplit.grouped(IDS, qrels, 0.3, 9).validation()).hasSize(30);
    }

    @Test
    void aGroupTooLargeForTheTargetTrains() {
        Qrels.Builder builder = Qrels.builder();
        for (int i = 0; i < 8; i++) {
            builder.add("big" + i, "popular", 1);
        }
        builder.add("alone1", "x", 1).add("alone2", "y", 1);
        List<String> ids = List.of("big0", "big1", "big2", "big3", "big4", "big5", "big6", "big7", "alone1", "alone2");

        QuerySplit split = QuerySplit.grouped(ids, builder.build(), 0.2, 1);

        assertThat(split.validation()).containsExactlyInAnyOrder("alone1", "alone2");
    }

    @Test
    void aFixedSplitValidatesTheGivenQueries() {
        QuerySplit split = QuerySplit.fixed(List.of("a", "b", "c", "d"), List.of("c", "a"));

        assertThat(split).isEqualTo(new QuerySplit(List.of("b", "d"), List.of("a", "c")));
        assertThatThrownBy(() -> QuerySplit.fixed(List.of("a", "b"), List.of("z")))
                .hasMessage("validation query [z] has no training data");
        assertThatThrownBy(() -> QuerySplit.fixed(List.of("a", "b"), List.of("a", "b")))
                .hasMessage("a split needs training and validation queries; 2 of the 2 queries validate");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> QuerySplit.random(IDS, 1.0, 1))
                .hasMessage("the validation fraction must be strictly between 0 and 1, found 1.0");
        assertThatThrownBy(() -> QuerySplit.random(List.of("a"), 0.5, 1))
                .hasMessage("a split needs at least 2 queries, found 1");
        assertThatThrownBy(() -> QuerySplit.random(List.of("a", "a"), 0.5, 1))
                .hasMessage("query [a] is listed twice");
        assertThatThrownBy(() -> new QuerySplit(List.of("a"), List.of("a")))
                .hasMessage("query [a] is in both parts of the split");
    }

    private static Set<String> union(QuerySplit split) {
        Set<String> all = new HashSet<>(split.train());
        all.addAll(split.validation());
        assertThat(all).hasSize(split.train().size() + split.validation().size());
        return all;
    }

    private static Set<String> relevantDocs(Qrels qrels, List<String> queries) {
        Set<String> docs = new HashSet<>();
        for (String query : queries) {
            qrels.judgments(query).forEach((doc, grade) -> {
                if (grade >= Qrels.RELEVANT) {
                    docs.add(doc);
                }
            });
        }
        return docs;
    }
}
