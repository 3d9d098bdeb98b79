package dev.rankql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator reaches every node type, and every optional setting both set and unset. */
class RandomAstTest {

    @Test
    void coversEveryNodeTypeAndOption() {
        var types = new HashSet<Class<?>>();
        var present = new HashSet<String>();
        var absent = new HashSet<String>();
        for (int seed = 0; seed < 400; seed++) {
            walk(new RandomAst(new Random(seed)).searchRequest(), types, present, absent);
        }
        for (var sealed : List.of(Query.class, Retriever.class, Rescore.class, Value.class,
                RankFeatureFunction.class, SourceFilter.class, TrackTotalHits.class, Aggregation.class)) {
            assertThat(types).as(sealed.getSimpleName()).contains(sealed.getPermittedSubclasses());
        }
        assertThat(present).as("options never set").containsAll(absent);
        assertThat(absent).as("options always set (apart from the required LTR window)")
                .containsAll(present.stream().filter(o -> !o.equals("LearningToRank.windowSize")).toList());
    }

    @Test
    void sameSeedSameTree() {
        assertThat(new RandomAst(new Random(7)).searchRequest()).isEqualTo(new RandomAst(new Random(7))
                .searchRequest());
    }

    private static void walk(Object node, Set<Class<?>> types, Set<String> present, Set<String> absent) {
        if (node instanceof Collection<?> items) {
            items.forEach(item -> walk(item, types, present, absent));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(item -> walk(item, types, present, absent));
            return;
        }
        if (!(node instanceof Record record)) {
            return;
        }
        types.add(record.getClass());
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String option = record.getClass().getSimpleName() + "." + component.getName();
            if (value instanceof Optional<?> optional) {
                (optional.isPresent() ? present : absent).add(option);
                optional.ifPresent(v -> walk(v, types, present, absent));
            } else {
                walk(value, types, present, absent);
            }
        }
    }
}
