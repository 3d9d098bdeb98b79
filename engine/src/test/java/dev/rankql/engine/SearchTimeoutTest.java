package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.ast.SearchRequest;
import dev.rankql.engine.search.SearchOptions;
import dev.rankql.engine.search.SearchResponse;
import dev.rankql.json.EsJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search {@code timeout}, on a clock that advances one millisecond each time it is read: every check of the
 * deadline moves time on, so where a search stops depends only on how often it checks, never on the machine's speed.
 */
class SearchTimeoutTest {

    private static final int DOCS = 2_000;
    private static final int SMALL = 50;

    @TempDir
    static Path data;

    /** Nanoseconds; each read adds a millisecond. */
    static final AtomicLong now = new AtomicLong();
    static Engine stepping;

    @TempDir
    static Path realData;

    static Engine real;

    @BeforeAll
    static void setUp() throws Exception {
        stepping = Engine.open(data, System::nanoTime, () -> now.addAndGet(1_000_000));
        real = Engine.open(realData);
        for (var engine : List.of(stepping, real)) {
            fill(engine, "big", DOCS);
            fill(engine, "small", SMALL);
        }
    }

    /** One bulk request, so one segment: the docs' text repeats "lamp" a varying number of times. */
    private static void fill(Engine engine, String index, int count) {
        var docs = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            docs.add("{\"title\": \"" + "lamp ".repeat(1 + i % 7) + "desk " + i + "\", \"n\": " + i + "}");
        }
        TestIndex.indexDocs(engine, index, docs);
    }

    @AfterAll
    static void tearDown() throws Exception {
        stepping.close();
        real.close();
    }

    private static SearchResponse search(Engine engine, String index, String body) {
        return engine.search(index, EsJson.parseSearch(body));
    }

    private static void assertWellFormed(SearchResponse response) {
        var json = response.toJson();
        assertThat(json.get("timed_out").asBoolean()).isTrue();
        assertThat(json.get("_shards").get("failed").asInt()).isZero();
        var scores = TestIndex.scores(response);
        for (int i = 1; i < scores.size(); i++) {
            assertThat(scores.get(i)).isLessThanOrEqualTo(scores.get(i - 1));
        }
        response.hits().forEach(hit -> {
            assertThat(hit.id()).isNotBlank();
            assertThat(hit.source()).isPresent();
        });
    }

    @Test
    void aTimeoutThatHasPassedAtTheFirstCheckAnswersTimedOutWithNoHits() {
        var response = search(stepping, "big", "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"timeout\": \"0s\"}");
        assertWellFormed(response);
        assertThat(response.hits()).isEmpty();
        assertThat(response.total().orElseThrow().value()).isZero();
    }

    @Test
    void aTimeoutPassedMidwayAnswersWithTheHitsCollectedSoFar() {
        var body = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"timeout\": \"2ms\", \"size\": 5}";
        var response = search(stepping, "big", body);
        assertWellFormed(response);
        long collected = response.total().orElseThrow().value();
        // Lucene checks the timeout before each run of documents; two checks passed before the third stopped it.
        assertThat(collected).isPositive().isLessThan(DOCS);
        assertThat(response.hits()).hasSize(5);
        // The same search stops at the same place: the clock only moves when the search reads it.
        assertThat(search(stepping, "big", body).toJson().get("hits").get("total"))
                .isEqualTo(response.toJson().get("hits").get("total"));
        // Every hit is a document of the first run, the only ones scored.
        response.hits().forEach(hit -> assertThat(Integer.parseInt(hit.id())).isLessThanOrEqualTo((int) collected));
    }

    @Test
    void rescoringIsDroppedWhenTheQueryPhaseTimedOut() {
        var rescored = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 3, \"timeout\": \"0s\", "
                + "\"rescore\": {\"window_size\": 10, \"query\": {\"rescore_query\": {\"match\": {\"title\": \"desk\"}}, "
                + "\"rescore_query_weight\": 1000}}}";
        var response = search(stepping, "small", rescored);
        assertWellFormed(response);
        assertThat(response.hits()).isEmpty();
    }

    @Test
    void rescoringThatWouldStartAfterTheDeadlineIsDroppedAndTheFirstPassOrderKept() {
        // 50 documents in one segment: one check lets the whole first pass run, the next (before the rescorer) fails.
        var body = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 10, \"timeout\": \"1ms\", "
                + "\"rescore\": {\"window_size\": 50, \"query\": {\"rescore_query\": {\"match\": {\"title\": \"desk\"}}, "
                + "\"rescore_query_weight\": 1000}}}";
        var response = search(stepping, "small", body);
        assertWellFormed(response);
        assertThat(response.total().orElseThrow().value()).isEqualTo(SMALL);
        var firstPass = search(real, "small", "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 10}");
        assertThat(TestIndex.ids(response)).isEqualTo(TestIndex.ids(firstPass));
        assertThat(TestIndex.scores(response)).isEqualTo(TestIndex.scores(firstPass));
        // Without the timeout the rescorer runs and adds its weighted score.
        var rescored = search(real, "small", body.replace("\"timeout\": \"1ms\", ", ""));
        assertThat(rescored.toJson().get("timed_out").asBoolean()).isFalse();
        assertThat(TestIndex.scores(rescored)).isNotEqualTo(TestIndex.scores(firstPass));
    }

    @Test
    void aGenerousTimeoutGivesTheSameAnswerAsNone() {
        for (var body : List.of(
                "{\"query\": {\"match\": {\"title\": \"lamp desk\"}}, \"size\": 20}",
                "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 5, \"rescore\": {\"window_size\": 100, "
                        + "\"query\": {\"rescore_query\": {\"match\": {\"title\": \"desk\"}}}}}",
                "{\"query\": {\"range\": {\"n\": {\"gte\": 100}}}, \"sort\": [{\"n\": \"desc\"}], \"size\": 7}",
                "{\"size\": 0, \"aggs\": {\"by\": {\"terms\": {\"field\": \"n\", \"size\": 3}}}}")) {
            var none = search(real, "big", body).toJson();
            var generous = search(real, "big", body.replaceFirst("\\{", "{\"timeout\": \"1h\", ")).toJson();
            none.remove("took");
            generous.remove("took");
            assertThat(generous).as(body).isEqualTo(none);
        }
    }

    @Test
    void theUrlParameterBeatsTheBodyWhichBeatsTheEngineDefault() {
        var body = EsJson.parseSearch("{\"query\": {\"match\": {\"title\": \"lamp\"}}}");
        try {
            stepping.defaultSearchTimeout(Duration.ZERO);
            assertThat(stepping.search("big", body).timedOut()).isTrue();
            assertThat(stepping.search("big", body.withTimeout(java.util.Optional.of(SearchRequest.NO_TIMEOUT))).timedOut())
                    .isFalse();
            assertThat(stepping.search("big", body.withTimeout(java.util.Optional.of(SearchRequest.NO_TIMEOUT)),
                    SearchOptions.NONE.withTimeout(Duration.ZERO)).timedOut()).isTrue();
            assertThat(stepping.search("big", body.withTimeout(java.util.Optional.of(Duration.ZERO)),
                    SearchOptions.NONE.withTimeout(SearchRequest.NO_TIMEOUT)).timedOut()).isFalse();
        } finally {
            stepping.defaultSearchTimeout(SearchRequest.NO_TIMEOUT);
        }
        var full = stepping.search("big", body);
        assertThat(full.timedOut()).isFalse();
        assertThat(full.total().orElseThrow().value()).isEqualTo(DOCS);
    }
}
