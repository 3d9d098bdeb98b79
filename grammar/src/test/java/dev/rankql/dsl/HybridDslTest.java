package dev.rankql.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.Span;
import dev.rankql.json.EsJson;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The hybrid constructs in the DSL: each text builds the tree of its Elasticsearch twin, and bad text fails at its place. */
class HybridDslTest {

    static Stream<Arguments> twins() {
        return Stream.of(
                arguments("""
                        RETRIEVE knn(embedding, [0.5, -1, 0.002], k: 5, num_candidates: 50, similarity: 0.7,
                          filter: term(lang, "en"), min_score: 0.1, name: "dense")""", """
                        {"retriever": {"knn": {"field": "embedding", "query_vector": [0.5, -1, 0.002], "k": 5,
                          "num_candidates": 50, "similarity": 0.7, "filter": [{"term": {"lang": "en"}}],
                          "min_score": 0.1, "_name": "dense"}}}"""),
                arguments("""
                        RETRIEVE rrf([standard(term(a, "x")), retriever(knn(v, [1], k: 2, num_candidates: 4), weight: 2.5)],
                          rank_window_size: 20, rank_constant: 5, filter: term(b, "y"), min_score: 0.01, name: "fused")""",
                        """
                        {"retriever": {"rrf": {"retrievers": [{"standard": {"query": {"term": {"a": "x"}}}},
                          {"retriever": {"knn": {"field": "v", "query_vector": [1], "k": 2, "num_candidates": 4}},
                           "weight": 2.5}],
                          "rank_window_size": 20, "rank_constant": 5, "filter": {"term": {"b": "y"}},
                          "min_score": 0.01, "_name": "fused"}}}"""),
                arguments("""
                        RETRIEVE linear([
                          retriever(standard(term(a, "x")), weight: 2, normalizer: MinMax),
                          retriever(knn(v, [1], k: 2, num_candidates: 4), normalizer: l2_norm),
                          standard(term(c, "z"))
                        ], rank_window_size: 30, normalizer: none)""", """
                        {"retriever": {"linear": {"retrievers": [
                          {"retriever": {"standard": {"query": {"term": {"a": "x"}}}}, "weight": 2, "normalizer": "minmax"},
                          {"retriever": {"knn": {"field": "v", "query_vector": [1], "k": 2, "num_candidates": 4}},
                           "normalizer": "l2_norm"},
                          {"retriever": {"standard": {"query": {"term": {"c": "z"}}}}}],
                          "rank_window_size": 30, "normalizer": "none"}}}"""),
                arguments("""
                        RETRIEVE rrf([
                            (standard(term(a, "x")) | RESCORE script("_score") WINDOW 50),
                            knn(v, [1, 2], k: 10, num_candidates: 20)
                          ], rank_window_size: 50)
                          | RESCORE ltr("m") WINDOW 10 FILTER term(lang, "en")
                        SIZE 5""", """
                        {"size": 5, "retriever": {"rescorer": {
                          "retriever": {"rrf": {"retrievers": [
                            {"rescorer": {"retriever": {"standard": {"query": {"term": {"a": "x"}}}},
                                          "rescore": {"window_size": 50, "script": {"script": {"source": "_score"}}}}},
                            {"knn": {"field": "v", "query_vector": [1, 2], "k": 10, "num_candidates": 20}}],
                            "rank_window_size": 50}},
                          "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "m"}},
                          "filter": {"term": {"lang": "en"}}}}}"""),
                arguments("""
                        QUERY match_all() KNN knn(v, [1, 0], k: 3, num_candidates: 10, boost: 2, name: "near")""", """
                        {"query": {"match_all": {}}, "knn": {"field": "v", "query_vector": [1, 0], "k": 3,
                          "num_candidates": 10, "boost": 2, "_name": "near"}}"""),
                arguments("KNN [knn(v, [1, 0]), knn(w, [3])]", """
                        {"knn": [{"field": "v", "query_vector": [1, 0]}, {"field": "w", "query_vector": [3]}]}"""),
                arguments("SIZE 0 AGGS {genres: terms(genre, size: 5), \"by year\": terms(year)}", """
                        {"size": 0, "aggs": {"genres": {"terms": {"field": "genre", "size": 5}},
                          "by year": {"terms": {"field": "year"}}}}"""));
    }

