package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.mapping.IndexSettings;
import dev.rankql.engine.mapping.Json;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic refresh and Elasticsearch's search-idle shards, driven by a clock the test moves by hand. */
class RefreshTest {

    @TempDir
    Path data;

    private final AtomicLong clock = new AtomicLong();

    private void advanceSeconds(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private static void index(Engine engine, String index, String id) {
        var response = engine.bulk(index, new StringReader("{\"index\": {\"_id\": \"" + id + "\"}}\n{\"a\": 1}\n"), RefreshPolicy.NONE);
        assertThat(response.errors()).isFalse();
    }

    private static int hits(Engine engine, String index) {
        return engine.search(index, Ast.search(null, null, null)).hits().size();
    }

    @Test
    void aSearchIdleIndexSkipsScheduledRefreshesAndItsNextSearchRefreshesFirst() throws Exception {
        try (var engine = Engine.open(data, clock::get)) {
            engine.createIndex("i", (String) null);
            var handle = engine.handle("i");
            assertThat(hits(engine, "i")).isZero();
            advanceSeconds(30);
            assertThat(handle.searchIdle()).isTrue();
            index(engine, "i", "1");

            assertThat(handle.scheduledRefresh()).isFalse();
            assertThat(handle.docCount()).isZero();

            // The search that ends the idle period refreshes before it runs, so it sees the write.
            assertThat(hits(engine, "i")).isEqualTo(1);
            assertThat(handle.searchIdle()).isFalse();
            index(engine, "i", "2");
            assertThat(handle.scheduledRefresh()).isTrue();
            assertThat(handle.docCount()).isEqualTo(2);
        }
    }

    @Test
    void anIndexSearchedRecentlyRefreshesOnSchedule() throws Exception {
        try (var engine = Engine.open(data, clock::get)) {
            engine.createIndex("i", (String) null);
            var handle = engine.handle("i");
            advanceSeconds(29);
            assertThat(handle.searchIdle()).isFalse();
            index(engine, "i", "1");
            assertThat(handle.scheduledRefresh()).isTrue();
            assertThat(handle.docCount()).isEqualTo(1);
        }
    }

    @Test
    void anExplicitRefreshIntervalKeepsRefreshingAnIdleIndex() throws Exception {
        try (var engine = Engine.open(data, clock::get)) {
            engine.createIndex("i", "{\"settings\": {\"index.refresh_interval\": \"1s\"}}");
            var handle = engine.handle("i");
            advanceSeconds(3600);
            assertThat(handle.searchIdle()).isTrue();
            index(engine, "i", "1");
            assertThat(handle.scheduledRefresh()).isTrue();
            assertThat(handle.docCount()).isEqualTo(1);
        }
    }

    @Test
    void searchIdleAfterIsAnIndexSetting() throws Exception {
        try (var engine = Engine.open(data, clock::get)) {
            engine.createIndex("i", "{\"settings\": {\"index\": {\"search\": {\"idle\": {\"after\": \"5s\"}}}}}");
            var handle = engine.handle("i");
            advanceSeconds(4);
            assertThat(handle.searchIdle()).isFalse();
            advanceSeconds(1);
            assertThat(handle.searchIdle()).isTrue();
            engine.explain("i", "1", Ast.matchAll());
            assertThat(handle.searchIdle()).isFalse();

            engine.createIndex("zero", "{\"settings\": {\"search.idle.after\": \"0s\"}}");
            var zero = engine.handle("zero");
            assertThat(zero.searchIdle()).isTrue();
            index(engine, "zero", "1");
            assertThat(zero.scheduledRefresh()).isFalse();
            assertThat(hits(engine, "zero")).isEqualTo(1);
        }
        try (var engine = Engine.open(data, clock::get)) {
            assertThat(engine.getIndex("i").settings().searchIdleAfterMillis()).isEqualTo(5000);
            assertThat(Json.write(engine.getIndex("i").settings().toJson().get("index").get("search")))
                    .isEqualTo("{\"idle\":{\"after\":\"5s\"}}");
        }
    }

    @Test
    void timeValuesParseAsElasticsearchParsesThem() {
        assertThat(IndexSettings.defaults().searchIdleAfterMillis()).isEqualTo(30_000);
        assertThat(IndexSettings.defaults().refreshIntervalExplicit()).isFalse();
        assertThat(idleAfter("100ms")).isEqualTo(100);
        assertThat(idleAfter("2m")).isEqualTo(120_000);
        assertThat(idleAfter(" 1H ")).isEqualTo(3_600_000);
        assertThat(idleAfter("1d")).isEqualTo(86_400_000);
        assertThat(idleAfter("1500micros")).isEqualTo(1);
        assertThat(idleAfter("2000000nanos")).isEqualTo(2);
        assertThat(idleAfter("0")).isZero();
        assertThat(refresh("-1")).isEqualTo(-1);
        assertThat(refresh("250ms")).isEqualTo(250);

        assertSettingError("{\"search.idle.after\": \"30\"}",
                "failed to parse setting [index.search.idle.after] with value [30] as a time value: unit is missing or unrecognized");
        assertSettingError("{\"search.idle.after\": \"5M\"}",
                "failed to parse setting [index.search.idle.after] with value [5M] as a time value: unit is missing or unrecognized");
        assertSettingError("{\"search.idle.after\": \"-2s\"}",
                "failed to parse setting [index.search.idle.after] with value [-2s] as a time value: negative durations are not supported");
        assertSettingError("{\"search.idle.after\": \"-1\"}",
                "failed to parse value [-1] for setting [index.search.idle.after] must be >= 0s");
        assertSettingError("{\"search.idle.after\": \"1.5s\"}", "failed to parse [1.5s], fractional time values are not supported");
        assertSettingError("{\"search.idle.after\": \"xs\"}", "failed to parse [xs]");
        assertSettingError("{\"refresh_interval\": \"-1s\"}", "failed to parse value [-1s] for setting [index.refresh_interval] must be >= -1");
        assertSettingError("{\"refresh_interval\": \"-200\"}",
                "failed to parse setting [index.refresh_interval] with value [-200] as a time value: unit is missing or unrecognized");
    }

    private static long idleAfter(String value) {
        return IndexSettings.parse(Json.MAPPER.readTree("{\"search.idle.after\": \"" + value + "\"}")).searchIdleAfterMillis();
    }

    private static long refresh(String value) {
        var settings = IndexSettings.parse(Json.MAPPER.readTree("{\"refresh_interval\": \"" + value + "\"}"));
        assertThat(settings.refreshIntervalExplicit()).isTrue();
        return settings.refreshIntervalMillis();
    }

    private static void assertSettingError(String settings, String message) {
        assertThatThrownBy(() -> IndexSettings.parse(Json.MAPPER.readTree(settings)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
