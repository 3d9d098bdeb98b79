package dev.rankql.engine;

import static dev.rankql.engine.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import dev.rankql.ast.ZeroTermsQuery;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.search.MinimumShouldMatch;
import dev.rankql.engine.search.SearchResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each query type compiled with Elasticsearch's semantics, checked on a small corpus. */
class QuerySemanticsTest {

    @TempDir
    static Path data;

    static Engine engine;

    @BeforeAll
    static void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("q", """
                {"mappings": {"properties": {
                  "title": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
                  "body": {"type": "text", "analyzer": "english"},
                  "tag": {"type": "keyword"}, "n": {"type": "long"}, "price": {"type": "double"},
                  "ok": {"type": "boolean"}, "day": {"type": "date"}, "pop": {"type": "rank_feature"},
                  "topics": {"type": "rank_features"}, "user": {"properties": {"name": {"type": "keyword"}}}}}}""");
        TestIndex.indexDocs(engine, "q", List.of(
                "{\"title\": \"quick brown fox\", \"body\": \"The foxes are running\", \"tag\": \"Animal\", \"n\": 1, \"price\": 1.5, \"ok\": true, \"day\": \"2024-01-01\", \"pop\": 10, \"topics\": {\"a\": 2}, \"user\": {\"name\": \"ann\"}}",
                "{\"title\": \"lazy brown dog\", \"body\": \"a dog ran\", \"tag\": \"animal\", \"n\": 2, \"price\": 2.5, \"ok\": false, \"day\": \"2024-02-01T10:00:00Z\", \"pop\": 1}",
                "{\"title\": \"quick quick rabbit\", \"tag\": \"pet\", \"n\": 3, \"price\": 3.0, \"day\": 1710000000000}",
                "{\"title\": \"the brown\", \"n\": [4, 40]}"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        engine.close();
    }

    private static SearchResponse run(Query query) {
        return engine.search("q", search(query, null, 10));
    }

    private static List<String> ids(Query query) {
        return TestIndex.ids(run(query));
    }

    @ParameterizedTest
    @CsvSource({"3,2,2", "3,-1,2", "3,75%,2", "3,-25%,3", "4,-25%,3", "2,3<90%,2", "5,3<90%,4", "10,2<-25% 9<-3,7", "3,0,0", "3,5,5",
        "3,-5,0"})
    void minimumShouldMatchSyntax(int optional, String spec, int expected) {
        assertThat(MinimumShouldMatch.calculate(optional, spec)).isEqualTo(expected);
    }

    @Test
    void matchOperatorAndMinimumShouldMatch() {
        assertThat(ids(match("title", "quick brown"))).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(ids(match("title", "quick brown", Operator.AND, null))).containsExactly("1");
        assertThat(ids(match("title", "quick brown dog", null, "2"))).containsExactlyInAnyOrder("1", "2");
        assertThat(ids(match("title", "quick brown dog", null, "100%"))).isEmpty();
        assertThat(ids(match("body", "run"))).as("the english analyzer stems running, not ran").containsExactly("1");
    }

    @Test
    void matchUsesTheSearchAnalyzerAndZeroTermsQuery() {
        assertThat(ids(match("body", "foxes"))).containsExactly("1");
        var onlyStopWords = new Query.Match(Span.NONE, "body", Value.of("the a"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(ZeroTermsQuery.ALL), Optional.empty(), Optional.empty());
        assertThat(ids(onlyStopWords)).hasSize(4);
        assertThat(ids(match("body", "the a"))).isEmpty();
        assertThat(ids(match("missing_field", "x"))).isEmpty();
    }

    @Test
    void fuzzinessFollowsAuto() {
        assertThat(ids(fuzzyMatch("title", "quikc", "AUTO"))).containsExactlyInAnyOrder("1", "3");
        assertThat(ids(fuzzyMatch("title", "dgo", "AUTO"))).as("3 letters allow one edit (a transposition)").containsExactly("2");
        assertThat(ids(fuzzyMatch("title", "og", "AUTO"))).isEmpty();
        assertThat(ids(fuzzyMatch("title", "quikc", "0"))).isEmpty();
    }

    @Test
    void phrasesAndPhrasePrefix() {
        assertThat(ids(phrase("title", "quick fox", 0))).isEmpty();
        assertThat(ids(phrase("title", "quick fox", 1))).containsExactly("1");
        assertThat(ids(phrasePrefix("title", "brown d"))).containsExactly("2");
        assertThat(ids(phrasePrefix("title", "qui"))).containsExactlyInAnyOrder("1", "3");
    }

    @Test
    void termsOnEveryFieldType() {
        assertThat(ids(term("tag", Value.of("animal")))).containsExactly("2");
        assertThat(ids(term("title", Value.of("Quick")))).as("text terms are not analyzed").isEmpty();
        assertThat(ids(term("title.raw", Value.of("lazy brown dog")))).containsExactly("2");
        var insensitive = new Query.Term(Span.NONE, "tag", Value.of("ANIMAL"), Optional.of(true), Optional.empty(), Optional.empty());
        assertThat(ids(insensitive)).containsExactly("1", "2");
        assertThat(ids(term("n", Value.of(40)))).containsExactly("4");
        assertThat(ids(term("n", Value.of("2")))).containsExactly("2");
        assertThat(TestIndex.scores(run(term("n", Value.of(2))))).containsExactly(1f);
        assertThat(ids(term("price", Value.of(2.5)))).containsExactly("2");
        assertThat(ids(term("ok", Value.of(true)))).containsExactly("1");
        assertThat(ids(term("day", Value.of("2024-01-01")))).containsExactly("1");
        assertThat(ids(terms("tag", Value.of("pet"), Value.of("Animal")))).containsExactly("1", "3");
        assertThat(ids(terms("n", Value.of(1), Value.of(3)))).containsExactly("1", "3");
        assertThatThrownBy(() -> run(term("n", Value.of("abc")))).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.rootCause().getMessage()).isEqualTo("failed to create query: For input string: \"abc\""));
    }