    @ParameterizedTest
    @MethodSource("twins")
    void buildsTheTreeOfItsJsonTwin(String dsl, String json) {
        var tree = Dsl.parseRequest(dsl);
        assertThat(tree).isEqualTo(EsJson.parseSearch(json));
        assertThat(Dsl.parseRequest(Dsl.print(tree))).isEqualTo(tree);
    }

    @Test
    void printsCompoundChildrenOneALineAndPipeChildrenInParentheses() {
        var tree = Dsl.parseRequest("""
                RETRIEVE rrf([(standard(term(a, "x")) | RESCORE script("_score") WINDOW 50),
                  knn(v, [1, 2], k: 10, num_candidates: 20)], rank_window_size: 50)
                  | RESCORE ltr("m") WINDOW 10 FILTER term(lang, "en")
                SIZE 5
                AGGS {genres: terms(genre, size: 5)}""");
        assertThat(Dsl.print(tree)).isEqualTo("""
                RETRIEVE rrf(
                  [
                    (standard(term(a, "x")) | RESCORE script("_score") WINDOW 50),
                    knn(v, [1, 2], k: 10, num_candidates: 20)
                  ],
                  rank_window_size: 50
                )
                  | RESCORE ltr("m") WINDOW 10
                    FILTER term(lang, "en")
                SIZE 5
                AGGS {genres: terms(genre, size: 5)}""");
    }

