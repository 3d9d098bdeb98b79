package dev.rankql.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.rankql.ast.Aggregation;
import dev.rankql.ast.KnnSearch;
import dev.rankql.ast.Query;
import dev.rankql.ast.QueryVector;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreNormalizer;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hybrid constructs in Elasticsearch JSON: knn, rrf, linear and aggs, read, written and refused. */
class HybridJsonTest {

    private static final String P = Diagnostic.PARSING_EXCEPTION;
    private static final String X = Diagnostic.X_CONTENT_PARSE_EXCEPTION;
    private static final String I = Diagnostic.ILLEGAL_ARGUMENT_EXCEPTION;
    private static final String V = Diagnostic.ACTION_REQUEST_VALIDATION_EXCEPTION;

    private static Diagnostic d(String path, String message, String type) {
        return new Diagnostic(path, message, type);
    }

    private static <T> Optional<T> none() {
        return Optional.empty();
    }

    private static Query term(String field, String value) {
        return T.term(field, value);
    }

    private static Retriever.Standard standard(Query query) {
        return new Retriever.Standard(Span.NONE, Optional.of(query), List.of(), none(), none(), List.of(), List.of(),
                none(), none());
    }

    private static Retriever.Knn knn(String field, int k, int numCandidates, float... vector) {
        return new Retriever.Knn(Span.NONE, field, QueryVector.of(vector), Optional.of(k), Optional.of(numCandidates),
                none(), List.of(), none(), none());
    }

    private static SearchRequest retrieve(Retriever retriever) {
        return new SearchRequest(Span.NONE, none(), Optional.of(retriever), none(), List.of(), none(), none(), none(),
                none(), none(), none(), none(), none(), List.of(), List.of(), none(), Map.of(), List.of(), Map.of());
    }

    @Test
    void readsTheKnnRetrieverWithEveryOption() {
        var request = EsJson.parseSearch("""
                {"retriever": {"knn": {"field": "embedding", "query_vector": [0.5, -1, 2e-3], "k": 5,
                  "num_candidates": 50, "similarity": 0.7, "filter": {"term": {"lang": "en"}}, "min_score": 0.1,
                  "_name": "dense"}}}""");
        assertThat(request.retriever()).contains(new Retriever.Knn(Span.NONE, "embedding",
                QueryVector.of(0.5f, -1f, 0.002f), Optional.of(5), Optional.of(50), Optional.of(0.7f),
                List.of(term("lang", "en")), Optional.of(0.1f), Optional.of("dense")));
    }

    @Test
    void readsTopLevelKnnAsAnObjectOrAnArray() {
        var one = EsJson.parseSearch("""
                {"query": {"match_all": {}}, "knn": {"field": "v", "query_vector": [1, 0], "k": 3,
                  "num_candidates": 10, "boost": 2, "_name": "near"}}""");
        var search = new KnnSearch(Span.NONE, "v", QueryVector.of(1, 0), Optional.of(3), Optional.of(10), none(),
                List.of(), Optional.of(2f), Optional.of("near"));
        assertThat(one.knn()).containsExactly(search);
        var two = EsJson.parseSearch("""
                {"knn": [{"field": "v", "query_vector": [1, 0], "k": 3, "num_candidates": 10, "boost": 2,
                  "_name": "near"}, {"field": "w", "query_vector": [3]}]}""");
        assertThat(two.knn()).containsExactly(search, new KnnSearch(Span.NONE, "w", QueryVector.of(3), none(), none(),
                none(), List.of(), none(), none()));
        assertThat(EsJson.writeSearchCompact(one)).contains("\"knn\":{\"field\":\"v\"");
        assertThat(EsJson.writeSearchCompact(two)).contains("\"knn\":[{\"field\":\"v\"");
    }

