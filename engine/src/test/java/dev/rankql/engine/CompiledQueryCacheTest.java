package dev.rankql.engine;

import static dev.rankql.engine.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Query;
import dev.rankql.ast.Value;
import dev.rankql.engine.search.CompiledQueries;
import dev.rankql.engine.search.QueryCompiler;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled-query cache: it reuses a compilation only where compiling again would give the same Lucene query. */
class CompiledQueryCacheTest {

    @TempDir
    static Path data;

    static Engine engine;

    @BeforeAll
    static void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("c", """
                {"mappings": {"properties": {
                  "title": {"type": "text", "analyzer": "english"}, "body": {"type": "text"},
                  "day": {"type": "date"}, "pop": {"type": "rank_feature"}}}}""");
        TestIndex.indexDocs(engine, "c", List.of(
                "{\"title\": \"running foxes\", \"body\": \"quick brown fox\", \"day\": \"2024-01-01\", \"pop\": 3}",
                "{\"title\": \"a lazy dog\", \"body\": \"brown dog sleeps\", \"day\": \"2024-02-01\", \"pop\": 1}"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        engine.close();
    }

    /** Compiles {@code query} twice with one cache; returns the cache. */
    private static CompiledQueries compileTwice(Query query, Function<QueryCompiler, Object> check) {
        var cache = new CompiledQueries();
        engine.withSearcher("c", (view, searcher) -> {
            var first = new QueryCompiler(view, searcher.getIndexReader(), cache);
            var one = first.compileCached(query);
            var second = new QueryCompiler(view, searcher.getIndexReader(), cache);
            var two = second.compileCached(query);
            assertThat(two).isEqualTo(one).isEqualTo(new QueryCompiler(view, searcher.getIndexReader()).compile(query));
            check.apply(second);
            return null;
        });
        return cache;
    }

    @Test
    void anEqualQueryIsCompiledOnceAndReused() {
        var cache = new CompiledQueries();
        var query = multiMatch("running foxes", MultiMatchType.BEST_FIELDS, 0.3f, "title", "body");
        engine.withSearcher("c", (view, searcher) -> {
            var one = new QueryCompiler(view, searcher.getIndexReader(), cache).compileCached(query);
            // An equal tree, built separately: the cache compares queries by content.
            var same = multiMatch("running foxes", MultiMatchType.BEST_FIELDS, 0.3f, "title", "body");
            var two = new QueryCompiler(view, searcher.getIndexReader(), cache).compileCached(same);
            assertThat(two).isSameAs(one);
            var other = new QueryCompiler(view, searcher.getIndexReader(), cache).compileCached(
                    multiMatch("lazy dog", MultiMatchType.BEST_FIELDS, 0.3f, "title", "body"));
            assertThat(other).isNotEqualTo(one);
            return null;
        });
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void namedQueriesAreCompiledEachTimeSoThatTheirNamesAreRecorded() {
        var cache = compileTwice(bool(List.of(named(term("body", Value.of("fox")), "f")), List.of(), List.of(), List.of(), null),
                compiler -> assertThat(compiler.namedQueries()).containsOnlyKeys("f"));
        assertThat(cache.size()).isZero();
    }

    @Test
    void queriesThatReadTheClockOrTheIndexAreNotCached() {
        var now = new CompiledQueries();
        engine.withSearcher("c", (view, searcher) -> {
            // Two compilations a millisecond apart differ, so only the cache's size is checked.
            new QueryCompiler(view, searcher.getIndexReader(), now)
                    .compileCached(range("day", Value.of("2020-01-01"), Value.of("now")));
            return null;
        });
        assertThat(now.size()).isZero();
        assertThat(compileTwice(range("day", Value.of("2020-01-01"), Value.of("2030-01-01")), c -> null).size()).isOne();
        assertThat(compileTwice(multiMatch("brown fox", MultiMatchType.CROSS_FIELDS, null, "title", "body"), c -> null).size())
                .isZero();
        assertThat(compileTwice(phrasePrefix("body", "brown f"), c -> null).size()).isZero();
        assertThat(compileTwice(scriptScore(match("body", "fox"), "_score * 2", java.util.Map.of()), c -> null).size()).isZero();
    }

    @Test
    void aMappingChangeStartsAFreshCache() {
        var request = search(match("extra", "hello"), null, 10);
        assertThat(engine.search("c", request).hits()).isEmpty();
        // The field did not exist, so the cached compilation matches nothing; dynamic mapping now adds it.
        var bulk = engine.bulk("c", new StringReader("{\"index\":{\"_id\":\"3\"}}\n{\"extra\": \"hello world\"}\n"),
                RefreshPolicy.IMMEDIATE);
        assertThat(bulk.errors()).isFalse();
        assertThat(TestIndex.ids(engine.search("c", request))).containsExactly("3");
    }
}
