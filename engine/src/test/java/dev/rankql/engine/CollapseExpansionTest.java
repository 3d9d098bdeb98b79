package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import dev.rankql.json.InvalidRequestException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a collapsed search can return beside the group heads, as Elasticsearch returns it: each group's inner hits
 * (sorted, paged, collapsed once more), document versions set by an external system, requested field values,
 * scores while sorting by a field ({@code track_scores}), and paging with {@code search_after} on the collapse field.
 */
class CollapseExpansionTest {

    @TempDir
    Path data;

    private Engine engine;

    /** Nine trail reports in three regions; a report's version is the revision number the ranger office gave it. */
    @BeforeEach
    void trails() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("trails", """
                {"mappings": {"properties": {"region": {"type": "keyword"}, "town": {"type": "keyword"},
                  "km": {"type": "integer"}, "note": {"type": "text"}}}}""");
        var bulk = """
                {"index": {"_id": "a", "version_type": "external", "version": 7}}
                {"region": "north", "town": "Tarn", "km": 12, "note": "steep ridge with a lake"}
                {"index": {"_id": "b", "version_type": "external", "version": 3}}
                {"region": "north", "town": "Tarn", "km": 4, "note": "lake loop"}
                {"index": {"_id": "c", "version_type": "external", "version": 9}}
                {"region": "north", "town": "Holm", "km": 20, "note": "ridge traverse"}
                {"index": {"_id": "d", "version_type": "external", "version": 2}}
                {"region": "south", "town": "Wick", "km": 8, "note": "lake shore and ridge view"}
                {"index": {"_id": "e", "version_type": "external", "version": 5}}
                {"region": "south", "town": "Wick", "km": 15, "note": "forest ridge"}
                {"index": {"_id": "f", "version_type": "external", "version": 1}}
                {"region": "south", "town": "Ness", "km": 6, "note": "lake"}
                {"index": {"_id": "g", "version_type": "external", "version": 4}}
                {"region": "west", "town": "Orme", "km": 30, "note": "coastal ridge ridge ridge"}
                {"index": {"_id": "h", "version_type": "external", "version": 8}}
                {"region": "west", "town": "Orme", "km": 2, "note": "harbour walk"}
                {"index": {"_id": "i", "version_type": "external", "version": 6}}
                {"region": "north", "town": "Holm", "km": 9, "note": "lake and ridge"}
                """;
        assertThat(engine.bulk("trails", new StringReader(bulk), RefreshPolicy.IMMEDIATE).errors()).isFalse();
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws Exception {
        engine.close();
    }

    private SearchResponse search(String body) {
        return engine.search("trails", EsJson.parseSearch(body));
    }

    private static List<String> ids(List<SearchResponse.Hit> hits) {
        return hits.stream().map(SearchResponse.Hit::id).toList();
    }

    @Test
    void innerHitsRankEachGroupByTheirOwnSortAndCountTheWholeGroup() {
        var response = search("""
                {"collapse": {"field": "region", "inner_hits": {"name": "shortest", "size": 2, "sort": [{"km": "asc"}],
                   "fields": ["town"], "version": true}},
                 "sort": [{"km": "desc"}], "version": true}""");
        assertThat(ids(response.hits())).containsExactly("g", "c", "e");
        assertThat(response.hits().get(0).metadata().version()).contains(4L);
        assertThat(response.hits().get(1).fields()).containsEntry("region", List.of("north"));

        var north = response.hits().get(1).innerHits().get("shortest");
        assertThat(north.total().value()).isEqualTo(4);
        assertThat(ids(north.hits())).containsExactly("b", "i");
        assertThat(north.maxScore()).isEmpty();
        assertThat(north.hits().get(0).fields()).isEqualTo(Map.of("town", List.of("Tarn")));
        assertThat(north.hits().get(0).metadata().version()).contains(3L);
        assertThat(north.hits().get(1).metadata().version()).contains(6L);

        var west = response.hits().get(0).innerHits().get("shortest");
        assertThat(west.total().value()).isEqualTo(2);
        assertThat(ids(west.hits())).containsExactly("h", "g");

        var json = response.toJson(true);
        assertThat(json.at("/hits/total").asLong()).isEqualTo(9);
        assertThat(json.at("/hits/hits/1/inner_hits/shortest/hits/total").asLong()).isEqualTo(4);
        assertThat(json.at("/hits/hits/1/_version").asLong()).isEqualTo(9);
        assertThat(response.toJson().at("/hits/hits/1/inner_hits/shortest/hits/total/value").asLong()).isEqualTo(4);
    }

