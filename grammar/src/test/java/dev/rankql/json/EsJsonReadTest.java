package dev.rankql.json;

import static dev.rankql.json.T.bool;
import static dev.rankql.json.T.boosted;
import static dev.rankql.json.T.constantScore;
import static dev.rankql.json.T.exists;
import static dev.rankql.json.T.filter;
import static dev.rankql.json.T.fuzzy;
import static dev.rankql.json.T.ltr;
import static dev.rankql.json.T.match;
import static dev.rankql.json.T.matchAll;
import static dev.rankql.json.T.multiMatch;
import static dev.rankql.json.T.must;
import static dev.rankql.json.T.phrase;
import static dev.rankql.json.T.prefix;
import static dev.rankql.json.T.queryRescore;
import static dev.rankql.json.T.range;
import static dev.rankql.json.T.req;
import static dev.rankql.json.T.rescorer;
import static dev.rankql.json.T.scriptScore;
import static dev.rankql.json.T.should;
import static dev.rankql.json.T.sort;
import static dev.rankql.json.T.standard;
import static dev.rankql.json.T.term;
import static dev.rankql.json.T.terms;
import static dev.rankql.json.T.v;
import static dev.rankql.json.T.wildcard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.MultiMatchType;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.RankFeatureFunction;
import dev.rankql.ast.Rescore;
import dev.rankql.ast.Retriever;
import dev.rankql.ast.ScoreMode;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SortOrder;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.TrackTotalHits;
import dev.rankql.ast.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** JSON inputs, in every form Elasticsearch accepts, and the trees they read as. */
class EsJsonReadTest {