    @Test
    void rangesOnNumbersDatesAndKeywords() {
        assertThat(ids(range("n", Value.of(2), Value.of(4)))).containsExactly("2", "3");
        assertThat(ids(range("price", Value.of(1.6), null))).containsExactly("2", "3");
        assertThat(ids(range("day", Value.of("2024-01-15"), null))).containsExactly("2", "3");
        assertThat(ids(range("day", null, Value.of("2024-02-01T10:00:00Z")))).containsExactly("1");
        assertThat(ids(range("tag", Value.of("a"), null))).containsExactly("2", "3");
        assertThat(TestIndex.scores(run(range("n", Value.of(0), null)))).containsOnly(1f);
    }

    @Test
    void boolDefaults() {
        var should = List.<Query>of(term("tag", Value.of("pet")), term("tag", Value.of("animal")));
        assertThat(ids(bool(List.of(), should, List.of(), List.of(), null))).containsExactlyInAnyOrder("2", "3");
        // With a must clause, should clauses only add to the score.
        assertThat(ids(bool(List.of(match("title", "brown")), should, List.of(), List.of(), null))).containsExactlyInAnyOrder("1", "2", "4");
        assertThat(ids(bool(List.of(match("title", "brown")), should, List.of(), List.of(), "1"))).containsExactly("2");
        var negative = run(bool(List.of(), List.of(), List.of(), List.of(term("tag", Value.of("pet"))), null));
        assertThat(TestIndex.ids(negative)).containsExactly("1", "2", "4");
        assertThat(TestIndex.scores(negative)).containsOnly(0f);
        var filterOnly = run(bool(List.of(), List.of(), List.of(match("title", "brown")), List.of(), null));
        assertThat(TestIndex.scores(filterOnly)).containsOnly(0f);
        assertThat(TestIndex.scores(run(bool(List.of(), List.of(), List.of(), List.of(), null)))).containsOnly(1f);
    }

    @Test
    void existsIdsConstantScoreDisMax() {
        assertThat(ids(exists("body"))).containsExactly("1", "2");
        assertThat(ids(exists("user"))).containsExactly("1");
        assertThat(ids(exists("pop"))).containsExactly("1", "2");
        assertThat(ids(exists("nope"))).isEmpty();
        assertThat(ids(Ast.ids("3", "1", "9"))).containsExactly("1", "3");
        assertThat(TestIndex.scores(run(constantScore(match("title", "quick"), 3f)))).containsOnly(3f);
        var disMax = run(disMax(0.5f, constantScore(match("title", "quick"), 2f), constantScore(match("title", "brown"), 1f)));
        assertThat(disMax.hits().get(0).id()).isEqualTo("1");
        assertThat(disMax.hits().get(0).score()).contains(2.5f);
    }

