package dev.rankql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.engine.mapping.FieldMapping;
import dev.rankql.engine.mapping.Json;
import dev.rankql.engine.mapping.VectorSimilarity;
import dev.rankql.engine.search.KnnQuery;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import org.apache.lucene.index.FloatVectorValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseVectorTest {

    @TempDir
    Path data;

    @Test
    void stableScoresAgreeWithLucenesAndRepeatThemselvesExactly() {
        var random = new Random(3);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            for (int trial = 0; trial < 200; trial++) {
                float[] a = new float[1 + random.nextInt(400)];
                float[] b = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextGaussian() / 10;
                    b[i] = (float) random.nextGaussian() / 10;
                }
                float stable = similarity.stableScore(a, b);
                assertThat(stable).as("%s, %d dimensions", similarity, a.length)
                        .isCloseTo(similarity.score(a, b), org.assertj.core.data.Percentage.withPercentage(1e-3));
                assertThat(similarity.stableScore(a.clone(), b.clone())).isEqualTo(stable);
            }
        }
        // Double precision in index order: a cosine of 1 for equal directions, whatever the length.
        float[] ones = new float[384];
        Arrays.fill(ones, 0.1f);
        assertThat(VectorSimilarity.COSINE.stableScore(ones, ones)).isEqualTo(1.0f);
    }

    @Test
    void mappingIsValidatedPersistedAndRestoredOnReopen() throws Exception {
        var body = """
                {"mappings": {"properties": {
                  "v": {"type": "dense_vector", "dims": 3, "similarity": "l2_norm",
                        "index_options": {"type": "int8_hnsw", "m": 8, "ef_construction": 50}},
                  "w": {"type": "dense_vector", "dims": 2}}}}""";
        try (var engine = Engine.open(data)) {
            engine.createIndex("vec", body);
            TestIndex.indexDocs(engine, "vec", java.util.List.of("{\"v\": [1, 2, 3], \"w\": [0.5, 0.5]}"));
            for (var bad : new String[] {
                    "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\"}}}}",
                    "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\", \"dims\": 0}}}}",
                    "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\", \"dims\": 2, \"similarity\": \"manhattan\"}}}}",
                    "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\", \"dims\": 2, \"index_options\": {\"m\": 4}}}}}",
                    "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\", \"dims\": 2, \"index_options\": {\"type\": \"bbq_hnsw\"}}}}}"}) {
                assertThatThrownBy(() -> engine.createIndex("bad", bad))
                        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo("mapper_parsing_exception"));
            }
        }
        try (var engine = Engine.open(data)) {
            var mappings = engine.getIndex("vec").mappings();
            assertThat(Json.write(mappings.toJson())).isEqualTo("{\"properties\":{"
                    + "\"v\":{\"type\":\"dense_vector\",\"dims\":3,\"similarity\":\"l2_norm\","
                    + "\"index_options\":{\"type\":\"int8_hnsw\",\"m\":8,\"ef_construction\":50}},"
                    + "\"w\":{\"type\":\"dense_vector\",\"dims\":2,\"similarity\":\"cosine\"}}}");
            assertThat(mappings.flatten().get("v")).isInstanceOf(FieldMapping.DenseVector.class);
            float[] stored = engine.withSearcher("vec", (index, searcher) -> {
                FloatVectorValues values = searcher.getIndexReader().leaves().get(0).reader().getFloatVectorValues("v");
                return values.vectorValue(0).clone();
            });
            assertThat(stored).containsExactly(1, 2, 3);
            assertThat(Json.write(engine.getDocument("vec", "1").orElseThrow().source()))
                    .isEqualTo("{\"v\":[1,2,3],\"w\":[0.5,0.5]}");
        }
    }

    @Test
    void badVectorsFailOnlyTheirItemWithElasticsearchMessages() throws Exception {
        try (var engine = Engine.open(data)) {
            engine.createIndex("v", """
                    {"mappings": {"properties": {"c": {"type": "dense_vector", "dims": 3},
                      "d": {"type": "dense_vector", "dims": 2, "similarity": "dot_product"}}}}""");
            var ndjson = """
                    {"index": {"_id": "1"}}
                    {"c": [1.0, 2.0]}
                    {"index": {"_id": "2"}}
                    {"c": [0, 0, 0]}
                    {"index": {"_id": "3"}}
                    {"c": [1, "x", 3]}
                    {"index": {"_id": "4"}}
                    {"d": [1.0, 1.0]}
                    {"index": {"_id": "5"}}
                    {"c": "abc"}
                    {"index": {"_id": "6"}}
                    {"c": [1, 2, 3], "d": [0.6, 0.8]}
                    """;
            var items = engine.bulk("v", new StringReader(ndjson), RefreshPolicy.IMMEDIATE).items();
            var reasons = items.stream().map(i -> i.error().map(EngineException::getMessage).orElse("ok")).toList();
            assertThat(reasons).containsExactly(
                    "failed to parse: The [dense_vector] field [c] in doc [document with id '1'] has a different number of "
                            + "dimensions [2] than defined in the mapping [3]",
                    "failed to parse: The [cosine] similarity does not support vectors with zero magnitude. Preview of invalid "
                            + "vector: [0.0, 0.0, 0.0]",
                    "failed to parse: Failed to parse object: expecting token of type [VALUE_NUMBER] but found [VALUE_STRING]",
                    "failed to parse: The [dot_product] similarity can only be used with unit-length vectors. Preview of invalid "
                            + "vector: [1.0, 1.0]",
                    "failed to parse: Failed to parse object: expecting token of type [START_ARRAY] but found [VALUE_STRING]",
                    "ok");
            assertThat(items.subList(0, 5)).allSatisfy(i -> {
                assertThat(i.status()).isEqualTo(400);
                assertThat(i.error().orElseThrow().type()).isEqualTo("document_parsing_exception");
            });
            assertThat(engine.count("v", Ast.matchAll())).isEqualTo(1);
        }
    }

    @Test
    void dynamicMappingKeepsArraysOfFloatsAsFloat() throws Exception {
        try (var engine = Engine.open(data)) {
            TestIndex.indexDocs(engine, "dyn", java.util.List.of("{\"emb\": [0.1, 0.2, 0.3]}"));
            assertThat(engine.getIndex("dyn").mappings().flatten().get("emb").typeName()).isEqualTo("float");
        }
    }

    static float[] randomUnit(Random random, int dims) {
        var v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dims; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** Indexes {@code count} random unit vectors of {@code dims} under ids 0..count-1 and returns them. */
    static float[][] indexRandomVectors(Engine engine, String index, String similarity, int count, int dims, long seed) {
        engine.createIndex(index, "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"dense_vector\", \"dims\": " + dims
                + ", \"similarity\": \"" + similarity + "\"}, \"tag\": {\"type\": \"keyword\"}}}}");
        var random = new Random(seed);
        var vectors = new float[count][];
        var ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            vectors[i] = randomUnit(random, dims);
            ndjson.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"tag\":\"t").append(i % 3).append("\",\"v\":")
                    .append(Arrays.toString(vectors[i])).append("}\n");
        }
        var response = engine.bulk(index, new StringReader(ndjson.toString()), RefreshPolicy.IMMEDIATE);
        assertThat(response.errors()).isFalse();
        return vectors;
    }

    @Test
    void hnswRecallAtTenWithOneHundredCandidatesIsAtLeastNinetyFivePercent() throws Exception {
        try (var engine = Engine.open(data)) {
            int dims = 64;
            var vectors = indexRandomVectors(engine, "r", "cosine", 10_000, dims, 11);
            var random = new Random(99);
            int queries = 50;
            int found = 0;
            for (int q = 0; q < queries; q++) {
                var query = randomUnit(random, dims);
                var exact = new ArrayList<Integer>();
                var order = new Integer[vectors.length];
                var scores = new float[vectors.length];
                for (int i = 0; i < vectors.length; i++) {
                    order[i] = i;
                    scores[i] = VectorSimilarity.COSINE.score(query, vectors[i]);
                }
                Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
                for (int i = 0; i < 10; i++) {
                    exact.add(order[i]);
                }
                var approximate = engine.withSearcher("r", (index, searcher) -> {
                    var knn = KnnQuery.build(index, "v", query, 10, 100, Optional.empty(), Optional.empty(), Optional.empty());
                    var top = searcher.search(knn, 10);
                    var ids = new HashSet<Integer>();
                    var stored = searcher.storedFields();
                    for (var hit : top.scoreDocs) {
                        ids.add(Integer.parseInt(stored.document(hit.doc).get("_id")));
                        // Elasticsearch's cosine score, (1 + cos) / 2, is what Lucene reports.
                        int id = Integer.parseInt(stored.document(hit.doc).get("_id"));
                        assertThat(hit.score).isCloseTo(VectorSimilarity.COSINE.score(query, vectors[id]), org.assertj.core.data.Offset.offset(1e-5f));
                    }
                    assertThat(top.scoreDocs).hasSize(10);
                    return ids;
                });
                found += (int) exact.stream().filter(approximate::contains).count();
            }
            assertThat(found / (double) (queries * 10)).isGreaterThanOrEqualTo(0.95);
        }
    }
}