    static Stream<Arguments> queries() {
        return Stream.of(
                arguments("{\"match\": {\"title\": \"x\"}}", match("title", "x")),
                arguments("{\"match\": {\"title\": {\"query\": \"x\"}}}", match("title", "x")),
                arguments("{\"match\": {\"price\": 10}}", match("price", 10)),
                arguments("{\"match\": {\"title\": {\"query\": \"x y\", \"operator\": \"AND\", "
                        + "\"minimum_should_match\": 2, \"fuzziness\": 1, \"boost\": \"2\", \"_name\": \"m\"}}}",
                        new Query.Match(Span.NONE, "title", v("x y"), Optional.of(Operator.AND), Optional.of("2"),
                                Optional.of("1"), Optional.empty(), Optional.empty(), Optional.of(2f),
                                Optional.of("m"))),
                arguments("{\"match_phrase\": {\"title\": \"a b\"}}", phrase("title", "a b")),
                arguments("{\"match_phrase\": {\"title\": {\"query\": \"a b\"}}}", phrase("title", "a b")),
                arguments("{\"term\": {\"tag\": \"x\"}}", term("tag", "x")),
                arguments("{\"term\": {\"tag\": {\"value\": \"x\", \"boost\": 2}}}", boosted(term("tag", "x"), 2)),
                arguments("{\"term\": {\"on\": true}}", term("on", true)),
                arguments("{\"terms\": {\"tag\": [\"a\", 1, 2.5]}}", terms("tag", "a", 1, 2.5)),
                arguments("{\"range\": {\"price\": {\"gte\": 10, \"lt\": 20.5}}}", range("price", 10, 20.5)),
                arguments("{\"range\": {\"price\": {\"gte\": null, \"lt\": 20}}}", range("price", null, 20)),
                arguments("{\"prefix\": {\"title\": \"lea\"}}", prefix("title", "lea")),
                arguments("{\"prefix\": {\"title\": {\"value\": \"lea\"}}}", prefix("title", "lea")),
                arguments("{\"wildcard\": {\"title\": {\"wildcard\": \"l*n\"}}}", wildcard("title", "l*n")),
                arguments("{\"wildcard\": {\"title\": {\"value\": \"l*n\"}}}", wildcard("title", "l*n")),
                arguments("{\"fuzzy\": {\"title\": \"rank\"}}", fuzzy("title", "rank")),
                arguments("{\"fuzzy\": {\"title\": {\"value\": \"rank\"}}}", fuzzy("title", "rank")),
                arguments("{\"exists\": {\"field\": \"title\"}}", exists("title")),
                arguments("{\"match_all\": {}}", matchAll()),
                arguments("{\"bool\": {\"must\": {\"match_all\": {}}}}", must(matchAll())),
                arguments("{\"bool\": {\"must\": [{\"match_all\": {}}]}}", must(matchAll())),
                arguments("{\"bool\": {\"should\": [{\"term\": {\"a\": 1}}, {\"term\": {\"b\": 2}}], "
                        + "\"must_not\": null}}", should(term("a", 1), term("b", 2))),
                arguments("{\"bool\": {\"filter\": {\"exists\": {\"field\": \"f\"}}}}", filter(exists("f"))),
                arguments("{\"bool\": {}}", bool(List.of(), List.of(), List.of(), List.of())),
                arguments("{\"multi_match\": {\"query\": \"x\", \"fields\": [\"title^2\", \"body\"]}}",
                        multiMatch("x", "title^2", "body")),
                arguments("{\"multi_match\": {\"query\": \"x\", \"fields\": \"title^1.5\"}}",
                        multiMatch("x", "title^1.5")),
                arguments("{\"multi_match\": {\"query\": \"x\", \"type\": \"Cross_Fields\", \"tie_breaker\": 0.3}}",
                        new Query.MultiMatch(Span.NONE, v("x"), List.of(), Optional.of(MultiMatchType.CROSS_FIELDS),
                                Optional.of(0.3f), Optional.empty(), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                                Optional.empty())),
                arguments("{\"constant_score\": {\"filter\": {\"term\": {\"product\": \"TV\"}}, \"boost\": 1.0}}",
                        constantScore(term("product", "TV"), 1f)),
                arguments("{\"dis_max\": {\"queries\": {\"match_all\": {}}, \"tie_breaker\": 0.7}}",
                        new Query.DisMax(Span.NONE, List.of(matchAll()), Optional.of(0.7f), Optional.empty(),
                                Optional.empty())),
                arguments("{\"rank_feature\": {\"field\": \"pagerank\", \"saturation\": {}}}",
                        new Query.RankFeature(Span.NONE, "pagerank",
                                Optional.of(new RankFeatureFunction.Saturation(Optional.empty())), Optional.empty(),
                                Optional.empty())),
                arguments("{\"rank_feature\": {\"field\": \"pagerank\", \"sigmoid\": {\"pivot\": 7, "
                        + "\"exponent\": 0.6}}}",
                        new Query.RankFeature(Span.NONE, "pagerank",
                                Optional.of(new RankFeatureFunction.Sigmoid(7, 0.6f)), Optional.empty(),
                                Optional.empty())),
                arguments("{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": "
                        + "{\"source\": \"return 2.0;\"}}}", scriptScore(matchAll(), "return 2.0;")),
                arguments("{\"ids\": {\"values\": [\"1\", \"2\"]}}",
                        new Query.Ids(Span.NONE, List.of("1", "2"), Optional.empty(), Optional.empty())),
                arguments("{\"match_none\": {\"_name\": \"n\"}}",
                        new Query.MatchNone(Span.NONE, Optional.empty(), Optional.of("n"))));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void readsQueries(String json, Query expected) {
        assertThat(EsJson.parseQuery(json)).isEqualTo(expected);
    }

    static Stream<Arguments> requests() {
        var ltrParams = Map.<String, Value>of("query_text", v("the quick brown fox"));
        return Stream.of(
                arguments("{}", SearchRequest.empty()),
                arguments("{\"query\": {\"match\": {\"title\": \"x\"}}, \"size\": \"10\", \"from\": 0}",
                        req().query(match("title", "x")).size(10).from(0).build()),
                arguments("{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 100, "
                        + "\"learning_to_rank\": {\"model_id\": \"ltr-model\", \"params\": "
                        + "{\"query_text\": \"the quick brown fox\"}}}}",
                        req().query(matchAll()).rescore(ltr(100, "ltr-model", ltrParams)).build()),
                arguments("{\"rescore\": [{\"learning_to_rank\": {\"model_id\": \"m\"}, \"window_size\": 5}, "
                        + "{\"query\": {\"rescore_query\": {\"match_all\": {}}, \"score_mode\": \"Multiply\"}, "
                        + "\"window_size\": 5}]}",
                        req().rescore(ltr(5, "m", Map.of()), queryRescore(5, matchAll(), ScoreMode.MULTIPLY))
                                .build()),
                arguments("{\"rescore\": []}", SearchRequest.empty()),
                arguments("{\"_source\": false}", req().source(new SourceFilter.Fetch(false)).build()),
                arguments("{\"_source\": \"title\"}",
                        req().source(new SourceFilter.Fields(List.of("title"), List.of())).build()),
                arguments("{\"_source\": [\"a\", \"b*\"]}",
                        req().source(new SourceFilter.Fields(List.of("a", "b*"), List.of())).build()),
                arguments("{\"_source\": {\"includes\": \"a\", \"excludes\": [\"b\"]}}",
                        req().source(new SourceFilter.Fields(List.of("a"), List.of("b"))).build()),
                arguments("{\"_source\": {\"include\": [\"a\"], \"exclude\": \"b\"}}",
                        req().source(new SourceFilter.Fields(List.of("a"), List.of("b"))).build()),
                arguments("{\"track_total_hits\": true}", req().trackTotalHits(new TrackTotalHits.Flag(true))
                        .build()),
                arguments("{\"track_total_hits\": \"false\"}", req().trackTotalHits(new TrackTotalHits.Flag(false))
                        .build()),
                arguments("{\"track_total_hits\": 100}", req().trackTotalHits(new TrackTotalHits.UpTo(100)).build()),
                arguments("{\"sort\": \"_score\"}", req().sort(sort("_score", null)).build()),
                arguments("{\"sort\": {\"_score\": \"desc\"}}", req().sort(sort("_score", SortOrder.DESC)).build()),
                arguments("{\"sort\": [{\"price\": {\"order\": \"asc\"}}, \"_doc\", "
                        + "{\"a\": \"DESC\", \"b\": \"asc\"}]}",
                        req().sort(sort("price", SortOrder.ASC), sort("_doc", null), sort("a", SortOrder.DESC),
                                sort("b", SortOrder.ASC)).build()),
                arguments("{\"collapse\": {\"field\": \"user\"}, \"explain\": true, \"min_score\": 0.5}",
                        req().collapse("user").explain(true).minScore(0.5f).build()),
                arguments("{\"ext\": {\"rankql\": {\"k\": [1, 2.0, null, {\"x\": false}]}}}",
                        req().ext(Map.of("rankql", new Value.Obj(Map.of("k", new Value.Arr(List.of(v(1), v(2.0),
                                new Value.Null(), new Value.Obj(Map.of("x", v(false))))))))).build()),
                arguments("{\"retriever\": {\"standard\": {\"query\": {\"match\": {\"title\": \"x\"}}}}, "
                        + "\"size\": 3, \"collapse\": {\"field\": \"f\"}}",
                        req().retriever(standard(match("title", "x"))).size(3).collapse("f").build()));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void readsRequests(String json, SearchRequest expected) {
        assertThat(EsJson.parseSearch(json)).isEqualTo(expected);
    }

    @Test
    void readsNestedRescorerRetrievers() {
        String json = """
                {"retriever": {"rescorer": {
                  "retriever": {"rescorer": {
                    "retriever": {"standard": {"query": {"match": {"title": "x"}}, "filter": {"term": {"lang": "en"}},
                                               "min_score": 1.5, "_name": "first"}},
                    "rescore": {"window_size": 50, "query": {"rescore_query": {"match_phrase": {"title": "x"}},
                                "query_weight": 0.7, "rescore_query_weight": 1.2, "score_mode": "total"}}}},
                  "rescore": [{"window_size": 10, "learning_to_rank": {"model_id": "m"}}],
                  "filter": [{"exists": {"field": "title"}}],
                  "_name": "outer"}}}
                """;
        Retriever first = new Retriever.Standard(Span.NONE, Optional.of(match("title", "x")),
                List.of(term("lang", "en")), Optional.of(1.5f), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Optional.of("first"));
        Retriever inner = rescorer(first, new Rescore.QueryRescore(Span.NONE, Optional.of(50), phrase("title", "x"),
                Optional.of(0.7f), Optional.of(1.2f), Optional.of(ScoreMode.TOTAL)));
        Retriever outer = new Retriever.Rescorer(Span.NONE, inner, List.of(ltr(10, "m", Map.of())),
                List.of(exists("title")), Optional.empty(), Optional.of("outer"));
        assertThat(EsJson.parseSearch(json)).isEqualTo(req().retriever(outer).build());
    }

    @Test
    void readsScriptRescorerAndMultiMatchBoosts() {
        var request = EsJson.parseSearch("""
                {"query": {"multi_match": {"query": "q", "fields": ["title^3", "body^0.5", "tags"]}},
                 "rescore": {"window_size": 20, "script": {"script": {"source": "_score * params.w", "lang": "painless",
                             "params": {"w": 2}}}}}
                """);
        var multiMatch = (Query.MultiMatch) request.query().orElseThrow();
        assertThat(multiMatch.fields()).containsExactly(new FieldRef("title", Optional.of(3f)),
                new FieldRef("body", Optional.of(0.5f)), FieldRef.of("tags"));
        var script = (Rescore.ScriptRescore) request.rescore().getFirst();
        assertThat(script.windowSize()).contains(20);
        assertThat(script.script().lang()).contains("painless");
        assertThat(script.script().params()).isEqualTo(Map.of("w", v(2)));
    }

    @Test
    void readsTheFeatureExtractorQueriesOfAnLtrModel() {
        // The extractors of the ES test model (spec d.7), read where they sit in the model definition.
        var model = tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"feature_extractors": [
                  {"query_extractor": {"feature_name": "cost", "query": {"script_score": {"query": {"match_all": {}},
                      "script": {"source": "return doc['cost'].value;"}}}}},
                  {"query_extractor": {"feature_name": "type_tv", "query": {"constant_score":
                      {"filter": {"term": {"product": "TV"}}, "boost": 1.0}}}},
                  {"query_extractor": {"feature_name": "two", "query": {"script_score": {"query": {"match_all": {}},
                      "script": {"source": "return 2.0;"}}}}},
                  {"query_extractor": {"feature_name": "product_bm25", "query": {"term": {"product": "{{keyword}}"}}}},
                  {"query_extractor": {"feature_name": "broken", "query": {"term": {"product": ["TV"]}}}}
                ]}
                """);
        var queries = new java.util.ArrayList<Query>();
        var extractors = model.get("feature_extractors");
        for (int i = 0; i < 4; i++) {
            String path = "$.feature_extractors[" + i + "].query_extractor.query";
            queries.add(EsJson.parseQuery(extractors.get(i).get("query_extractor").get("query"), path));
        }
        assertThat(queries).containsExactly(scriptScore(matchAll(), "return doc['cost'].value;"),
                constantScore(term("product", "TV"), 1f), scriptScore(matchAll(), "return 2.0;"),
                term("product", "{{keyword}}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EsJson.parseQuery(
                        extractors.get(4).get("query_extractor").get("query"),
                        "$.feature_extractors[4].query_extractor.query"))
                .hasMessage("$.feature_extractors[4].query_extractor.query.term.product: "
                        + "[term] query does not support array of values");
    }

    @Test
    void parsesEmbeddedQueriesWithTheirOwnPath() {
        var node = EsJson.toJsonNode(term("product", "{{keyword}}"));
        assertThat(EsJson.parseQuery(node, "$.feature_extractors[5].query_extractor.query"))
                .isEqualTo(term("product", "{{keyword}}"));
        var bad = EsJson.toJsonNode(SearchRequest.empty());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EsJson.parseQuery(bad, "$.x.query"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("$.x.query: query malformed, empty clause found");
    }
}