    @Test
    void readsRrfChildrenBareOrWeighted() {
        var request = EsJson.parseSearch("""
                {"retriever": {"rrf": {"retrievers": [
                    {"standard": {"query": {"term": {"a": "x"}}}},
                    {"retriever": {"knn": {"field": "v", "query_vector": [1], "k": 2, "num_candidates": 4}},
                     "weight": 2.5}],
                  "rank_window_size": 20, "rank_constant": 5, "filter": [{"term": {"b": "y"}}],
                  "min_score": 0.01, "_name": "fused"}}}""");
        var expected = new Retriever.Rrf(Span.NONE, List.of(
                        Retriever.Rrf.Component.of(standard(term("a", "x"))),
                        new Retriever.Rrf.Component(Span.NONE, knn("v", 2, 4, 1), Optional.of(2.5f))),
                Optional.of(20), Optional.of(5), List.of(term("b", "y")), Optional.of(0.01f), Optional.of("fused"));
        assertThat(request).isEqualTo(retrieve(expected));
        assertThat(EsJson.writeSearchCompact(request)).isEqualTo("{\"retriever\":{\"rrf\":{\"retrievers\":["
                + "{\"standard\":{\"query\":{\"term\":{\"a\":\"x\"}}}},"
                + "{\"retriever\":{\"knn\":{\"field\":\"v\",\"query_vector\":[1.0],\"k\":2,\"num_candidates\":4}},"
                + "\"weight\":2.5}],\"rank_window_size\":20,\"rank_constant\":5,"
                + "\"filter\":[{\"term\":{\"b\":\"y\"}}],\"min_score\":0.01,\"_name\":\"fused\"}}}");
    }

    @Test
    void readsLinearComponentsAndNormalizers() {
        var request = EsJson.parseSearch("""
                {"retriever": {"linear": {"retrievers": [
                    {"retriever": {"standard": {"query": {"term": {"a": "x"}}}}, "weight": 2, "normalizer": "MinMax"},
                    {"retriever": {"knn": {"field": "v", "query_vector": [1], "k": 2, "num_candidates": 4}},
                     "normalizer": "l2_norm"},
                    {"retriever": {"standard": {"query": {"term": {"c": "z"}}}}}],
                  "rank_window_size": 30, "normalizer": "none"}}}""");
        var expected = new Retriever.Linear(Span.NONE, List.of(
                        new Retriever.Linear.Component(Span.NONE, standard(term("a", "x")), Optional.of(2f),
                                Optional.of(ScoreNormalizer.MINMAX)),
                        new Retriever.Linear.Component(Span.NONE, knn("v", 2, 4, 1), none(),
                                Optional.of(ScoreNormalizer.L2_NORM)),
                        new Retriever.Linear.Component(Span.NONE, standard(term("c", "z")), none(), none())),
                Optional.of(30), Optional.of(ScoreNormalizer.NONE), List.of(), none(), none());
        assertThat(request).isEqualTo(retrieve(expected));
        var linear = (Retriever.Linear) request.retriever().orElseThrow();
        assertThat(linear.retrievers().get(2).effectiveNormalizer(linear.normalizer()))
                .isEqualTo(ScoreNormalizer.NONE);
        assertThat(linear.retrievers().get(2).effectiveWeight()).isEqualTo(1f);
    }

    @Test
    void readsAggsUnderEitherSpellingInBodyOrder() {
        var request = EsJson.parseSearch("""
                {"size": 0, "aggregations": {"genres": {"terms": {"field": "genre", "size": 5}},
                  "years": {"terms": {"field": "year"}}}}""");
        var expected = new LinkedHashMap<String, Aggregation>();
        expected.put("genres", new Aggregation.Terms(Span.NONE, "genre", Optional.of(5)));
        expected.put("years", new Aggregation.Terms(Span.NONE, "year", none()));
        assertThat(request.aggregations()).containsExactlyEntriesOf(expected);
        assertThat(((Aggregation.Terms) request.aggregations().get("years")).effectiveSize()).isEqualTo(10);
        assertThat(EsJson.writeSearchCompact(request)).isEqualTo("{\"size\":0,\"aggs\":{\"genres\":{\"terms\":"
                + "{\"field\":\"genre\",\"size\":5}},\"years\":{\"terms\":{\"field\":\"year\"}}}}");
    }