    @Test
    void innerHitsUnderARetrieverTakeTheRetrieversMatches() {
        var classic = search("""
                {"query": {"match": {"note": "ridge"}},
                 "collapse": {"field": "region", "inner_hits": {"name": "all", "size": 5, "sort": [{"km": "asc"}]}}}""");
        var retriever = search("""
                {"retriever": {"standard": {"query": {"match": {"note": "ridge"}}}},
                 "collapse": {"field": "region", "inner_hits": {"name": "all", "size": 5, "sort": [{"km": "asc"}]}}}""");
        assertThat(ids(retriever.hits())).isEqualTo(ids(classic.hits()));
        for (int i = 0; i < classic.hits().size(); i++) {
            assertThat(ids(retriever.hits().get(i).innerHits().get("all").hits()))
                    .isEqualTo(ids(classic.hits().get(i).innerHits().get("all").hits()));
        }
        var north = retriever.hits().stream().filter(h -> List.of("a", "c", "i").contains(h.id()))
                .findFirst().orElseThrow().innerHits().get("all");
        assertThat(ids(north.hits())).containsExactly("i", "a", "c");
    }

    @Test
    void severalInnerHitsSectionsAndTheDefaultsOfOne() {
        var response = search("""
                {"query": {"match": {"note": "lake"}},
                 "collapse": {"field": "region", "max_concurrent_group_searches": 4, "inner_hits": [
                   {"name": "longest", "size": 1, "sort": [{"km": "desc"}], "seq_no_primary_term": true},
                   {"name": "best"}]}}""");
        assertThat(response.total().orElseThrow().value()).isEqualTo(5);
        var heads = response.hits();
        assertThat(heads).hasSize(2);
        for (var head : heads) {
            var best = head.innerHits().get("best");
            // Ranked by score, the group's best document is its head.
            assertThat(best.hits().getFirst().id()).isEqualTo(head.id());
            assertThat(best.maxScore()).contains(head.score().orElseThrow());
            assertThat(best.hits().size()).isLessThanOrEqualTo(3);
            var longest = head.innerHits().get("longest").hits();
            assertThat(longest).hasSize(1);
            assertThat(longest.getFirst().metadata().seqNo()).isPresent();
        }
        var north = heads.stream().filter(h -> h.fields().get("region").equals(List.of("north"))).findFirst().orElseThrow();
        assertThat(ids(north.innerHits().get("longest").hits())).containsExactly("a");
        assertThat(north.innerHits().get("best").total().value()).isEqualTo(3);
        assertThat(response.toJson().at("/hits/hits/0/inner_hits/longest/hits/hits/0/_primary_term").asLong()).isEqualTo(1);
    }

