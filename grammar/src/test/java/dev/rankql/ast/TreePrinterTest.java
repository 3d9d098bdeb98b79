package dev.rankql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreePrinterTest {

    private static final Span AT = new Span(3, 7, 40, 12);

    @Test
    void printsTheRescorerExampleWithoutUnsetOptionsOrSpans() {
        var multiMatch = new Query.MultiMatch(AT, Value.of("the quick brown fox"),
                List.of(FieldRef.parse("title^2"), FieldRef.of("content")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        var standard = new Retriever.Standard(AT, Optional.of(multiMatch), List.of(), Optional.empty(),
                Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty());
        var ltr = new Rescore.LearningToRank(AT, Optional.of(100), "ltr-model",
                Map.of("query_text", Value.of("the quick brown fox")));
        var rescorer = new Retriever.Rescorer(AT, standard, List.of(ltr), List.of(), Optional.empty(), Optional.empty());
        var request = new SearchRequest(AT, Optional.of("products"), Optional.of(rescorer), Optional.empty(),
                List.of(), Optional.empty(), Optional.of(10), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of());

        assertThat(TreePrinter.print(request)).isEqualTo("""
                SearchRequest
                  index: "products"
                  retriever: Retriever.Rescorer
                    retriever: Retriever.Standard
                      query: Query.MultiMatch
                        query: "the quick brown fox"
                        fields[0]: title^2
                        fields[1]: content
                    rescore[0]: Rescore.LearningToRank
                      windowSize: 100
                      modelId: "ltr-model"
                      params: {"query_text":"the quick brown fox"}
                  size: 10
                """);
    }

    @Test
    void printsHybridRetrieversVectorsOnOneLineAndAggregationsByName() {
        var knn = new Retriever.Knn(AT, "embedding", QueryVector.of(0.5f, -1f, 2f), Optional.of(5), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        var linear = new Retriever.Linear(AT, List.of(new Retriever.Linear.Component(AT, knn, Optional.of(2f),
                Optional.of(ScoreNormalizer.MINMAX))), Optional.of(20), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty());
        var request = new SearchRequest(AT, Optional.empty(), Optional.of(linear), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of(),
                List.of(), Map.of("genres", new Aggregation.Terms(AT, "genre", Optional.of(3))));

        assertThat(TreePrinter.print(request)).isEqualTo("""
                SearchRequest
                  retriever: Retriever.Linear
                    retrievers[0]: Retriever.Linear.Component
                      retriever: Retriever.Knn
                        field: "embedding"
                        queryVector: [0.5, -1, 2]
                        k: 5
                      weight: 2
                      normalizer: minmax
                    rankWindowSize: 20
                  aggregations["genres"]: Aggregation.Terms
                    field: "genre"
                    size: 3
                """);
    }

    @Test
    void printsListsEnumsNumbersAndNestedQueries() {
        var match = new Query.Match(Span.NONE, "title", Value.of("fox"), Optional.of(Operator.AND), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(ZeroTermsQuery.ALL), Optional.of(1.5f),
                Optional.of("m"));
        var range = new Query.Range(Span.NONE, "price", Optional.empty(), Optional.of(Value.of(10)), Optional.of(
                Value.of(99.5)), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        var terms = new Query.Terms(Span.NONE, "tags", List.of(Value.of("a\"b"), Value.of(true), Value.of(3)),
                Optional.empty(), Optional.empty());
        var matchAll = new Query.MatchAll(Span.NONE, Optional.of(2f), Optional.empty());
        var bool = new Query.Bool(Span.NONE, List.of(match), List.of(range, terms), List.of(), List.of(matchAll),
                Optional.of("1"), Optional.empty(), Optional.empty());

        assertThat(TreePrinter.print(bool)).isEqualTo("""
                Query.Bool
                  must[0]: Query.Match
                    field: "title"
                    query: "fox"
                    operator: and
                    zeroTermsQuery: all
                    boost: 1.5
                    name: "m"
                  should[0]: Query.Range
                    field: "price"
                    gte: 10
                    lt: 99.5
                  should[1]: Query.Terms
                    field: "tags"
                    values[0]: "a\\"b"
                    values[1]: true
                    values[2]: 3
                  mustNot[0]: Query.MatchAll
                    boost: 2
                  minimumShouldMatch: "1"
                """);
    }

    @Test
    void printsValuesAsCompactJsonAndEmptyRecordsByTypeAlone() {
        var nested = new LinkedHashMap<String, Value>();
        nested.put("weights", new Value.Arr(List.of(Value.of(0.25), Value.of(-1), new Value.Null())));
        nested.put("opts", new Value.Obj(Map.of("line\nbreak", Value.of("tab\there\u0001"))));
        var script = new Script(Span.NONE, "_score * params.w", Optional.empty(), nested);
        var rankFeature = new Query.RankFeature(Span.NONE, "pagerank",
                Optional.of(new RankFeatureFunction.Saturation(Optional.empty())), Optional.empty(), Optional.empty());
        var request = new SearchRequest(Span.NONE, Optional.empty(), Optional.empty(), Optional.of(rankFeature),
                List.of(new Rescore.ScriptRescore(Span.NONE, Optional.empty(), script)), Optional.of(0),
                Optional.empty(), Optional.empty(), Optional.of(false), Optional.empty(),
                Optional.of(new SourceFilter.Fetch(false)), Optional.of(new TrackTotalHits.UpTo(100)),
                Optional.empty(), List.of(new SortField(Span.NONE, "_score", Optional.of(SortOrder.DESC))),
                List.of(), Optional.empty(), Map.of("rankql", new Value.Obj(Map.of("explain_features", Value.of(true)))));

        assertThat(TreePrinter.print(request)).isEqualTo("""
                SearchRequest
                  query: Query.RankFeature
                    field: "pagerank"
                    function: RankFeatureFunction.Saturation
                  rescore[0]: Rescore.ScriptRescore
                    script: Script
                      source: "_score * params.w"
                      params: {"weights":[0.25,-1,null],"opts":{"line\\nbreak":"tab\\there\\u0001"}}
                  from: 0
                  explain: false
                  source: SourceFilter.Fetch
                    enabled: false
                  trackTotalHits: TrackTotalHits.UpTo
                    limit: 100
                  sort[0]: SortField
                    field: "_score"
                    order: desc
                  ext: {"rankql":{"explain_features":true}}
                """);
    }

    @Test
    void printsALeafOnItsOwnLine() {
        assertThat(TreePrinter.print(FieldRef.parse("title^2.5"))).isEqualTo("title^2.5\n");
        assertThat(TreePrinter.print(Value.of("x"))).isEqualTo("\"x\"\n");
        assertThat(TreePrinter.print(new Query.MatchNone(Span.NONE, Optional.empty(), Optional.empty())))
                .isEqualTo("Query.MatchNone\n");
    }
}
