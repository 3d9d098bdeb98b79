package dev.rankql.json;

import static dev.rankql.json.T.boosted;
import static dev.rankql.json.T.ltr;
import static dev.rankql.json.T.match;
import static dev.rankql.json.T.matchAll;
import static dev.rankql.json.T.must;
import static dev.rankql.json.T.req;
import static dev.rankql.json.T.rescorer;
import static dev.rankql.json.T.standard;
import static dev.rankql.json.T.term;
import static dev.rankql.json.T.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.FieldRef;
import dev.rankql.ast.Operator;
import dev.rankql.ast.Query;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.SourceFilter;
import dev.rankql.ast.Span;
import dev.rankql.ast.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The canonical form: field order, short and long forms, arrays, and numbers that read back equal. */
class EsJsonWriteTest {

    @Test
    void writesPrettyWithTwoSpacesAndNoTrailingNewline() {
        var request = req().query(match("title", "x")).size(10).build();
        assertThat(EsJson.writeSearch(request)).isEqualTo("""
                {
                  "query": {
                    "match": {
                      "title": "x"
                    }
                  },
                  "size": 10
                }""");
        assertThat(EsJson.writeSearchCompact(request))
                .isEqualTo("{\"query\":{\"match\":{\"title\":\"x\"}},\"size\":10}");
    }

    @Test
    void writesLongFormsOnlyWhenAnOptionIsSet() {
        var withOperator = new Query.Match(Span.NONE, "title", v("x"), Optional.of(Operator.AND), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(compact(withOperator)).isEqualTo("{\"match\":{\"title\":{\"query\":\"x\",\"operator\":\"and\"}}}");
        assertThat(compact(term("tag", 3))).isEqualTo("{\"term\":{\"tag\":3}}");
        assertThat(compact(boosted(term("tag", "a"), 0.3f)))
                .isEqualTo("{\"term\":{\"tag\":{\"value\":\"a\",\"boost\":0.3}}}");
        assertThat(compact(matchAll())).isEqualTo("{\"match_all\":{}}");
    }

    @Test
    void writesClauseListsAndRescoreAsArrays() {
        var request = req().query(must(match("a", "x"))).rescore(ltr(10, "m", Map.of())).build();
        assertThat(EsJson.writeSearchCompact(request)).isEqualTo("{\"query\":{\"bool\":{\"must\":"
                + "[{\"match\":{\"a\":\"x\"}}]}},"
                + "\"rescore\":[{\"window_size\":10,\"learning_to_rank\":{\"model_id\":\"m\"}}]}");
        var retriever = req().retriever(rescorer(standard(matchAll()), ltr(5, "m", Map.of("k", v(1))))).build();
        assertThat(EsJson.writeSearchCompact(retriever)).isEqualTo("{\"retriever\":{\"rescorer\":{\"retriever\":"
                + "{\"standard\":{\"query\":{\"match_all\":{}}}},\"rescore\":[{\"window_size\":5,\"learning_to_rank\":"
                + "{\"model_id\":\"m\",\"params\":{\"k\":1}}}]}}}");
    }

    @Test
    void writesFloatsShortAndDoublesWithAFraction() {
        var request = req().minScore(0.3f).query(boosted(term("t", 2.0), 1.1f))
                .ext(Map.of("w", new Value.Arr(List.of(v(0.1), v(3L), v(1e21), new Value.Null())))).build();
        assertThat(EsJson.writeSearchCompact(request)).isEqualTo("{\"query\":{\"term\":{\"t\":{\"value\":2.0,"
                + "\"boost\":1.1}}},\"min_score\":0.3,\"ext\":{\"w\":[0.1,3,1.0E21,null]}}");
        assertThat(EsJson.parseSearch(EsJson.writeSearch(request))).isEqualTo(request);
    }

    @Test
    void writesFieldBoostsAsCaretSuffixes() {
        var multi = new Query.MultiMatch(Span.NONE, v("q"), List.of(new FieldRef("title", Optional.of(2f)),
                new FieldRef("body", Optional.of(0.5f)), FieldRef.of("tags")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(compact(multi)).isEqualTo("{\"multi_match\":{\"query\":\"q\",\"fields\":[\"title^2\",\"body^0.5\","
                + "\"tags\"]}}");
    }

    @Test
    void writesSourceAsObjectAndSortAsArray() {
        var request = EsJson.parseSearch("{\"_source\": \"a\", \"sort\": \"_score\"}");
        assertThat(EsJson.writeSearchCompact(request)).isEqualTo("{\"_source\":{\"includes\":[\"a\"]},\"sort\":"
                + "[\"_score\"]}");
        assertThat(EsJson.writeSearchCompact(req().source(new SourceFilter.Fetch(false)).build()))
                .isEqualTo("{\"_source\":false}");
    }

    @Test
    void leavesTheIndexOutAndWritesAnEmptyRequestAsAnEmptyObject() {
        var request = SearchRequest.empty().withIndex(Optional.of("products"));
        assertThat(EsJson.writeSearch(request)).isEqualTo("{}");
        assertThat(EsJson.writeRetriever(standard(matchAll()))).isEqualTo("""
                {
                  "standard": {
                    "query": {
                      "match_all": {}
                    }
                  }
                }""");
        assertThat(EsJson.writeQuery(matchAll())).isEqualTo("{\n  \"match_all\": {}\n}");
    }

    private static String compact(Query query) {
        return EsJson.toJsonNode(query).toString();
    }
}
