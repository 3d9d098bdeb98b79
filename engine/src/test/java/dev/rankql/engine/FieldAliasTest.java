package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Field aliases ({@code "type": "alias"}): the mapping rules and Elasticsearch's messages, the refusal to index
 * values under an alias, and an alias answering exactly as its target wherever a search names a field.
 */
class FieldAliasTest {

    @TempDir
    Path data;

    private Engine engine;

    /** Five catalogue entries of a record shop; aliases give the old field names of a previous catalogue. */
    @BeforeEach
    void shop() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("records", """
                {"mappings": {"properties": {
                  "title": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
                  "label": {"type": "keyword"},
                  "year": {"type": "integer"},
                  "price": {"type": "float"},
                  "plays": {"type": "rank_feature"},
                  "name": {"type": "alias", "path": "title"},
                  "name_raw": {"type": "alias", "path": "title.raw"},
                  "publisher": {"type": "alias", "path": "label"},
                  "released": {"type": "alias", "path": "year"},
                  "cost": {"type": "alias", "path": "price"},
                  "popularity": {"type": "alias", "path": "plays"},
                  "meta": {"properties": {"issued": {"type": "alias", "path": "year"}}}}}}""");
        TestIndex.indexDocs(engine, "records", List.of(
                "{\"title\": \"blue train\", \"label\": \"blue note\", \"year\": 1958, \"price\": 12.5, \"plays\": 40}",
                "{\"title\": \"kind of blue\", \"label\": \"columbia\", \"year\": 1959, \"price\": 9.0, \"plays\": 90}",
                "{\"title\": \"blue in green\", \"label\": \"columbia\", \"year\": 1961, \"price\": 7.25, \"plays\": 15}",
                "{\"title\": \"a love supreme\", \"label\": \"impulse\", \"year\": 1965, \"price\": 11.0, \"plays\": 70}",
                "{\"title\": \"train of thought\", \"label\": \"blue note\", \"year\": 1961, \"price\": 5.0}"));
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
    }

    private SearchResponse search(String body) {
        return engine.search("records", EsJson.parseSearch(body));
    }

    private static List<String> ids(SearchResponse response) {
        return TestIndex.ids(response);
    }

    private static String mappings(String properties) {
        return "{\"mappings\": {\"properties\": " + properties + "}}";
    }

    private EngineException createFails(String properties) {
        try {
            engine.createIndex("bad", mappings(properties));
        } catch (EngineException e) {
            return e;
        }
        throw new AssertionError("created an index with " + properties);
    }

    @Test
    void aliasPathMustNameAnExistingConcreteField() {
        var missing = createFails("{\"a\": {\"type\": \"alias\", \"path\": \"nowhere\"}}");
        assertThat(missing.type()).isEqualTo("mapper_parsing_exception");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.reason()).isEqualTo("Invalid [path] value [nowhere] for field alias [a]: an alias must refer to "
                + "an existing field in the mappings.");
        assertThat(createFails("{\"a\": {\"type\": \"alias\", \"path\": \"a\"}}").reason())
                .isEqualTo("Invalid [path] value [a] for field alias [a]: an alias cannot refer to itself.");
        assertThat(createFails("{\"t\": {\"type\": \"text\"}, \"a\": {\"type\": \"alias\", \"path\": \"t\"},"
                + " \"b\": {\"type\": \"alias\", \"path\": \"a\"}}").reason())
                .isEqualTo("Invalid [path] value [a] for field alias [b]: an alias cannot refer to another alias.");
        assertThat(createFails("{\"o\": {\"properties\": {\"x\": {\"type\": \"long\"}}}, \"a\": {\"type\": \"alias\", \"path\": \"o\"}}")
                .reason()).isEqualTo("Invalid [path] value [o] for field alias [a]: an alias must refer to an existing field "
                        + "in the mappings.");
        assertThat(createFails("{\"a\": {\"type\": \"alias\"}}").reason())
                .isEqualTo("Failed to parse mapping: The [path] property must be specified for field [a].");
        assertThat(createFails("{\"t\": {\"type\": \"text\"}, \"a\": {\"type\": \"alias\", \"path\": \"t\", \"store\": true}}").reason())
                .isEqualTo("Failed to parse mapping: Mapping definition for [a] has unsupported parameters:  [store : true]");
        assertThat(createFails("{\"t\": {\"type\": \"text\", \"fields\": {\"a\": {\"type\": \"alias\", \"path\": \"t\"}}}}").reason())
                .isEqualTo("Failed to parse mapping: Type [alias] cannot be used in multi field");
        assertThat(engine.exists("bad")).isFalse();
    }

    @Test
    void mappingShowsAliasesAsGivenAndSurvivesReopening() throws Exception {
        var json = engine.getIndex("records").toMappingJson().path("records").path("mappings").path("properties");
        assertThat(json.path("name").toString()).isEqualTo("{\"type\":\"alias\",\"path\":\"title\"}");
        assertThat(json.path("meta").path("properties").path("issued").toString())
                .isEqualTo("{\"type\":\"alias\",\"path\":\"year\"}");
        engine.close();
        engine = Engine.open(data);
        assertThat(engine.getIndex("records").mappings().aliases())
                .containsEntry("meta.issued", "year").containsEntry("name_raw", "title.raw").hasSize(7);
        assertThat(ids(search("{\"query\": {\"term\": {\"meta.issued\": 1959}}}"))).containsExactly("2");
    }

    @Test
    void documentsCannotWriteToAnAliasAndItStaysOutOfSource() {
        var response = engine.bulk("records", new java.io.StringReader("""
                {"index": {"_id": "x"}}
                {"title": "giant steps", "publisher": "atlantic"}
                """), RefreshPolicy.IMMEDIATE);
        var error = response.items().getFirst().error().orElseThrow();
        assertThat(error.type()).isEqualTo("document_parsing_exception");
        assertThat(error.reason()).isEqualTo("failed to parse: Cannot write to a field alias [publisher].");
        assertThat(error.causedBy().orElseThrow().type()).isEqualTo("illegal_argument_exception");
        assertThat(error.causedBy().orElseThrow().reason()).isEqualTo("Cannot write to a field alias [publisher].");
        var hit = search("{\"query\": {\"ids\": {\"values\": [\"2\"]}}}").hits().getFirst();
        assertThat(hit.source().orElseThrow().has("publisher")).isFalse();
    }

    /** Each query written once on the alias and once on its target: the same hits with the same scores. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"match\": {\"%s\": \"blue train\"}}",
        "{\"match_phrase\": {\"%s\": \"blue train\"}}",
        "{\"match_phrase_prefix\": {\"%s\": \"kind of bl\"}}",
        "{\"prefix\": {\"%s\": \"tra\"}}",
        "{\"wildcard\": {\"%s\": \"bl*\"}}",
        "{\"fuzzy\": {\"%s\": \"bleu\"}}",
        "{\"exists\": {\"field\": \"%s\"}}",
        "{\"multi_match\": {\"query\": \"blue\", \"fields\": [\"%s^2\", \"label\"]}}",
        "{\"bool\": {\"must\": {\"match\": {\"%s\": \"blue\"}}, \"filter\": {\"range\": {\"year\": {\"gte\": 1959}}}}}",
    })
    void textQueriesOnAnAliasAnswerAsOnItsTarget(String template) {
        assertSameAnswer(template, "name", "title");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"term\": {\"%s\": \"columbia\"}}",
        "{\"terms\": {\"%s\": [\"columbia\", \"impulse\"]}}",
        "{\"range\": {\"%s\": {\"gte\": \"c\", \"lt\": \"j\"}}}",
        "{\"exists\": {\"field\": \"%s\"}}",
        "{\"match\": {\"%s\": \"blue note\"}}",
    })
    void keywordQueriesOnAnAliasAnswerAsOnItsTarget(String template) {
        assertSameAnswer(template, "publisher", "label");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"term\": {\"%s\": 1961}}",
        "{\"terms\": {\"%s\": [1958, 1965]}}",
        "{\"range\": {\"%s\": {\"gt\": 1958, \"lte\": 1961}}}",
    })
    void numericQueriesOnAnAliasAnswerAsOnItsTarget(String template) {
        assertSameAnswer(template, "released", "year");
    }

    @Test
    void rankFeatureAndScriptsReadTheTarget() {
        assertSameAnswer("{\"rank_feature\": {\"field\": \"%s\", \"saturation\": {\"pivot\": 50}}}", "popularity", "plays");
        assertSameAnswer("{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"source\": \"doc['%s'].value * 2\"}}}",
                "cost", "price");
    }

    private void assertSameAnswer(String template, String alias, String target) {
        var viaAlias = search("{\"query\": " + template.formatted(alias) + "}");
        var viaTarget = search("{\"query\": " + template.formatted(target) + "}");
        assertThat(viaAlias.total()).isEqualTo(viaTarget.total());
        assertThat(viaAlias.total().orElseThrow().value()).isPositive();
        assertThat(ids(viaAlias)).isEqualTo(ids(viaTarget));
        assertThat(TestIndex.scores(viaAlias)).isEqualTo(TestIndex.scores(viaTarget));
    }

    @Test
    void multiMatchPatternsCountAnAliasAndItsTargetOnce() {
        // "*" matches name, name_raw and publisher together with their targets: each target counts once.
        var pattern = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"*\"], \"type\": \"most_fields\"}}}");
        var targetsOnly = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"label\", \"title\", \"title.raw\"], \"type\": \"most_fields\"}}}");
        assertThat(ids(pattern)).isEqualTo(ids(targetsOnly));
        assertThat(TestIndex.scores(pattern)).isEqualTo(TestIndex.scores(targetsOnly));
        // As in Elasticsearch, patterns are expanded one by one: "n*" matches the aliases without their targets, so
        // they stand for them beside "t*"'s matches and most_fields adds both.
        var twoPatterns = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"n*\", \"t*\"], \"type\": \"most_fields\"}}}");
        var titleTwice = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"title^2\", \"title.raw^2\"], \"type\": \"most_fields\"}}}");
        assertThat(ids(twoPatterns)).isEqualTo(ids(titleTwice));
        assertThat(TestIndex.scores(twoPatterns)).isEqualTo(TestIndex.scores(titleTwice));
        var aliasOnly = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"nam*\"]}}}");
        var title = search("{\"query\": {\"multi_match\": {\"query\": \"blue\", \"fields\": [\"title\", \"title.raw\"]}}}");
        assertThat(ids(aliasOnly)).isEqualTo(ids(title));
        assertThat(TestIndex.scores(aliasOnly)).isEqualTo(TestIndex.scores(title));
    }

    @Test
    void sortCollapseAggregationsAndFieldsReadTheTargetUnderTheAliasName() {
        var sorted = search("{\"sort\": [{\"cost\": \"desc\"}]}");
        assertThat(ids(sorted)).containsExactly("1", "4", "2", "3", "5");
        assertThat(sorted.hits().getFirst().sort()).containsExactly(12.5);

        var collapsed = search("""
                {"collapse": {"field": "publisher", "inner_hits": {"name": "same", "sort": [{"released": "asc"}]}},
                 "sort": [{"released": "desc"}]}""");
        assertThat(ids(collapsed)).containsExactly("4", "3", "5");
        assertThat(collapsed.hits().get(1).fields()).containsEntry("publisher", List.of("columbia"));
        assertThat(collapsed.hits().get(1).fields()).doesNotContainKey("label");
        var same = collapsed.hits().get(1).innerHits().get("same");
        assertThat(same.total().value()).isEqualTo(2);
        assertThat(same.hits().stream().map(SearchResponse.Hit::id)).containsExactly("2", "3");

        var aggregated = search("{\"size\": 0, \"aggs\": {\"by_label\": {\"terms\": {\"field\": \"publisher\"}}}}");
        var buckets = aggregated.aggregations().getFirst().buckets();
        assertThat(buckets.getFirst()).isEqualTo(new dev.rankql.engine.search.TermsAggregator.Bucket("blue note", 2));
        assertThat(buckets).hasSize(3);

        var fields = search("{\"query\": {\"ids\": {\"values\": [\"1\"]}}, \"fields\": [\"released\", \"name_raw\", \"year\"]}");
        assertThat(fields.hits().getFirst().fields())
                .containsEntry("released", List.of(1958L))
                .containsEntry("year", List.of(1958L))
                .containsEntry("name_raw", List.of("blue train"));
    }

    @Test
    void learningToRankFeaturesReadTheTarget() {
        var features = """
                [{"field_value": {"feature_name": "price", "field": "%s"}},
                 {"query_extractor": {"feature_name": "words", "query": {"match": {"%s": "{{q}}"}}}},
                 {"field_length": {"feature_name": "length", "field": "%s"}}]""";
        engine.putModel("by-alias", "linear", "{\"price\": 1, \"words\": 2, \"length\": 0.5}",
                features.formatted("cost", "name", "name"), false);
        engine.putModel("by-target", "linear", "{\"price\": 1, \"words\": 2, \"length\": 0.5}",
                features.formatted("price", "title", "title"), false);
        var body = """
                {"query": {"match": {"title": "blue"}},
                 "rescore": {"window_size": 10, "learning_to_rank": {"model_id": "%s", "params": {"q": "blue train"}}}}""";
        var viaAlias = search(body.formatted("by-alias"));
        var viaTarget = search(body.formatted("by-target"));
        assertThat(ids(viaAlias)).isEqualTo(ids(viaTarget));
        assertThat(TestIndex.scores(viaAlias)).isEqualTo(TestIndex.scores(viaTarget));
        assertThat(TestIndex.scores(viaAlias).getFirst()).isGreaterThan(12.5f);
    }

    @Test
    void anAliasOfTheWrongTypeFailsAsItsTargetWould() {
        assertThatThrownBy(() -> search("{\"sort\": [{\"name\": \"asc\"}]}"))
                .isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).causedBy().orElseThrow().reason())
                        .contains("Text fields are not optimised").contains("[title]"));
        assertThat(Optional.of(engine.getIndex("records").mappings().resolve("nothing"))).contains("nothing");
    }
}
