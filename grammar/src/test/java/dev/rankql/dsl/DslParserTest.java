package dev.rankql.dsl;

import static dev.rankql.dsl.Trees.bool;
import static dev.rankql.dsl.Trees.exists;
import static dev.rankql.dsl.Trees.ltr;
import static dev.rankql.dsl.Trees.match;
import static dev.rankql.dsl.Trees.matchAll;
import static dev.rankql.dsl.Trees.multiMatch;
import static dev.rankql.dsl.Trees.none;
import static dev.rankql.dsl.Trees.params;
import static dev.rankql.dsl.Trees.queryRescore;
import static dev.rankql.dsl.Trees.req;
import static dev.rankql.dsl.Trees.rescorer;
import static dev.rankql.dsl.Trees.script;
import static dev.rankql.dsl.Trees.scriptRescore;
import static dev.rankql.dsl.Trees.some;
import static dev.rankql.dsl.Trees.sort;
import static dev.rankql.dsl.Trees.standard;
import static dev.rankql.dsl.Trees.term;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.Script;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import dev.rankql.ast.ZeroTermsQuery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests: DSL text on the left, the tree it must build on the right. */
class DslParserTest {

    private static final Span S = Span.NONE;

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("match(title, \"quick fox\")", match("title", "quick fox")),
                Arguments.of("match(\"odd field\", 'it''s')".replace("''", "\\'"),
                        match("odd field", "it's")),
                Arguments.of("match(title, quick)", match("title", "quick")),
                Arguments.of("match(title, 42)",
                        new Query.Match(S, "title", Value.of(42), none(), none(), none(), none(), none(), none(),
                                none())),
                Arguments.of("match(title, \"x\", operator: AND, minimum_should_match: \"75%\", fuzziness: AUTO, "
                                + "analyzer: english, zero_terms_query: all, boost: 2, name: \"m\",)",
                        new Query.Match(S, "title", Value.of("x"), some(Operator.AND), some("75%"), some("AUTO"),
                                some("english"), some(ZeroTermsQuery.ALL), some(2f), some("m"))),
                Arguments.of("match(title, \"x\", minimum_should_match: 2, fuzziness: 1)",
                        new Query.Match(S, "title", Value.of("x"), none(), some("2"), some("1"), none(), none(),
                                none(), none())),
                Arguments.of("multi_match(\"the quick brown fox\", fields: [title^2, content])",
                        multiMatch("the quick brown fox", "title^2", "content")),
                Arguments.of("multi_match(\"x\", fields: [\"a b\"^1.5, title.*], type: most_fields, tie_breaker: 0.3,"
                                + " operator: or, minimum_should_match: 1, fuzziness: AUTO, analyzer: standard, slop: 2,"
                                + " zero_terms_query: none)",
                        new Query.MultiMatch(S, Value.of("x"),
                                List.of(new FieldRef("a b", some(1.5f)), FieldRef.of("title.*")),
                                some(MultiMatchType.MOST_FIELDS), some(0.3f), some(Operator.OR), some("1"),
                                some("AUTO"), some("standard"), some(2), some(ZeroTermsQuery.NONE), none(), none())),
                Arguments.of("match_phrase(body, \"to be or not\", slop: 2, analyzer: english, zero_terms_query: ALL)",
                        new Query.MatchPhrase(S, "body", "to be or not", some(2), some("english"),
                                some(ZeroTermsQuery.ALL), none(), none())),
                Arguments.of("match_phrase_prefix(body, \"quick br\", slop: 1, max_expansions: 10, analyzer: a)",
                        new Query.MatchPhrasePrefix(S, "body", "quick br", some(1), some(10), some("a"), none(),
                                none())),
                Arguments.of("term(status, \"active\", case_insensitive: true, boost: 1.5)",
                        new Query.Term(S, "status", Value.of("active"), some(true), some(1.5f), none())),
                Arguments.of("term(year, 2020)", term("year", Value.of(2020))),
                Arguments.of("term(price, 9.5)", term("price", Value.of(9.5))),
                Arguments.of("term(flag, false)", term("flag", Value.of(false))),
                Arguments.of("terms(tag, [a, \"b\", 3, 1.0e2, true])",
                        new Query.Terms(S, "tag", List.of(Value.of("a"), Value.of("b"), Value.of(3), Value.of(100.0),
                                Value.of(true)), none(), none())),
                Arguments.of("range(date, gte: \"2020-01-01\", lt: \"now\", format: \"yyyy-MM-dd\", "
                                + "time_zone: \"+01:00\")",
                        new Query.Range(S, "date", none(), some(Value.of("2020-01-01")), some(Value.of("now")),
                                none(), some("yyyy-MM-dd"), some("+01:00"), none(), none())),
                Arguments.of("range(price, gt: -1, lte: 10.5)",
                        new Query.Range(S, "price", some(Value.of(-1)), none(), none(), some(Value.of(10.5)), none(),
                                none(), none(), none())),
                Arguments.of("bool(must: match(a, \"x\"), should: [exists(b), match_all()], filter: [], "
                                + "must_not: [exists(c)])",
                        bool(List.of(match("a", "x")), List.of(exists("b"), matchAll()), List.of(),
                                List.of(exists("c")))),
                Arguments.of("bool(should: [exists(a), exists(b)], minimum_should_match: 1, name: n)",
                        new Query.Bool(S, List.of(), List.of(exists("a"), exists("b")), List.of(), List.of(),
                                some("1"), none(), some("n"))),
                Arguments.of("bool()", bool(List.of(), List.of(), List.of(), List.of())),
                Arguments.of("exists(@timestamp)", exists("@timestamp")),
                Arguments.of("ids([\"1\", \"2\"])", new Query.Ids(S, List.of("1", "2"), none(), none())),
                Arguments.of("match_all(boost: 3)", new Query.MatchAll(S, some(3f), none())),
                Arguments.of("match_none(name: \"nothing\")", new Query.MatchNone(S, none(), some("nothing"))),
                Arguments.of("constant_score(term(a, 1), boost: 1.2)",
                        new Query.ConstantScore(S, term("a", Value.of(1)), some(1.2f), none())),
                Arguments.of("dis_max([match(a, \"x\"), match(b, \"x\")], tie_breaker: 0.7)",
                        new Query.DisMax(S, List.of(match("a", "x"), match("b", "x")), some(0.7f), none(), none())),
                Arguments.of("prefix(user, \"ki\", case_insensitive: false)",
                        new Query.Prefix(S, "user", "ki", some(false), none(), none())),
                Arguments.of("wildcard(user, \"k*y\")", new Query.Wildcard(S, "user", "k*y", none(), none(), none())),
                Arguments.of("fuzzy(user, \"ki\", fuzziness: AUTO, prefix_length: 1, max_expansions: 50, "
                                + "transpositions: true)",
                        new Query.Fuzzy(S, "user", Value.of("ki"), some("AUTO"), some(1), some(50), some(true),
                                none(), none())),
                Arguments.of("rank_feature(pagerank)",
                        new Query.RankFeature(S, "pagerank", none(), none(), none())),
                Arguments.of("rank_feature(pagerank, saturation(pivot: 8))",
                        new Query.RankFeature(S, "pagerank", some(new RankFeatureFunction.Saturation(some(8f))),
                                none(), none())),
                Arguments.of("rank_feature(pagerank, saturation())",
                        new Query.RankFeature(S, "pagerank", some(new RankFeatureFunction.Saturation(none())),
                                none(), none())),
                Arguments.of("rank_feature(pagerank, log(scaling_factor: 4))",
                        new Query.RankFeature(S, "pagerank", some(new RankFeatureFunction.Log(4)), none(), none())),
                Arguments.of("rank_feature(pagerank, sigmoid(pivot: 7, exponent: 0.6))",
                        new Query.RankFeature(S, "pagerank", some(new RankFeatureFunction.Sigmoid(7, 0.6f)), none(),
                                none())),
                Arguments.of("rank_feature(pagerank, linear())",
                        new Query.RankFeature(S, "pagerank", some(new RankFeatureFunction.Linear()), none(), none())),
                Arguments.of("script_score(match_all(), \"_score * 2\")",
                        new Query.ScriptScore(S, matchAll(), script("_score * 2"), none(), none(), none())),
                Arguments.of("script_score(match_all(), script('doc[\"x\"].value * params.f', params: {f: 2},"
                                + " lang: expression), min_score: 1)",
                        new Query.ScriptScore(S, matchAll(), new Script(S, "doc[\"x\"].value * params.f",
                                some("expression"), Map.of("f", Value.of(2))), some(1f), none(), none())),
                Arguments.of("match(title, \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\")",
                        match("title", "a\"b\\c/d\b\f\n\r\t\u00e9")),
                Arguments.of("/* c */ match( // line\n title , \"x\" ) // end", match("title", "x")));
    }

    @ParameterizedTest
    @MethodSource
    void queries(String text, Query expected) {
        assertThat(Dsl.parseQuery(text)).isEqualTo(expected);
        assertThat(Dsl.parseQuery(Dsl.print(expected))).isEqualTo(expected);
    }

    static Stream<Arguments> retrievers() {
        var std = standard(match("t", "x"));
        var a = queryRescore(matchAll(), 5);
        var b = scriptRescore("_score", 3);
        return Stream.of(
                Arguments.of("standard(match(t, \"x\"))", std),
                Arguments.of("standard()", new Retriever.Standard(S, none(), List.of(), none(), none(), List.of(),
                        List.of(), none(), none())),
                Arguments.of("standard(match(t, \"x\"), filter: [exists(a), exists(b)], min_score: 0.5, "
                                + "collapse: user, sort: [date DESC, _score, \"odd f\" ASC], search_after: [1, \"x\"],"
                                + " terminate_after: 100, name: \"s\")",
                        new Retriever.Standard(S, some(match("t", "x")), List.of(exists("a"), exists("b")),
                                some(0.5f), some(new dev.rankql.ast.Collapse(S, "user")),
                                List.of(sort("date", SortOrder.DESC), sort("_score", null),
                                        sort("odd f", SortOrder.ASC)),
                                List.of(Value.of(1), Value.of("x")), some(100), some("s"))),
                Arguments.of("standard(filter: exists(a), sort: date)",
                        new Retriever.Standard(S, none(), List.of(exists("a")), none(), none(),
                                List.of(sort("date", null)), List.of(), none(), none())),
                Arguments.of("standard(match(t, \"x\")) | RESCORE query(match_all()) WINDOW 5", rescorer(std, a)),
                Arguments.of("standard(match(t, \"x\")) | RESCORE query(match_all()) WINDOW 5 | RESCORE "
                        + "script(\"_score\") WINDOW 3", rescorer(rescorer(std, a), b)),
                Arguments.of("standard(match(t, \"x\")) | RESCORE query(match_all()) WINDOW 5 RESCORE "
                        + "script(\"_score\") WINDOW 3", rescorer(std, a, b)),
                Arguments.of("((standard(match(t, \"x\"))) | RESCORE query(match_all()) WINDOW 5)",
                        rescorer(std, a)),
                Arguments.of("(standard(match(t, \"x\")) | RESCORE query(match_all()) WINDOW 5) | RESCORE "
                        + "script(\"_score\") WINDOW 3", rescorer(rescorer(std, a), b)),
                Arguments.of("standard(match(t, \"x\")) | RESCORE query(match_all()) WINDOW 5 FILTER exists(a) "
                                + "MIN_SCORE 1.5 FILTER exists(b) NAME \"r\"",
                        new Retriever.Rescorer(S, std, List.of(a), List.of(exists("a"), exists("b")), some(1.5f),
                                some("r"))),
                Arguments.of("standard(match(t, \"x\")) | RESCORE learning_to_rank(m, params: {k: [1, 2.5], "
                                + "\"two words\": {n: null}}) WINDOW 20",
                        rescorer(std, ltr("m", 20, params("k", new Value.Arr(List.of(Value.of(1), Value.of(2.5))),
                                "two words", new Value.Obj(Map.of("n", new Value.Null())))))),
                Arguments.of("standard(match(t, \"x\")) | RESCORE query(match(t, \"y\"), query_weight: 0.7, "
                                + "rescore_query_weight: 1.2, score_mode: Multiply)",
                        rescorer(std, new Rescore.QueryRescore(S, none(), match("t", "y"), some(0.7f), some(1.2f),
                                some(ScoreMode.MULTIPLY)))),
                Arguments.of("standard(match(t, \"x\")) | RESCORE script(\"s\", params: {a: 1}, lang: painless) "
                                + "WINDOW 0",
                        rescorer(std, new Rescore.ScriptRescore(S, some(0),
                                new Script(S, "s", some("painless"), Map.of("a", Value.of(1)))))));
    }

    @ParameterizedTest
    @MethodSource
    void retrievers(String text, Retriever expected) {
        assertThat(Dsl.parseRetriever(text)).isEqualTo(expected);
        assertThat(Dsl.parseRetriever(Dsl.print(expected))).isEqualTo(expected);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("", req().build()),
                Arguments.of("// nothing but a comment", req().build()),
                Arguments.of("FROM products", req().index("products").build()),
                Arguments.of("FROM \"logs-2024*\" SIZE 0", req().index("logs-2024*").size(0).build()),
                Arguments.of("QUERY match_all()", req().query(matchAll()).build()),
                Arguments.of("QUERY match_all() RESCORE query(exists(a)) WINDOW 50 RESCORE ltr(m) WINDOW 10",
                        req().query(matchAll()).rescore(queryRescore(exists("a"), 50), ltr("m", 10, Map.of()))
                                .build()),
                Arguments.of("RESCORE script(\"_score\")", req().rescore(scriptRescore("_score", null)).build()),
                Arguments.of("SIZE 10 OFFSET 20 MIN_SCORE 0.5 EXPLAIN PROFILE false",
                        req().size(10).from(20).minScore(0.5f).explain(true).profile(false).build()),
                Arguments.of("EXPLAIN true PROFILE", req().explain(true).profile(true).build()),
                Arguments.of("SOURCE false", req().source(new SourceFilter.Fetch(false)).build()),
                Arguments.of("SOURCE [title, \"meta.*\"]",
                        req().source(new SourceFilter.Fields(List.of("title", "meta.*"), List.of())).build()),
                Arguments.of("SOURCE {includes: [a], excludes: b}",
                        req().source(new SourceFilter.Fields(List.of("a"), List.of("b"))).build()),
                Arguments.of("TRACK_TOTAL_HITS 1000", req().trackTotalHits(new TrackTotalHits.UpTo(1000)).build()),
                Arguments.of("TRACK_TOTAL_HITS -1", req().trackTotalHits(new TrackTotalHits.UpTo(-1)).build()),
                Arguments.of("TRACK_TOTAL_HITS true", req().trackTotalHits(new TrackTotalHits.Flag(true)).build()),
                Arguments.of("COLLAPSE user.id", req().collapse("user.id").build()),
                Arguments.of("SORT date DESC, _score, name ASC",
                        req().sort(sort("date", SortOrder.DESC), sort("_score", null), sort("name", SortOrder.ASC))
                                .build()),
                Arguments.of("SEARCH_AFTER [1463538857, \"654323\"]",
                        req().searchAfter(Value.of(1463538857), Value.of("654323")).build()),
                Arguments.of("TERMINATE_AFTER 1000", req().terminateAfter(1000).build()),
                Arguments.of("EXT {rankql: {explain_features: true}}",
                        req().ext(Map.of("rankql", new Value.Obj(Map.of("explain_features", Value.of(true)))))
                                .build()));
    }

    @ParameterizedTest
    @MethodSource
    void requests(String text, dev.rankql.ast.SearchRequest expected) {
        assertThat(Dsl.parseRequest(text)).isEqualTo(expected);
        assertThat(Dsl.parseRequest(Dsl.print(expected))).isEqualTo(expected);
    }

    static final String EXAMPLE = """
            FROM products
            RETRIEVE standard(multi_match("the quick brown fox", fields: [title^2, content]))
              | RESCORE ltr("ltr-model", params: {query_text: "the quick brown fox"}) WINDOW 100
            SIZE 10""";

    /** The example's ES JSON twin, indented by two spaces as Elasticsearch's docs write it. */
    static final String EXAMPLE_JSON = """
            {
              "retriever": {
                "rescorer": {
                  "retriever": {
                    "standard": {
                      "query": {
                        "multi_match": {
                          "query": "the quick brown fox",
                          "fields": [
                            "title^2",
                            "content"
                          ]
                        }
                      }
                    }
                  },
                  "rescore": {
                    "window_size": 100,
                    "learning_to_rank": {
                      "model_id": "ltr-model",
                      "params": {
                        "query_text": "the quick brown fox"
                      }
                    }
                  }
                }
              },
              "size": 10
            }""";

    @Test
    void theExampleParsesAndIsAtMostHalfTheJson() {
        var expected = req().index("products")
                .retriever(rescorer(standard(multiMatch("the quick brown fox", "title^2", "content")),
                        ltr("ltr-model", 100, Map.of("query_text", Value.of("the quick brown fox")))))
                .size(10)
                .build();
        assertThat(Dsl.parseRequest(EXAMPLE)).isEqualTo(expected);
        assertThat(Dsl.print(expected)).isEqualTo(EXAMPLE);
        assertThat(EXAMPLE.length() * 2).isLessThanOrEqualTo(EXAMPLE_JSON.length());
    }

    @Test
    void spansPointAtTheSourceText() {
        var request = Dsl.parseRequest("\nQUERY  bool(must: match(t, \"x\"))");
        var bool = (Query.Bool) request.query().orElseThrow();
        assertThat(bool.span()).extracting(Span::line, Span::column).containsExactly(2, 8);
        assertThat(bool.must().getFirst().span()).extracting(Span::line, Span::column, Span::length)
                .containsExactly(2, 19, 13);
    }

    @Test
    void optionalArgumentsMayBeOmittedAndMapsKeepOrder() {
        var ltr = (Rescore.LearningToRank) Dsl.parseRequest("RESCORE ltr(m, params: {b: 1, a: 2}) WINDOW 1")
                .rescore().getFirst();
        assertThat(ltr.params().keySet()).containsExactly("b", "a");
        assertThat(ltr.windowSize()).isEqualTo(Optional.of(1));
    }
}