    @Test
    void keepsSpansAndQueryVectorsCompareByValue() {
        var tree = Dsl.parseRetriever("rrf([knn(v, [1, -0.0], k: 1)], rank_window_size: 3)");
        var knn = (Retriever.Knn) ((Retriever.Rrf) tree).retrievers().getFirst().retriever();
        assertThat(knn.span().column()).isEqualTo(6);
        assertThat(knn.queryVector()).isEqualTo(QueryVector.of(1, 0)).hasSameHashCodeAs(QueryVector.of(1, 0));
        assertThat(knn.queryVector().toString()).isEqualTo("[1, 0]");
        var request = Dsl.parseRequest("AGGS {a: terms(x)}");
        assertThat(request.aggregations().get("a").span().column()).isEqualTo(10);
        assertThat(request.aggregations().get("a")).isEqualTo(new Aggregation.Terms(Span.NONE, "x", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '`', textBlock = """
            RETRIEVE knn(v, [1], k: 0) ==> line 1:25: [k] must be greater than 0
            RETRIEVE knn(v, [1], k: 10, num_candidates: 5) ==> line 1:45: [num_candidates] cannot be less than [k]
            RETRIEVE knn(v, [1], num_candidates: 10001) ==> line 1:38: [num_candidates] cannot exceed [10000]
            RETRIEVE knn(v, []) ==> line 1:17: [query_vector] must not be empty
            RETRIEVE knn(v, [1, "a"]) ==> line 1:21: expected a number, found string "a"
            RETRIEVE knn(v) ==> line 1:10: [knn] missing argument [query_vector]
            RETRIEVE knn(v, 1) ==> line 1:17: expected a query vector [numbers...], found number 1
            RETRIEVE knn(v, [1], boost: 2) ==> line 1:22: [knn] unknown argument [boost]; expected one of [k, num_candidates, similarity, filter, min_score, name]
            RETRIEVE rrf([]) ==> line 1:14: [rrf] must provide [retrievers] or [query]
            RETRIEVE rrf([standard()], rank_constant: 0) ==> line 1:43: [rank_constant] must be greater or equal to [1] for [rrf]
            RETRIEVE rrf([standard()], rank_window_size: -1) ==> line 1:46: [rank_window_size] parameter cannot be negative, found [-1]
            RETRIEVE rrf([retriever(standard(), weight: -1)]) ==> line 1:45: [weight] must be non-negative
            RETRIEVE rrf([retriever(standard(), normalizer: minmax)]) ==> line 1:37: [retriever] unknown argument [normalizer]; expected one of [weight]
            `RETRIEVE rrf([match(a, "x")])` ==> line 1:15: unknown retriever [match]; expected one of [standard, knn, rrf, linear]
            RETRIEVE rrf([standard(terminate_after: 3)]) ==> line 1:15: [terminate_after] cannot be used in children of compound retrievers
            RETRIEVE rrf([standard()], rank_window_size: 10) SIZE 20 ==> line 1:10: [rrf] requires [rank_window_size: 10] be greater than or equal to [size: 20]
            RETRIEVE rrf([standard()], rank_window_size: 10) | RESCORE script("_score") WINDOW 20 ==> line 1:10: [rescorer] requires [window_size: 20] to be smaller than or equal to its sub retriever's rrf [rank_window_size: 10]
            RETRIEVE linear([retriever(standard(), normalizer: zscore)]) ==> line 1:52: [retriever] argument [normalizer] expects one of [none, minmax, l2_norm], found [zscore]
            RETRIEVE linear([standard()], normalizer: 1) ==> line 1:43: [linear] argument [normalizer] expects one of [none, minmax, l2_norm], found number 1
            RETRIEVE standard() KNN knn(v, [1]) ==> line 1:21: cannot specify [retriever] and [knn]
            QUERY match_all() KNN knn(v, [1], min_score: 1) ==> line 1:35: [knn] unknown argument [min_score]; expected one of [k, num_candidates, similarity, filter, boost, name]
            `QUERY match_all() KNN match(a, "x")` ==> line 1:23: KNN expects knn(field, [vector], ...) or a list of them, found a call to [match]
            AGGS {a: avg(price)} ==> line 1:10: unsupported aggregation [avg]; rankql supports [terms]
            AGGS {a: terms(x, size: 0)} ==> line 1:25: [size] must be greater than 0. Found [0] in [a]
            AGGS {a: terms(x), a: terms(y)} ==> line 1:20: Two sibling aggregations cannot have the same name: [a]
            `AGGS {"a>b": terms(x)}` ==> line 1:7: Invalid aggregation name [a>b]. Aggregation names can contain any character except '[', ']', and '>'
            AGGS [terms(x)] ==> line 1:6: AGGS expects a map {name: terms(field), ...}, found a list
            AGGS {a: 5} ==> line 1:10: expected an aggregation such as terms(field), found number 5
            QUERY term(a, (standard())) ==> line 1:15: expected a value, found a retriever in parentheses
            """)
    void reportsThePositionedMessage(String input, String message) {
        assertThatThrownBy(() -> Dsl.parseRequest(input)).isInstanceOf(DslSyntaxException.class).hasMessage(message);
    }

    /** {@code levels} rrf retrievers around a standard one. */
    private static String nestedRrf(int levels) {
        return "RETRIEVE " + "rrf([".repeat(levels) + "standard()" + "])".repeat(levels);
    }

    @Test
    void compoundRetrieversCountTowardsTheNestingLimit() {
        // Each rrf level opens a parenthesis and a bracket.
        int levels = (Dsl.MAX_DEPTH - 1) / 2;
        assertThat(Dsl.parseRequest(nestedRrf(levels)).retriever()).isPresent();
        assertThatThrownBy(() -> Dsl.parseRequest(nestedRrf(levels + 1))).isInstanceOf(DslSyntaxException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void completionKnowsTheNewWords() {
        assertThat(DslTokens.keywords()).contains("KNN", "AGGS");
        assertThat(DslTokens.functions()).contains("knn", "rrf", "linear", "retriever", "terms");
        assertThat(DslTokens.scan("KNN knn(v, [1])").getFirst().kind()).isEqualTo(DslTokens.Kind.KEYWORD);
        assertThat(List.of("AGGS", "KNN")).allSatisfy(k -> assertThat(DslTokens.scan(k).getFirst().kind())
                .isEqualTo(DslTokens.Kind.KEYWORD));
    }
}
