package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rankql.embed.PretrainedModel;
import dev.rankql.embed.TextEncoder;
import dev.rankql.engine.eval.RunFile;
import dev.rankql.engine.mapping.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class EmbedCommandTest {

    @TempDir
    Path dir;

    private CliRun cli;

    @BeforeEach
    void corpus() throws Exception {
        cli = new CliRun(dir.resolve("data"));
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"id": "d1", "title": "Aspirin after infarction", "text": "Aspirin lowers the risk of a second heart attack."}
                {"id": "d2", "title": "Boundary layers", "text": ["Transition to turbulence", "on a flat plate."]}
                {"id": "d3", "title": "Vitamin D", "text": "Supplements did not prevent fractures in older women."}

                {"id": "d4", "title": null}
                {"id": "d5", "title": "Shock waves", "text": "An oblique shock forms on a wedge in supersonic flow."}
                """);
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"id": "q1", "text": "acetylsalicylic acid and myocardial infarction", "params": {"fold": 2}}
                {"id": "q2", "text": "supersonic wedge"}
                {"id": "q3", "text": "   "}
                """);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            nodes.add(Json.MAPPER.readTree(line));
        }
        return nodes;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }

    @Test
    void embedsEveryDocumentsFieldsInInputOrder() throws Exception {
        var embedded = cli.run("embed", "--corpus", path("corpus.jsonl"), "--fields", "title,text", "--threads", "2",
                "--out", path("out/corpus-bge.jsonl"));
        assertThat(embedded.err()).isEmpty();
        assertThat(embedded.status()).isZero();
        var summary = embedded.json();
        assertThat(summary.get("model").asString()).isEqualTo("bge-small-en-v1.5");
        assertThat(summary.get("documents").asInt()).isEqualTo(5);
        assertThat(summary.get("embedded").asInt()).isEqualTo(4);
        assertThat(summary.get("without_vector").asInt()).isEqualTo(1);
        assertThat(summary.get("dimensions").asInt()).isEqualTo(384);
        assertThat(summary.get("field").asString()).isEqualTo("embedding");

        var documents = lines(dir.resolve("out/corpus-bge.jsonl"));
        assertThat(documents).extracting(node -> node.get("id").asString())
                .containsExactly("d1", "d2", "d3", "d4", "d5");
        assertThat(documents.get(3).has("embedding")).isFalse();
        try (var encoder = TextEncoder.open(PretrainedModel.BGE_SMALL_EN_V15)) {
            // The fields are joined by spaces, array elements included, and the vector is written exactly.
            assertThat(floats(documents.get(1).get("embedding"))).containsExactly(
                    encoder.embedDocument("Boundary layers Transition to turbulence on a flat plate."));
            assertThat(floats(documents.get(0).get("embedding"))).containsExactly(encoder.embedDocument(
                    "Aspirin after infarction Aspirin lowers the risk of a second heart attack."));
        }
        double squares = 0;
        for (JsonNode value : documents.get(4).get("embedding")) {
            squares += value.asDouble() * value.asDouble();
        }
        assertThat(squares).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void embedsQueriesIntoTheirParamsAndAKnnRunFindsDocumentsByMeaning() throws Exception {
        assertThat(cli.run("embed", "--corpus", path("corpus.jsonl"), "--fields", "title,text", "--out",
                path("corpus-bge.jsonl")).status()).isZero();
        var embedded = cli.run("embed", "--queries", path("queries.jsonl"), "--out", path("q-bge.jsonl"));
        assertThat(embedded.err()).isEmpty();
        assertThat(embedded.json().get("queries").asInt()).isEqualTo(3);
        assertThat(embedded.json().get("without_vector").asInt()).isEqualTo(1);
        assertThat(embedded.json().get("param").asString()).isEqualTo("query_vector");
        var queries = lines(dir.resolve("q-bge.jsonl"));
        assertThat(queries.get(0).at("/params/fold").asInt()).isEqualTo(2);
        try (var encoder = TextEncoder.open(PretrainedModel.BGE_SMALL_EN_V15)) {
            assertThat(floats(queries.get(0).at("/params/query_vector")))
                    .containsExactly(encoder.embedQuery("acetylsalicylic acid and myocardial infarction"));
        }
        assertThat(queries.get(2).has("params")).isFalse();

        // One thread or several: the same bytes.
        assertThat(cli.run("embed", "--queries", path("queries.jsonl"), "--threads", "1", "--out",
                path("q-bge-1.jsonl")).status()).isZero();
        assertThat(Files.readString(dir.resolve("q-bge-1.jsonl"))).isEqualTo(Files.readString(dir.resolve("q-bge.jsonl")));

        Files.writeString(dir.resolve("mapping.json"), """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"},
                  "embedding": {"type": "dense_vector", "dims": 384, "similarity": "cosine"}}}}""");
        assertThat(cli.run("index", "create", "docs", "--body", path("mapping.json")).status()).isZero();
        assertThat(cli.run("ingest", "docs", path("corpus-bge.jsonl"), "--refresh").status()).isZero();
        Files.writeString(dir.resolve("q-vec.jsonl"),
                String.join("\n", Files.readAllLines(dir.resolve("q-bge.jsonl")).subList(0, 2)) + "\n");
        var run = cli.run("run", "docs", "--queries", path("q-vec.jsonl"), "--size", "1", "--out", path("knn.trec"),
                "--request", """
                {"knn": {"field": "embedding", "query_vector": {{query_vector}}, "k": 1, "num_candidates": 9}}""");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        var rankings = RunFile.read(dir.resolve("knn.trec")).docIds();
        // q1 shares no word with d1 (acetylsalicylic acid is aspirin; myocardial infarction a heart attack).
        assertThat(rankings.get("q1")).containsExactly("d1");
        assertThat(rankings.get("q2")).containsExactly("d5");
    }

    @Test
    void theEngineEmbedsAQueryTextAsEmbedQueriesDoes() throws Exception {
        // A feature with a query_vector_builder gets the very vector `rankql embed --queries` writes, so a model
        // trained on vectors from a queries file serves requests that carry only the query's text.
        assertThat(cli.run("embed", "--corpus", path("corpus.jsonl"), "--fields", "title,text", "--out",
                path("corpus-bge.jsonl")).status()).isZero();
        assertThat(cli.run("embed", "--queries", path("queries.jsonl"), "--out", path("q-bge.jsonl")).status()).isZero();
        Files.writeString(dir.resolve("mapping.json"), """
                {"mappings": {"properties": {"title": {"type": "text"}, "text": {"type": "text"},
                  "embedding": {"type": "dense_vector", "dims": 384, "similarity": "cosine"}}}}""");
        assertThat(cli.run("index", "create", "docs", "--body", path("mapping.json")).status()).isZero();
        assertThat(cli.run("ingest", "docs", path("corpus-bge.jsonl"), "--refresh").status()).isZero();
        String tree = """
                "definition": {"trained_model": {"tree": {"feature_names": ["semantic"], "tree_structure": [
                  {"node_index": 0, "split_feature": 0, "threshold": 0.5, "decision_type": "lt", "left_child": 1,
                   "right_child": 2}, {"node_index": 1, "leaf_value": 1}, {"node_index": 2, "leaf_value": 2}]}}}""";
        Files.writeString(dir.resolve("built.json"), """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"vector_similarity": {"feature_name": "semantic", "field": "embedding", "query_vector_builder":
                    {"text_embedding": {"model_id": "bge-small-en-v1.5", "model_text": "{{query_text}}"}}}}]}},
                 %s}""".formatted(tree));
        Files.writeString(dir.resolve("sent.json"), """
                {"inference_config": {"learning_to_rank": {"feature_extractors": [
                  {"vector_similarity": {"feature_name": "semantic", "field": "embedding",
                    "query_vector": "{{query_vector}}"}}]}},
                 %s}""".formatted(tree));
        var put = cli.run("model", "put", "built", path("built.json"));
        assertThat(put.status()).as(put.err()).isZero();
        assertThat(cli.run("model", "put", "sent", path("sent.json")).status()).isZero();

        JsonNode query = lines(dir.resolve("q-bge.jsonl")).get(0);
        String text = query.get("text").asString();
        String search = """
                {"size": 5, "query": {"match_all": {}}, "ext": {"rankql": {"log_features": true}},
                 "rescore": {"window_size": 5, "learning_to_rank": {"model_id": "%s", "params": {%s}}}}""";
        Files.writeString(dir.resolve("built-search.json"),
                search.formatted("built", "\"query_text\": " + Json.write(Json.MAPPER.valueToTree(text))));
        Files.writeString(dir.resolve("sent-search.json"),
                search.formatted("sent", "\"query_vector\": " + Json.write(query.at("/params/query_vector"))));
        var built = cli.run("search", "docs", "--json", path("built-search.json"));
        var sent = cli.run("search", "docs", "--json", path("sent-search.json"));
        assertThat(built.err()).isEmpty();
        assertThat(sent.err()).isEmpty();
        var builtHits = built.json().at("/hits/hits");
        var sentHits = sent.json().at("/hits/hits");
        assertThat(builtHits).hasSize(5);
        for (int i = 0; i < builtHits.size(); i++) {
            assertThat(builtHits.get(i).get("_id")).isEqualTo(sentHits.get(i).get("_id"));
            assertThat(builtHits.get(i).at("/_rankql/features/semantic"))
                    .isEqualTo(sentHits.get(i).at("/_rankql/features/semantic"));
        }
        // The aspirin abstract is the closest to the question about acetylsalicylic acid.
        String closest = null;
        double best = -1;
        for (JsonNode hit : builtHits) {
            double similarity = hit.at("/_rankql/features/semantic").asDouble();
            if (similarity > best) {
                best = similarity;
                closest = hit.get("_id").asString();
            }
        }
        assertThat(closest).isEqualTo("d1");
    }

    @Test
    void refusesBadInputWithClearErrors() throws Exception {
        var unknown = cli.run("embed", "--model", "gpt-5", "--queries", path("queries.jsonl"), "--out", path("x"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--model: unknown model [gpt-5]; the models are [bge-small-en-v1.5]");

        var noFields = cli.run("embed", "--corpus", path("corpus.jsonl"), "--out", path("x"));
        assertThat(noFields.status()).isEqualTo(2);
        assertThat(noFields.err()).contains("--corpus needs --fields");

        var queryFields = cli.run("embed", "--queries", path("queries.jsonl"), "--fields", "text", "--out", path("x"));
        assertThat(queryFields.status()).isEqualTo(2);
        assertThat(queryFields.err()).contains("--fields is for --corpus");

        var threads = cli.run("embed", "--queries", path("queries.jsonl"), "--threads", "0", "--out", path("x"));
        assertThat(threads.status()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads must be at least 1, got 0");

        var reserved = cli.run("embed", "--queries", path("queries.jsonl"), "--param", "query_text", "--out", path("x"));
        assertThat(reserved.status()).isEqualTo(2);
        assertThat(reserved.err()).contains("--param cannot be [query_text]");

        var same = cli.run("embed", "--queries", path("queries.jsonl"), "--out", path("queries.jsonl"));
        assertThat(same.status()).isEqualTo(2);
        assertThat(same.err()).contains("--out must not be the input file");

        var taken = cli.run("embed", "--corpus", path("corpus.jsonl"), "--fields", "text", "--field", "title",
                "--out", path("x"));
        assertThat(taken.status()).isEqualTo(2);
        assertThat(taken.err()).contains("corpus.jsonl line 1: the document already has a field [title]");

        var takenParam = cli.run("embed", "--queries", path("queries.jsonl"), "--param", "fold", "--out", path("x"));
        assertThat(takenParam.status()).isEqualTo(2);
        assertThat(takenParam.err()).contains("queries.jsonl line 1: the query already has a param [fold]");

        Files.writeString(dir.resolve("bad.jsonl"), "{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": \"2\", \"text\": 7}\n");
        var badQuery = cli.run("embed", "--queries", path("bad.jsonl"), "--out", path("x"));
        assertThat(badQuery.status()).isEqualTo(2);
        assertThat(badQuery.err()).contains("bad.jsonl line 2: a query needs a string \"text\"");

        var badField = cli.run("embed", "--corpus", path("bad.jsonl"), "--fields", "text", "--out", path("x"));
        assertThat(badField.status()).isEqualTo(2);
        assertThat(badField.err()).contains("bad.jsonl line 2: field [text] must be a string or an array of strings");

        var missing = cli.run("embed", "--queries", path("nope.jsonl"), "--out", path("x"));
        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.err()).contains("no such file");

        var both = cli.run("embed", "--corpus", path("corpus.jsonl"), "--queries", path("queries.jsonl"), "--out",
                path("x"));
        assertThat(both.status()).isEqualTo(2);
    }
}