    @Test
    void innerHitsCollapseAgainOnASecondField() {
        var response = search("""
                {"collapse": {"field": "region", "inner_hits": {"name": "towns", "size": 5, "sort": [{"town": "asc"}],
                   "collapse": {"field": "town"}}},
                 "sort": [{"region": "asc"}]}""");
        assertThat(ids(response.hits())).hasSize(3);
        var north = response.hits().getFirst().innerHits().get("towns");
        assertThat(north.total().value()).isEqualTo(4);
        assertThat(north.hits()).extracting(h -> h.fields().get("town")).containsExactly(List.of("Holm"), List.of("Tarn"));

        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"collapse": {"field": "region", "inner_hits": {"collapse": {"field": "town", "inner_hits": {}}}}}"""))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.diagnostics().getFirst().type()).isEqualTo("x_content_parse_exception"));
        assertThatThrownBy(() -> EsJson.parseSearch("""
                {"collapse": {"field": "region", "inner_hits": [{"name": "x"}, {"name": "x"}]}}"""))
                .hasMessageContaining("[inner_hits] already contains an entry for key [x]");
    }

    @Test
    void trackScoresGivesScoresAndTheBestScoreOfAllMatchesWhenSortingByAField() {
        var untracked = search("""
                {"query": {"match": {"note": "ridge"}}, "sort": [{"km": "asc"}], "size": 2}""");
        assertThat(untracked.maxScore()).isEmpty();
        assertThat(untracked.hits().getFirst().score()).isEmpty();

        var tracked = search("""
                {"query": {"match": {"note": "ridge"}}, "sort": [{"km": "asc"}], "size": 2, "track_scores": true}""");
        var byScore = search("""
                {"query": {"match": {"note": "ridge"}}, "size": 10}""");
        assertThat(ids(tracked.hits())).containsExactly("d", "i");
        // The best match (g, 30 km) is not on the page, yet max_score is its score.
        assertThat(byScore.hits().getFirst().id()).isEqualTo("g");
        assertThat(tracked.maxScore()).isEqualTo(byScore.maxScore());
        var scoreOfD = byScore.hits().stream().filter(h -> h.id().equals("d")).findFirst().orElseThrow().score();
        assertThat(tracked.hits().getFirst().score()).isEqualTo(scoreOfD);
    }

    @Test
    void searchAfterPagesThroughGroupsSortedOnTheCollapseField() {
        var first = search("""
                {"collapse": {"field": "km"}, "sort": [{"km": "desc"}], "size": 2}""");
        assertThat(ids(first.hits())).containsExactly("g", "c");
        assertThat(first.hits().get(1).sort()).containsExactly(20L);

        var next = search("""
                {"collapse": {"field": "km"}, "sort": [{"km": "desc"}], "size": 3, "search_after": [20]}""");
        assertThat(ids(next.hits())).containsExactly("e", "a", "i");
        assertThat(next.total().orElseThrow().value()).isEqualTo(9);

        var plain = search("""
                {"sort": [{"town": "asc"}, {"km": "asc"}], "size": 2, "search_after": ["Ness", 6]}""");
        assertThat(ids(plain.hits())).containsExactly("h", "g");

        assertThatThrownBy(() -> search("""
                {"collapse": {"field": "region"}, "sort": [{"km": "desc"}], "search_after": [20]}"""))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("Cannot use [collapse] in conjunction with [search_after] unless the search is sorted on the "
                        + "same field. Multiple sort fields are not allowed.");
        assertThatThrownBy(() -> search("""
                {"sort": [{"km": "desc"}], "search_after": [20, 1]}"""))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.causedBy().map(EngineException::reason).orElse(e.reason()))
                        .isEqualTo("search_after has 2 value(s) but sort has 1."));
    }

    @Test
    void anExternalVersionMustGrow() {
        var stale = engine.bulk("trails", new StringReader("""
                {"index": {"_id": "a", "version_type": "external", "version": 7}}
                {"region": "north", "town": "Tarn", "km": 13, "note": "rerouted"}
                """), RefreshPolicy.IMMEDIATE);
        assertThat(stale.errors()).isTrue();
        assertThat(stale.toJson().toString()).contains("version_conflict_engine_exception")
                .contains("current version [7] is higher or equal to the one provided [7]");
        var newer = engine.bulk("trails", new StringReader("""
                {"index": {"_id": "a", "version_type": "external_gte", "version": 11}}
                {"region": "north", "town": "Tarn", "km": 13, "note": "rerouted"}
                """), RefreshPolicy.IMMEDIATE);
        assertThat(newer.errors()).isFalse();
        assertThat(engine.getDocument("trails", "a").orElseThrow().version()).isEqualTo(11);
    }
}
