package dev.rankql.engine.eval.rankeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.engine.Engine;
import dev.rankql.engine.EngineException;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.mapping.Json;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RankEvalTest {

    @TempDir
    Path data;

    private Engine engine;

    @BeforeEach
    void index() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("books", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, "
                + "\"year\": {\"type\": \"integer\"}}}}");
        // "rust" ranks r3 (short title, two hits) above r1 and r2; "go" matches g1 only.
        engine.bulk("books", new StringReader("""
                {"index": {"_id": "r1"}}
                {"title": "programming rust the long edition", "year": 2019}
                {"index": {"_id": "r2"}}
                {"title": "rust in action for systems programmers", "year": 2021}
                {"index": {"_id": "r3"}}
                {"title": "rust rust", "year": 2023}
                {"index": {"_id": "g1"}}
                {"title": "the go programming language", "year": 2015}
                """), RefreshPolicy.IMMEDIATE);
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
    }

    private JsonNode eval(String body) {
        return engine.rankEval("books", Json.MAPPER.readTree(body));
    }

    @Test
    void precisionReportsScoresHitsUnratedDocsAndDetails() {
        var response = eval("""
                {"requests": [
                   {"id": "rust", "request": {"query": {"match": {"title": "rust"}}},
                    "ratings": [{"_index": "books", "_id": "r1", "rating": 1},
                                {"_index": "books", "_id": "r3", "rating": 0}]},
                   {"id": "go", "request": {"query": {"match": {"title": "go"}}},
                    "ratings": [{"_index": "books", "_id": "g1", "rating": 3}]}],
                 "metric": {"precision": {"k": 2, "relevant_rating_threshold": 1}}}""");

        var rust = response.at("/details/rust");
        assertThat(rust.at("/hits")).hasSize(2);
        assertThat(rust.at("/hits/0/hit/_id").asString()).isEqualTo("r3");
        assertThat(rust.at("/hits/0/hit/_index").asString()).isEqualTo("books");
        assertThat(rust.at("/hits/0/rating").asInt()).isZero();
        // The second hit is r1 or r2 (equal scores are broken by Lucene's doc order: r1 first).
        assertThat(rust.at("/hits/1/hit/_id").asString()).isEqualTo("r1");
        assertThat(rust.at("/metric_score").asDouble()).isEqualTo(0.5);
        assertThat(rust.at("/unrated_docs")).isEmpty();
        assertThat(rust.at("/metric_details/precision/relevant_docs_retrieved").asInt()).isEqualTo(1);
        assertThat(rust.at("/metric_details/precision/docs_retrieved").asInt()).isEqualTo(2);
        assertThat(response.at("/details/go/metric_score").asDouble()).isEqualTo(1.0);
        assertThat(response.at("/metric_score").asDouble()).isEqualTo(0.75);
        assertThat(response.at("/failures")).isEmpty();
    }

    @Test
    void templatesRenderParamsAndUnratedHitsAreListed() {
        var response = eval("""
                {"templates": [{"id": "by_title", "template": {"source": {"query": {"match": {"title": "{{q}}"}}}}}],
                 "requests": [
                   {"id": "rust", "template_id": "by_title", "params": {"q": "rust"},
                    "ratings": [{"_index": "books", "_id": "r2", "rating": 2},
                                {"_index": "other", "_id": "x9", "rating": 3}]}],
                 "metric": {"dcg": {"k": 3, "normalize": true}}}""");

        var rust = response.at("/details/rust");
        assertThat(rust.at("/unrated_docs/0/_id").asString()).isEqualTo("r3");
        assertThat(rust.at("/unrated_docs/0/_index").asString()).isEqualTo("books");
        assertThat(rust.at("/unrated_docs")).hasSize(2);
        assertThat(rust.at("/hits/0/rating").isNull()).isTrue();
        // r2 (rating 2) is third: DCG = 3 / log2(4) = 1.5; the ideal ranks the other index's rating 3 first:
        // 7 + 3 / log2(3), cut to the three hits.
        double ideal = 7 + 3 / (Math.log(3) / Math.log(2));
        assertThat(rust.at("/metric_details/dcg/dcg").asDouble()).isCloseTo(1.5, within(1e-12));
        assertThat(rust.at("/metric_details/dcg/ideal_dcg").asDouble()).isCloseTo(ideal, within(1e-12));
        assertThat(rust.at("/metric_score").asDouble()).isCloseTo(1.5 / ideal, within(1e-12));
        assertThat(rust.at("/metric_details/dcg/unrated_docs").asInt()).isEqualTo(2);
    }

    @Test
    void aRequestThatFailsIsListedAndTheOthersStillCount() {
        var response = eval("""
                {"templates": [{"id": "t", "template": {"source": "{\\"query\\": {\\"match\\": {\\"title\\": \\"{{q}}\\"}}}"}}],
                 "requests": [
                   {"id": "ok", "template_id": "t", "params": {"q": "go"},
                    "ratings": [{"_index": "books", "_id": "g1", "rating": 1}]},
                   {"id": "bad", "template_id": "t", "params": {"other": "x"},
                    "ratings": [{"_index": "books", "_id": "g1", "rating": 1}]},
                   {"id": "nofield", "request": {"query": {"range": {"year": {"gte": "not a year"}}}},
                    "ratings": [{"_index": "books", "_id": "g1", "rating": 1}]}],
                 "metric": {"mean_reciprocal_rank": {}}}""");

        assertThat(response.at("/metric_score").asDouble()).isEqualTo(1.0);
        assertThat(response.at("/details").propertyNames()).containsExactly("ok");
        assertThat(response.at("/failures/bad/error/type").asString()).isEqualTo("illegal_argument_exception");
        assertThat(response.at("/failures/bad/error/reason").asString()).contains("{{q}} has no value");
        assertThat(response.at("/failures/nofield/error/type").asString()).isNotEmpty();
        assertThat(response.at("/details/ok/metric_details/mean_reciprocal_rank/first_relevant").asInt())
                .isEqualTo(1);
    }

    @Test
    void recallAndErrUseElasticsearchsDefinitions() {
        var recall = eval("""
                {"requests": [{"id": "rust", "request": {"query": {"match": {"title": "rust"}}},
                    "ratings": [{"_index": "books", "_id": "r3", "rating": 1},
                                {"_index": "books", "_id": "g1", "rating": 1}]}],
                 "metric": {"recall": {"k": 1}}}""");
        assertThat(recall.at("/metric_score").asDouble()).isEqualTo(0.5);
        assertThat(recall.at("/details/rust/metric_details/recall/relevant_docs").asInt()).isEqualTo(2);

        var err = eval("""
                {"requests": [{"id": "rust", "request": {"query": {"match": {"title": "rust"}}},
                    "ratings": [{"_index": "books", "_id": "r3", "rating": 1}]}],
                 "metric": {"expected_reciprocal_rank": {"maximum_relevance": 1, "k": 5}}}""");
        assertThat(err.at("/metric_score").asDouble()).isEqualTo(0.5);
        assertThat(err.at("/details/rust/metric_details/expected_reciprocal_rank/unrated_docs").asInt())
                .isEqualTo(2);
    }

    @Test
    void malformedBodiesFailWithElasticsearchsMessagesAndThePath() {
        assertError("{\"requests\": [], \"metric\": {\"precision\": {}}}", "requests",
                "Cannot evaluate ranking if no search requests with rated results are provided. Seen: []");
        assertError("{\"requests\": [{\"id\": \"a\", \"ratings\": []}], \"metric\": {\"precision\": {}}}",
                "requests[0]", "Need to set at least test request or test request template parameters.");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "template_id": "t",
                  "ratings": []}], "metric": {"precision": {}}}""", "requests[0]",
                "Ambiguous rated request: Set both, verbatim test request and test request template parameters.");
        assertError("""
                {"requests": [{"id": "a", "params": {"q": 1}, "ratings": []}], "metric": {"precision": {}}}""",
                "requests[0]", "If template parameters are supplied need to set id of template to apply them to too.");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "ratings": [
                  {"_index": "books", "_id": "r1", "rating": 1}, {"_index": "books", "_id": "r1", "rating": 2}]}],
                 "metric": {"precision": {}}}""", "requests[0].ratings[1]",
                "Found duplicate rated document key [{\"_index\":\"books\",\"_id\":\"r1\"}] in evaluation request [a]");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "ratings": []}],
                 "metric": {"precision": {"k": 0}}}""", "metric.precision", "Window size k must be positive.");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "ratings": []}],
                 "metric": {"expected_reciprocal_rank": {"k": 3}}}""", "metric.expected_reciprocal_rank",
                "Required [maximum_relevance]");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "ratings": []}],
                 "metric": {"ndcg": {}}}""", "metric.ndcg",
                "unknown metric [ndcg], expected one of [precision, recall, mean_reciprocal_rank, dcg, "
                        + "expected_reciprocal_rank]");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}, "explain": true}, "ratings": []}],
                 "metric": {"precision": {}}}""", "requests[0].request", "Query in rated requests should not use explain.");
        assertError("""
                {"requests": [{"id": "a", "request": {"query": {"match_all": {}}}, "ratings": [
                  {"_index": "books", "_id": "r1", "rating": "high"}]}], "metric": {"precision": {}}}""",
                "requests[0].ratings[0].rating", "[rated_document] failed to parse field [rating]: expected an integer, "
                        + "found VALUE_STRING");
        assertThatThrownBy(() -> engine.rankEval("nope", Json.MAPPER.readTree("{}")))
                .isInstanceOf(EngineException.class).extracting(e -> ((EngineException) e).status()).isEqualTo(404);
    }

    private void assertError(String body, String path, String reason) {
        assertThatThrownBy(() -> eval(body))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.metadata().get("path")).isEqualTo(path);
                });
    }
}
