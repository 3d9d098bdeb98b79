package dev.rankql.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.rankql.ast.Value;
import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code learning_to_rank} rescore stage allocates nothing per rescored document: once warm, rescoring a window of
 * 600 documents allocates no more than rescoring one of 12 (issue 8's {@code alloc_bytes_per_doc}), with features of
 * every kind the stage evaluates differently — shared term postings, Lucene phrase scorers, a numeric range (which
 * Lucene would run on points at the larger window), a bool with a range filter, a field value and a script.
 *
 * <p>The count comes from {@code ThreadMXBean#getCurrentThreadAllocatedBytes}, which counts only this thread's
 * allocations. What a rescore allocates per request (the request's scorers and postings enums, per segment) is the
 * same at both windows when both windows have documents in every segment; two more cases put the small window in
 * one segment and bound what each further segment costs (the shared pass keeps its postings enums per segment
 * between requests, the other columns' Lucene scorers are set up per segment by design). The code the JIT has not
 * compiled yet may allocate more, so the pair is measured until it settles (at most a bounded number of times) and the
 * least of a few attempts is compared with a small allowance, far below the 28 bytes per document of a single object
 * per hit.
 * Every term is in 8 documents of a segment (3 in titles) at one position each: Lucene's postings stay in their
 * variable-length tails, so its SIMD decoding and search, which box vectors until the JIT compiles them, do not enter
 * the count (on the benchmark's long postings they do, until compiled; docs/performance.md).
 */
class LtrRescoreAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes the larger window may allocate beyond the smaller one: less than one object per 100 extra documents. */
    private static final long ALLOWANCE = 1_024;
    private static final int SEGMENTS = 3;
    private static final int DOCS_PER_SEGMENT = 400;
    private static final int SMALL = 12;
    private static final int LARGE = 600;
    /** Bytes each further segment may add in the shared pass: its norms iterators and term-state suppliers. */
    private static final long SHARED_PER_SEGMENT = 512;
    /**
     * Bytes each further segment may add with every column: the other columns' Lucene scorers, set up per segment and
     * request (41,576 measured with Lucene 10.5.1, nearly all of it the two phrase columns' positions enums).
     */
    private static final long ALL_PER_SEGMENT = 48_000;

    private static final List<String> FEATURES = List.of(
            "{\"match\": {\"title\": \"{{q}}\"}}",
            "{\"multi_match\": {\"query\": \"{{q}}\", \"fields\": [\"title^2\", \"body\"], \"tie_breaker\": 0.3}}",
            "{\"match\": {\"body\": {\"query\": \"{{q}}\", \"operator\": \"and\"}}}",
            "{\"match_phrase\": {\"body\": \"{{q}}\"}}",
            "{\"match_phrase\": {\"body\": {\"query\": \"{{q}}\", \"slop\": 3}}}",
            "{\"range\": {\"n\": {\"gte\": 20, \"lt\": 70}}}",
            "{\"bool\": {\"must\": {\"match\": {\"body\": \"{{q}}\"}}, \"filter\": {\"range\": {\"n\": {\"lt\": 50}}}}}",
            "{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"source\": \"doc['n'].value\"}}}");

    @TempDir
    Path data;

    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = Engine.open(data);
        engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\", \"analyzer\": \"whitespace\"},"
                + " \"body\": {\"type\": \"text\", \"analyzer\": \"whitespace\"}, \"n\": {\"type\": \"integer\"}}}}");
        for (int segment = 0; segment < SEGMENTS; segment++) {
            var ndjson = new StringBuilder();
            for (int i = 0; i < DOCS_PER_SEGMENT; i++) {
                ndjson.append("{\"index\":{}}\n{\"title\": \"").append(text(i, 11, 3, 3)).append("\", \"body\": \"")
                        .append(text(i, 7, 13, 8)).append("\", \"n\": ").append(i % 100).append("}\n");
            }
            // One refreshed bulk request per segment.
            assertThat(engine.bulk("docs", new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE).errors()).isFalse();
        }
        engine.putModel("m", model(java.util.stream.IntStream.range(0, FEATURES.size()).boxed().toList()), false);
    }

    /** A model on the features at {@code positions}: one stump per feature. */
    private static String model(List<Integer> positions) {
        var extractors = new ArrayList<String>();
        var names = new ArrayList<String>();
        var trees = new ArrayList<String>();
        for (int i : positions) {
            extractors.add("{\"query_extractor\": {\"feature_name\": \"f" + i + "\", \"query\": " + FEATURES.get(i) + "}}");
            names.add("\"f" + i + "\"");
            trees.add("""
                    {"tree": {"feature_names": ["f%d"], "target_type": "regression", "tree_structure": [
                      {"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lt", "default_left": true,
                       "left_child": 1, "right_child": 2},
                      {"node_index": 1, "leaf_value": %d}, {"node_index": 2, "leaf_value": %d}]}}""".formatted(i, i, 10 * i));
        }
        return """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [%s]}},
                 "definition": {"trained_model": {"ensemble": {"feature_names": [%s],
                   "target_type": "regression", "trained_models": [%s]}}}}"""
                .formatted(String.join(",", extractors), String.join(",", names), String.join(",", trees));
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    @BeforeAll
    static void countedAsInProduction() {
        // Lucene's assertions allocate on every postings advance (VectorUtil checks its buffer with a stream), so the
        // count is only meaningful without them: the engine module runs this class in its own execution without -ea.
        assumeFalse(org.apache.lucene.util.VectorUtil.class.desiredAssertionStatus(),
                "Lucene's assertions are on; engine/pom.xml runs this class without them");
    }

    @Test
    void aLargerWindowAllocatesNothingMore() {
        long growth = engine.withSearcher("docs", (index, searcher) -> {
            assertThat(searcher.getIndexReader().leaves()).hasSize(SEGMENTS);
            var deployed = engine.models().require("m");
            Map<String, Value> params = Map.of("q", new Value.Str("w0 w13"));
            var small = new Window(SMALL);
            var large = new Window(LARGE);
            Runnable pair = () -> {
                small.rescore(index, searcher, deployed, params);
                large.rescore(index, searcher, deployed, params);
            };
            for (int i = 0; i < 2_000 && (i < 20 || large.bytes - small.bytes > ALLOWANCE); i++) {
                pair.run();
            }
            long leastSmall = Long.MAX_VALUE;
            long leastLarge = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5; attempt++) {
                pair.run();
                leastSmall = Math.min(leastSmall, small.bytes);
                leastLarge = Math.min(leastLarge, large.bytes);
            }
            return leastLarge - leastSmall;
        });
        assertThat(growth).as("bytes a window of %d allocates beyond one of %d", LARGE, SMALL).isLessThanOrEqualTo(ALLOWANCE);
    }

    @Test
    void moreSegmentsCostNoPostingsEnumsInTheSharedPass() {
        // Term-only features share their postings; a window that reaches two more segments must not set up Lucene's
        // postings enums (buffers of kilobytes per term) in each of them on every request: the pooled workspace keeps
        // them per segment. What remains per segment is a norms iterator per field and a term state's supplier per term.
        engine.putModel("terms", model(List.of(0, 1, 2)), false);
        long growth = growthOverSegments("terms");
        assertThat(growth).as("bytes a window over %d segments allocates beyond one in 1", SEGMENTS)
                .isLessThanOrEqualTo(ALLOWANCE + (SEGMENTS - 1) * SHARED_PER_SEGMENT);
    }

    @Test
    void moreSegmentsCostOnlyTheOtherColumnsScorers() {
        // Every other column takes a Lucene scorer per segment and request (phrase scorers with their positions enums,
        // doc values for the range, the bool and the script): that set-up is per segment by design, bounded here; the
        // per-document part is zero (aLargerWindowAllocatesNothingMore).
        long growth = growthOverSegments("m");
        assertThat(growth).as("bytes a window over %d segments allocates beyond one in 1", SEGMENTS)
                .isLessThanOrEqualTo(ALLOWANCE + (SEGMENTS - 1) * ALL_PER_SEGMENT);
    }

    /** What model {@code id} allocates at the large window (every segment) beyond the small one (the first only). */
    private long growthOverSegments(String id) {
        return engine.withSearcher("docs", (index, searcher) -> {
            var deployed = engine.models().require(id);
            Map<String, Value> params = Map.of("q", new Value.Str("w0 w13"));
            var small = new Window(SMALL, DOCS_PER_SEGMENT);
            var large = new Window(LARGE, SEGMENTS * DOCS_PER_SEGMENT);
            var leaves = searcher.getIndexReader().leaves();
            assertThat(Arrays.stream(small.docs).map(d -> ReaderUtil.subIndex(d, leaves)).distinct().count()).isOne();
            assertThat(Arrays.stream(large.docs).map(d -> ReaderUtil.subIndex(d, leaves)).distinct().count())
                    .isEqualTo(SEGMENTS);
            Runnable pair = () -> {
                small.rescore(index, searcher, deployed, params);
                large.rescore(index, searcher, deployed, params);
            };
            for (int i = 0; i < 200; i++) {
                pair.run();
            }
            long leastSmall = Long.MAX_VALUE;
            long leastLarge = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5; attempt++) {
                pair.run();
                leastSmall = Math.min(leastSmall, small.bytes);
                leastLarge = Math.min(leastLarge, large.bytes);
            }
            return leastLarge - leastSmall;
        });
    }

    @Test
    void theMeasureSeesAnObjectPerDocument() {
        // The same rescore on fresh copies of the hits, made inside the measure: one object per document must show.
        long growth = engine.withSearcher("docs", (index, searcher) -> {
            var deployed = engine.models().require("m");
            Map<String, Value> params = Map.of("q", new Value.Str("w0 w13"));
            var small = new Window(SMALL);
            var large = new Window(LARGE);
            long leastSmall = Long.MAX_VALUE;
            long leastLarge = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 10; attempt++) {
                small.rescoreCopy(index, searcher, deployed, params);
                large.rescoreCopy(index, searcher, deployed, params);
                leastSmall = Math.min(leastSmall, small.bytes);
                leastLarge = Math.min(leastLarge, large.bytes);
            }
            return leastLarge - leastSmall;
        });
        assertThat(growth).isGreaterThan((long) (LARGE - SMALL) * 16);
    }

    /** A window spread evenly over every segment, restored to its first-pass order before each in-place rescore. */
    private static final class Window {
        final ScoreDoc[] hits;
        final int[] docs;
        final float[] scores;
        long bytes = Long.MAX_VALUE;

        Window(int size) {
            this(size, SEGMENTS * DOCS_PER_SEGMENT);
        }

        /** {@code size} documents spread evenly over the first {@code total} documents of the index. */
        Window(int size, int total) {
            hits = new ScoreDoc[size];
            docs = new int[size];
            scores = new float[size];
            for (int i = 0; i < size; i++) {
                // Descending scores, so the hits are in Elasticsearch's order; every segment gets its share.
                docs[i] = (int) ((long) i * total / size);
                scores[i] = size - i;
                hits[i] = new ScoreDoc(docs[i], scores[i]);
            }
        }

        void rescore(IndexView index, org.apache.lucene.search.IndexSearcher searcher,
                dev.rankql.engine.ltr.DeployedModel deployed, Map<String, Value> params) {
            for (int i = 0; i < hits.length; i++) {
                hits[i].doc = docs[i];
                hits[i].score = scores[i];
            }
            long before = THREADS.getCurrentThreadAllocatedBytes();
            var result = SearchExecutor.rescoreWithModel(index, searcher, deployed, params, hits);
            bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(result).isSameAs(hits);
        }

        void rescoreCopy(IndexView index, org.apache.lucene.search.IndexSearcher searcher,
                dev.rankql.engine.ltr.DeployedModel deployed, Map<String, Value> params) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            var copy = new ScoreDoc[docs.length];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = new ScoreDoc(docs[i], scores[i]);
            }
            SearchExecutor.rescoreWithModel(index, searcher, deployed, params, copy);
            bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
    }

    /**
     * Document {@code doc}'s text: word {@code j} is {@code w((a * doc + b * j) mod 400)}, so that each word is at
     * position {@code j} in exactly one of 400 documents, and {@code "w0 w13"} is a phrase of the body in 7 of them.
     */
    private static String text(int doc, int a, int b, int words) {
        var out = new ArrayList<String>();
        for (int j = 0; j < words; j++) {
            out.add("w" + Math.floorMod(a * doc + b * j, DOCS_PER_SEGMENT));
        }
        return String.join(" ", out);
    }

    @Test
    void theStagesSortOrdersLikeArraysSort() {
        var random = new Random(9);
        var counts = new int[256];
        for (int round = 0; round < 100; round++) {
            int n = random.nextInt(2_000);
            var keys = new long[n + 5];
            int kind = round % 4;
            for (int i = 0; i < keys.length; i++) {
                keys[i] = switch (kind) {
                    case 0 -> random.nextLong();
                    case 1 -> random.nextInt(5) - 2;
                    case 2 -> ((long) random.nextInt(1 << 20) << 32) | i;
                    default -> ((long) ~org.apache.lucene.util.NumericUtils.floatToSortableInt(random.nextInt(4) - 1.5f) << 32) | i;
                };
            }
            var expected = Arrays.copyOf(keys, keys.length);
            Arrays.sort(expected, 0, n);
            LtrWindowRescorer.sort(keys, n, new long[n], counts);
            assertThat(keys).as("round %d, %d keys of kind %d", round, n, kind).isEqualTo(expected);
        }
    }
}