    @Test
    void nestsRrfUnderARescorerAndARescorerInsideRrf() {
        var request = EsJson.parseSearch("""
                {"size": 5, "retriever": {"rescorer": {
                  "retriever": {"rrf": {"retrievers": [
                      {"rescorer": {"retriever": {"standard": {"query": {"term": {"a": "x"}}}},
                                    "rescore": {"window_size": 50, "script": {"script": {"source": "_score"}}}}},
                      {"knn": {"field": "v", "query_vector": [1, 2], "k": 10, "num_candidates": 20}}],
                    "rank_window_size": 50}},
                  "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "m"}},
                  "filter": {"term": {"lang": "en"}}}}}""");
        var rescorer = (Retriever.Rescorer) request.retriever().orElseThrow();
        var rrf = (Retriever.Rrf) rescorer.retriever();
        assertThat(rrf.retrievers().get(0).retriever()).isInstanceOf(Retriever.Rescorer.class);
        assertThat(rrf.retrievers().get(1).retriever()).isEqualTo(knn("v", 10, 20, 1, 2));
        assertThat(rescorer.rescore().getFirst()).isInstanceOf(Rescore.LearningToRank.class);
        assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
    }

    static Stream<Arguments> badBodies() {
        String rrfOf = "{\"retriever\": {\"rrf\": {\"retrievers\": [{\"standard\": {}}]%s}}}";
        String linearOf = "{\"retriever\": {\"linear\": {\"retrievers\": [%s]}}}";
        String knnOf = "{\"retriever\": {\"knn\": {\"field\": \"v\", \"query_vector\": [1]%s}}}";
        String aggsOf = "{\"aggs\": {%s}}";
        return Stream.of(
                arguments(knnOf.formatted(", \"k\": 0"),
                        List.of(d("$.retriever.knn.k", "[k] must be greater than 0", I))),
                arguments(knnOf.formatted(", \"k\": 10, \"num_candidates\": 5"),
                        List.of(d("$.retriever.knn.num_candidates", "[num_candidates] cannot be less than [k]", I))),
                arguments(knnOf.formatted(", \"k\": 10, \"num_candidates\": 10001"),
                        List.of(d("$.retriever.knn.num_candidates", "[num_candidates] cannot exceed [10000]", I))),
                arguments("{\"retriever\": {\"knn\": {\"field\": \"v\", \"k\": 1}}}",
                        List.of(d("$.retriever.knn",
                                "either [query_vector] or [query_vector_builder] must be provided", I))),
                arguments("{\"retriever\": {\"knn\": {\"query_vector\": [1]}}}",
                        List.of(d("$.retriever.knn", "Required [field]", X))),
                arguments("{\"retriever\": {\"knn\": {\"field\": \"v\", \"query_vector\": []}}}",
                        List.of(d("$.retriever.knn.query_vector", "[query_vector] must not be empty", I))),
                arguments("{\"retriever\": {\"knn\": {\"field\": \"v\", \"query_vector\": [1, \"a\"]}}}",
                        List.of(d("$.retriever.knn.query_vector[1]", "expected finite number, got string \"a\"", X))),
                arguments("{\"retriever\": {\"knn\": {\"field\": \"v\", \"query_vector\": \"00ff\"}}}",
                        List.of(d("$.retriever.knn.query_vector", "expected array of numbers, got string \"00ff\"",
                                X))),
                arguments(knnOf.formatted(", \"boost\": 2"),
                        List.of(d("$.retriever.knn.boost", "[knn] unknown field [boost]", X))),
                arguments(knnOf.formatted(", \"rescore_vector\": {}"),
                        List.of(d("$.retriever.knn.rescore_vector", "[rescore_vector] is not supported by rankql", I))),
                arguments("{\"knn\": {\"field\": \"v\", \"query_vector\": [1], \"num_candidate\": 3}}",
                        List.of(d("$.knn.num_candidate", "[knn] unknown field [num_candidate] did you mean "
                                + "[num_candidates]?", X))),
                arguments("{\"knn\": [{\"field\": \"v\", \"query_vector\": [1]}, 7]}",
                        List.of(d("$.knn[1]", "expected knn search object, got number 7", X))),
                arguments("{\"knn\": {\"field\": \"v\", \"query_vector\": [1]}, \"retriever\": {\"standard\": {}}}",
                        List.of(d("$", "cannot specify [retriever] and [knn]", V))),
                arguments(rrfOf.formatted(", \"rank_constant\": 0"),
                        List.of(d("$.retriever.rrf.rank_constant",
                                "[rank_constant] must be greater or equal to [1] for [rrf]", I))),
                arguments(rrfOf.formatted(", \"rank_window_size\": -1"),
                        List.of(d("$.retriever.rrf.rank_window_size",
                                "[rank_window_size] parameter cannot be negative, found [-1]", V))),
                arguments("{\"retriever\": {\"rrf\": {\"retrievers\": []}}}",
                        List.of(d("$.retriever.rrf", "[rrf] must provide [retrievers] or [query]", V))),
                arguments("{\"retriever\": {\"rrf\": {\"rank_constant\": 1}}}",
                        List.of(d("$.retriever.rrf", "[rrf] must provide [retrievers] or [query]", V))),
                arguments(rrfOf.formatted(", \"fields\": [\"title\"], \"query\": \"x\""),
                        List.of(d("$.retriever.rrf.fields", "the [fields] form of [rrf] is not supported by rankql", I),
                                d("$.retriever.rrf.query", "the [query] form of [rrf] is not supported by rankql", I))),
                arguments(rrfOf.formatted(", \"rank_windowsize\": 5"),
                        List.of(d("$.retriever.rrf.rank_windowsize",
                                "[rrf] unknown field [rank_windowsize] did you mean [rank_window_size]?", X))),
                arguments("{\"retriever\": {\"rrf\": {\"retrievers\": [{\"retriever\": {\"standard\": {}}, "
                        + "\"weight\": -1}]}}}",
                        List.of(d("$.retriever.rrf.retrievers[0].weight", "[weight] must be non-negative", I))),
                arguments("{\"retriever\": {\"rrf\": {\"retrievers\": [{\"retriever\": {\"standard\": {}}, "
                        + "\"normalizer\": \"minmax\"}]}}}",
                        List.of(d("$.retriever.rrf.retrievers[0].normalizer",
                                "[rrf_component] unknown field [normalizer]", X))),
                arguments("{\"retriever\": {\"rrf\": {\"retrievers\": [{\"standard\": {\"terminate_after\": 3}}]}}}",
                        List.of(d("$.retriever.rrf.retrievers[0].standard.terminate_after",
                                "[terminate_after] cannot be used in children of compound retrievers", I))),
                arguments("{\"retriever\": {\"rrf\": {\"retrievers\": [3]}}}",
                        List.of(d("$.retriever.rrf.retrievers[0]", "expected retriever object, got number 3", X))),
                arguments("{\"size\": 20, \"retriever\": {\"rrf\": {\"retrievers\": [{\"standard\": {}}], "
                        + "\"rank_window_size\": 10}}}",
                        List.of(d("$.retriever.rrf",
                                "[rrf] requires [rank_window_size: 10] be greater than or equal to [size: 20]", V))),
                arguments("{\"size\": 20, \"retriever\": {\"linear\": {\"retrievers\": [{\"retriever\": "
                        + "{\"standard\": {}}}]}}}",
                        List.of(d("$.retriever.linear",
                                "[linear] requires [rank_window_size: 10] be greater than or equal to [size: 20]", V))),
                arguments("{\"retriever\": {\"rescorer\": {\"retriever\": {\"rrf\": {\"retrievers\": "
                        + "[{\"standard\": {}}], \"rank_window_size\": 10}}, \"rescore\": {\"window_size\": 20, "
                        + "\"query\": {\"rescore_query\": {\"match_all\": {}}}}}}}",
                        List.of(d("$.retriever.rescorer", "[rescorer] requires [window_size: 20] to be smaller than "
                                + "or equal to its sub retriever's rrf [rank_window_size: 10]", V))),
                arguments("{\"size\": 12, \"retriever\": {\"rrf\": {\"retrievers\": [{\"retriever\": {\"linear\": "
                        + "{\"retrievers\": [{\"retriever\": {\"standard\": {}}}], \"rank_window_size\": 11}}, "
                        + "\"weight\": 1}], \"rank_window_size\": 30}}}",
                        List.of(d("$.retriever.rrf.retrievers[0].retriever.linear",
                                        "[linear] requires [rank_window_size: 11] be greater than or equal to [size: 12]",
                                        V),
                                d("$.retriever.rrf", "[rrf] requires [rank_window_size: 30] to be smaller than or "
                                        + "equal to its sub retriever's linear [rank_window_size: 11]", V))),
                arguments(linearOf.formatted("{\"retriever\": {\"standard\": {}}, \"normalizer\": \"zscore\"}"),
                        List.of(d("$.retriever.linear.retrievers[0].normalizer", "Unknown normalizer [zscore]", I))),
                arguments(linearOf.formatted("{\"weight\": 2}"),
                        List.of(d("$.retriever.linear.retrievers[0]", "Required [retriever]", X))),
                arguments(linearOf.formatted("{\"retriever\": {\"standard\": {}}, \"boost\": 2}"),
                        List.of(d("$.retriever.linear.retrievers[0].boost",
                                "[retriever-component] unknown field [boost]", X))),
                arguments(linearOf.formatted("{\"standard\": {}}"),
                        List.of(d("$.retriever.linear.retrievers[0].standard",
                                        "[retriever-component] unknown field [standard]", X),
                                d("$.retriever.linear.retrievers[0]", "Required [retriever]", X))),
                arguments(aggsOf.formatted("\"a\": {\"term\": {\"field\": \"x\"}}"),
                        List.of(d("$.aggs.a.term", "Unknown aggregation type [term] did you mean [terms]? "
                                + "(rankql supports [terms])", P))),
                arguments(aggsOf.formatted("\"a\": {\"avg\": {\"field\": \"x\"}}"),
                        List.of(d("$.aggs.a.avg", "the [avg] aggregation is not supported by rankql "
                                + "(rankql supports [terms])", I))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {\"field\": \"x\", \"size\": 0}}"),
                        List.of(d("$.aggs.a.terms.size", "[size] must be greater than 0. Found [0] in [a]", I))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {\"field\": \"x\"}, \"avg\": {\"field\": \"x\"}}"),
                        List.of(d("$.aggs.a.avg", "Found two aggregation type definitions in [a]: [terms] and [avg]",
                                P))),
                arguments(aggsOf.formatted("\"a\": {}"),
                        List.of(d("$.aggs.a", "Missing definition for aggregation [a]", P))),
                arguments(aggsOf.formatted("\"a\": 5"),
                        List.of(d("$.aggs.a",
                                "Aggregation definition for [a starts with a [VALUE_NUMBER], expected a [START_OBJECT].",
                                P))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": \"x\"}"),
                        List.of(d("$.aggs.a.terms",
                                "Expected [START_OBJECT] under [terms], but got a [VALUE_STRING] in [a]", P))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {}}"),
                        List.of(d("$.aggs.a.terms", "Required one of fields [field, script], but none were specified.",
                                I))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {\"feild\": \"x\"}}"),
                        List.of(d("$.aggs.a.terms.feild", "[terms] unknown field [feild] did you mean [field]?", X),
                                d("$.aggs.a.terms", "Required one of fields [field, script], but none were "
                                        + "specified.", I))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {\"field\": \"x\", \"order\": {\"_key\": \"asc\"}}}"),
                        List.of(d("$.aggs.a.terms.order", "the terms option [order] is not supported by rankql", I))),
                arguments(aggsOf.formatted("\"a\": {\"terms\": {\"field\": \"x\"}, \"aggs\": {}}"),
                        List.of(d("$.aggs.a.aggs", "a sub-aggregation is not supported by rankql", I))),
                arguments(aggsOf.formatted("\"a>b\": {\"terms\": {\"field\": \"x\"}}"),
                        List.of(d("$.aggs['a>b']", "Invalid aggregation name [a>b]. Aggregation names can contain "
                                + "any character except '[', ']', and '>'", P))));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void refusesWithThePathAndElasticsearchsMessage(String json, List<Diagnostic> expected) {
        var result = EsJson.readSearch(json);
        assertThat(result.isInvalid()).as("%s is invalid", json).isTrue();
        assertThat(result.getError()).containsExactlyElementsOf(expected);
    }

    /** {@code levels} rrf retrievers around a standard one. */
    private static String nestedRrf(int levels) {
        return "{\"retriever\": " + "{\"rrf\": {\"retrievers\": [".repeat(levels) + "{\"standard\": {}}"
                + "]}}".repeat(levels) + "}";
    }

    @Test
    void compoundRetrieversCountTowardsTheNestingLimit() {
        assertThat(EsJson.readSearch(nestedRrf(EsJson.MAX_DEPTH - 1)).isValid()).isTrue();
        var result = EsJson.readSearch(nestedRrf(EsJson.MAX_DEPTH));
        String path = "$.retriever" + ".rrf.retrievers[0]".repeat(EsJson.MAX_DEPTH) + ".standard";
        assertThat(result.getError()).singleElement().isEqualTo(new Diagnostic(path,
                "[retriever] is nested deeper than the maximum of [64]", P));
    }
}