    @Test
    void prefixWildcardFuzzy() {
        var prefix = new Query.Prefix(Span.NONE, "tag", "ani", Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ids(prefix)).containsExactly("2");
        var insensitive = new Query.Prefix(Span.NONE, "tag", "ani", Optional.of(true), Optional.empty(), Optional.empty());
        assertThat(ids(insensitive)).containsExactly("1", "2");
        var wildcard = new Query.Wildcard(Span.NONE, "title", "r*b?t", Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ids(wildcard)).containsExactly("3");
        var fuzzy = new Query.Fuzzy(Span.NONE, "tag", Value.of("animul"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ids(fuzzy)).as("six letters allow two edits").containsExactly("2", "1");
    }

    @Test
    void rankFeatureFunctions() {
        var saturation = new Query.RankFeature(Span.NONE, "pop", Optional.of(new RankFeatureFunction.Saturation(Optional.of(10f))),
                Optional.empty(), Optional.empty());
        var response = run(saturation);
        assertThat(TestIndex.ids(response)).containsExactly("1", "2");
        assertThat(response.hits().get(0).score().orElseThrow()).isCloseTo(0.5f, within(1e-2f));
        var linear = new Query.RankFeature(Span.NONE, "topics.a", Optional.of(new RankFeatureFunction.Linear()), Optional.empty(),
                Optional.empty());
        assertThat(run(linear).hits().get(0).score().orElseThrow()).isCloseTo(2f, within(1e-2f));
        var log = new Query.RankFeature(Span.NONE, "pop", Optional.of(new RankFeatureFunction.Log(1f)), Optional.empty(), Optional.empty());
        assertThat(run(log).hits().get(0).score().orElseThrow()).isCloseTo((float) Math.log(11), within(1e-2f));
        var wrong = new Query.RankFeature(Span.NONE, "tag", Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> run(wrong)).isInstanceOf(EngineException.class);
    }

    @Test
    void scriptScoreAcceptsPainlessSingleExpressions() {
        var byN = run(scriptScore(matchAll(), "return Math.log(doc['n'].value + params.k) * 2;", Map.of("k", Value.of(1))));
        assertThat(TestIndex.ids(byN)).containsExactly("4", "3", "2", "1");
        assertThat(byN.hits().get(3).score().orElseThrow()).isCloseTo((float) (Math.log(2) * 2), within(1e-6f));
        var withScore = run(scriptScore(constantScore(matchAll(), 3f), "_score * doc[\"price\"].value", Map.of()));
        assertThat(withScore.hits().get(0).score()).contains(9f);
        var expression = new Query.ScriptScore(Span.NONE, matchAll(),
                new dev.rankql.ast.Script(Span.NONE, "sqrt(doc['n'].value)", Optional.of("expression"), Map.of()),
                Optional.of(1.5f), Optional.empty(), Optional.empty());
        assertThat(ids(expression)).containsExactly("4", "3");
    }

    @Test
    void aCompiledScriptIsReusedWithEachRequestsOwnParams() {
        var source = "doc['n'].value * params.k";
        var once = run(scriptScore(matchAll(), source, Map.of("k", Value.of(1))));
        var again = run(scriptScore(matchAll(), source, Map.of("k", Value.of(3))));

        assertThat(once.hits().get(0).score()).contains(4f);
        assertThat(again.hits().get(0).score()).contains(12f);
        assertThatThrownBy(() -> run(scriptScore(matchAll(), source, Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("[k]"));
    }

    @Test
    void unsupportedScriptsNameTheConstruct() {
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "def x = 1; return x;", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("several statements"));
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "if (true) { 1 }", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("blocks"));
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "doc['n'].size()", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("[size()]"));
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "Math.random()", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("[Math.random]"));
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "params.missing", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("[missing]"));
        assertThatThrownBy(() -> run(scriptScore(matchAll(), "0 - doc['n'].value", Map.of())))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).contains("non-negative"));
    }

    @Test
    void multiMatchTypes() {
        var best = run(multiMatch("quick dog", MultiMatchType.BEST_FIELDS, null, "title", "body^2"));
        assertThat(TestIndex.ids(best)).containsExactlyInAnyOrder("1", "2", "3");
        var phrase = run(multiMatch("brown dog", MultiMatchType.PHRASE, null, "title", "body"));
        assertThat(TestIndex.ids(phrase)).containsExactly("2");
        var prefix = run(multiMatch("lazy bro", MultiMatchType.PHRASE_PREFIX, null, "title", "body"));
        assertThat(TestIndex.ids(prefix)).containsExactly("2");
        var wildcardFields = run(multiMatch("rabbit", MultiMatchType.MOST_FIELDS, null, "ti*"));
        assertThat(TestIndex.ids(wildcardFields)).containsExactly("3");
    }

    @Test
    void crossFieldsBlendsTermStatisticsAcrossFields() throws Exception {
        try (var local = Engine.open(data.resolve("cross"))) {
            local.createIndex("p", "{\"mappings\": {\"properties\": {\"first\": {\"type\": \"text\"}, \"last\": {\"type\": \"text\"}}}}");
            TestIndex.indexDocs(local, "p", List.of(
                    "{\"first\": \"will\", \"last\": \"smith\"}",
                    "{\"first\": \"smith\", \"last\": \"jones\"}",
                    "{\"first\": \"john\", \"last\": \"smith\"}",
                    "{\"first\": \"mary\", \"last\": \"smith\"}"));
            var request = new Query.MultiMatch(Span.NONE, Value.of("will smith"), List.of(dev.rankql.ast.FieldRef.of("first"),
                    dev.rankql.ast.FieldRef.of("last")), Optional.of(MultiMatchType.CROSS_FIELDS), Optional.empty(),
                    Optional.of(Operator.AND), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            var response = local.search("p", search(request, null, null));
            assertThat(TestIndex.ids(response)).containsExactly("1");
            // "smith" is rare as a first name but common as a last name: blending gives both fields the larger
            // document frequency, so doc 2's first-name smith does not outscore the last-name smiths.
            var smith = new Query.MultiMatch(Span.NONE, Value.of("smith"), List.of(dev.rankql.ast.FieldRef.of("first"),
                    dev.rankql.ast.FieldRef.of("last")), Optional.of(MultiMatchType.CROSS_FIELDS), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            var blended = local.search("p", search(smith, null, null));
            var best = local.search("p", search(multiMatch("smith", MultiMatchType.BEST_FIELDS, null, "first", "last"), null, null));
            assertThat(best.hits().get(0).id()).isEqualTo("2");
            assertThat(blended.hits().get(0).id()).isNotEqualTo("2");
        }
    }

    @Test
    void namedQueriesSourceFilteringAndExplain() {
        var request = withExplain(withSource(search(bool(List.of(), List.of(named(term("tag", Value.of("pet")), "pets"),
                named(term("tag", Value.of("animal")), "animals")), List.of(), List.of(), null), null, null),
                new SourceFilter.Fields(List.of("user.*", "n", "tit*"), List.of("title"))));
        var response = engine.search("q", request);
        var pet = response.hits().stream().filter(h -> h.id().equals("3")).findFirst().orElseThrow();
        assertThat(pet.matchedQueries()).containsExactly("pets");
        assertThat(Json.write(pet.source().orElseThrow())).isEqualTo("{\"n\":3}");
        var dog = response.hits().stream().filter(h -> h.id().equals("2")).findFirst().orElseThrow();
        assertThat(Json.write(dog.toJson())).contains("\"matched_queries\":[\"animals\"]");
        assertThat(pet.explanation().orElseThrow().toString()).contains("[PerFieldSimilarity]");
        var noSource = engine.search("q", withSource(search(matchAll(), null, null), new SourceFilter.Fetch(false)));
        assertThat(Json.write(noSource.toJson())).doesNotContain("_source");
        var nested = engine.search("q", withSource(search(Ast.ids("1"), null, null), new SourceFilter.Fields(List.of("user"), List.of())));
        assertThat(Json.write(nested.hits().get(0).source().orElseThrow())).isEqualTo("{\"user\":{\"name\":\"ann\"}}");
    }

    @Test
    void collapseOnNumbersAndMissingValues() {
        var response = engine.search("q", withCollapse(search(matchAll(), null, null), "tag"));
        assertThat(TestIndex.ids(response)).containsExactly("1", "2", "3", "4");
        assertThat(response.hits().get(3).fields().get("tag")).containsExactly((Object) null);
        var byPrice = engine.search("q", withCollapse(search(scriptScore(matchAll(), "doc['n'].value", Map.of()), null, null), "price"));
        assertThat(byPrice.hits().get(1).fields()).isEqualTo(Map.of("price", List.of(3.0)));
        assertThatThrownBy(() -> engine.search("q", withCollapse(search(matchAll(), null, null), "title")))
                .isInstanceOf(EngineException.class);
    }

    @Test
    void sortByFields() {
        var byNDesc = engine.search("q", withSort(search(matchAll(), null, null), sort("n", dev.rankql.ast.SortOrder.DESC)));
        assertThat(TestIndex.ids(byNDesc)).containsExactly("4", "3", "2", "1");
        assertThat(byNDesc.hits().get(0).sort()).containsExactly(40L);
        assertThat(byNDesc.hits().get(0).score()).isEmpty();
        var byPrice = engine.search("q", withSort(search(matchAll(), null, null), sort("price", null)));
        assertThat(TestIndex.ids(byPrice)).as("missing values sort last").containsExactly("1", "2", "3", "4");
        var byTag = engine.search("q", withSort(search(matchAll(), null, null), sort("tag", dev.rankql.ast.SortOrder.DESC), sort("n", null)));
        assertThat(TestIndex.ids(byTag)).containsExactly("3", "2", "1", "4");
        var byScoreAsc = engine.search("q", withSort(search(match("title", "quick"), null, null), sort("_score", dev.rankql.ast.SortOrder.ASC)));
        assertThat(TestIndex.ids(byScoreAsc)).containsExactly("1", "3");
        assertThat(byScoreAsc.hits().get(0).score()).isPresent();
        assertThatThrownBy(() -> engine.search("q", withSort(search(matchAll(), null, null), sort("title", null))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.rootCause().getMessage()).startsWith("Text fields are not optimised"));
    }
}
