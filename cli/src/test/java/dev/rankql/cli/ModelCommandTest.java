package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.mapping.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {

    static final String BODY = """
            {"inference_config": {"learning_to_rank": {"feature_extractors": [
              {"query_extractor": {"feature_name": "f", "query": {"match": {"title": "{{query_text}}"}}}}]}},
             "definition": {"trained_model": {"tree": {"feature_names": ["f"], "tree_structure": [
               {"node_index": 0, "split_feature": 0, "threshold": 1, "decision_type": "lt", "left_child": 1, "right_child": 2},
               {"node_index": 1, "leaf_value": 1}, {"node_index": 2, "leaf_value": 2}]}}}}""";

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    private Run run(String... args) {
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[0]));
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        var all = new String[args.length + 2];
        all[0] = "--data";
        all[1] = dir.resolve("data").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    @Test
    void putGetListDeleteWithElasticsearchBodiesAndExitCodes() throws Exception {
        var file = dir.resolve("model.json");
        Files.writeString(file, BODY);
        var put = run("model", "put", "m1", file.toString());
        assertThat(put.status()).as(put.err()).isZero();
        assertThat(Json.MAPPER.readTree(put.out()).get("model_id").asString()).isEqualTo("m1");

        var again = run("model", "put", "m1", file.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(Json.MAPPER.readTree(again.out()).at("/error/type").asString()).isEqualTo("resource_already_exists_exception");

        assertThat(run("model", "put", "m1", file.toString(), "--replace").status()).isZero();
        assertThat(Json.MAPPER.readTree(run("model", "get", "m1").out()).get("count").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(run("model", "list").out()).get("count").asInt()).isEqualTo(1);
        assertThat(run("model", "delete", "m1").status()).isZero();

        var missing = run("model", "get", "m1");
        assertThat(missing.status()).isEqualTo(3);
        assertThat(Json.MAPPER.readTree(missing.out()).at("/error/type").asString()).isEqualTo("resource_not_found_exception");
    }

    @Test
    void tagsAndMetadataOfThePutAreShownByEveryLaterGet() throws Exception {
        var file = dir.resolve("model.json");
        Files.writeString(file, BODY.replaceFirst("\\{", "{\"tags\": [\"prod\", \"title\"], \"metadata\": {\"run\": 7, \"notes\": \"first\"}, "));
        var put = run("model", "put", "m1", file.toString());
        assertThat(put.status()).as(put.out()).isZero();

        // Every command opens the data directory afresh, so this get reads what the put stored.
        var got = Json.MAPPER.readTree(run("model", "get", "m1").out()).at("/trained_model_configs/0");
        assertThat(got.get("tags")).isEqualTo(Json.MAPPER.readTree("[\"prod\", \"title\"]"));
        assertThat(got.at("/metadata/run").asInt()).isEqualTo(7);
        assertThat(got.at("/metadata/notes").asString()).isEqualTo("first");
        assertThat(got.at("/metadata/rankql/format").asString()).isEqualTo("es");
        var listed = Json.MAPPER.readTree(run("model", "list").out()).at("/trained_model_configs/0");
        assertThat(listed.get("tags")).isEqualTo(got.get("tags"));
        assertThat(Json.MAPPER.readTree(run("model", "list", "--tags", "prod,title").out()).get("count").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(run("model", "list", "--tags", "staging").out()).get("count").asInt()).isZero();
        assertThat(run("model", "get", "m1", "--tags", "staging").status()).isEqualTo(3);

        var clash = dir.resolve("clash.json");
        Files.writeString(clash, BODY);
        var refused = run("model", "put", "prod", clash.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(Json.MAPPER.readTree(refused.out()).at("/error/reason").asString())
                .isEqualTo("The provided model_id prod must not match existing tags.");
    }

    @Test
    void listAndGetAsATableShowOneModelALine() throws Exception {
        var file = dir.resolve("model.json");
        Files.writeString(file, BODY.replaceFirst("\\{", "{\"description\": \"title tree\", "));
        assertThat(run("model", "put", "m1", file.toString()).status()).isZero();
        assertThat(run("model", "put", "m2", file.toString()).status()).isZero();

        var list = run("model", "list", "--format", "table");
        var get = run("model", "get", "m2", "--format", "table");

        assertThat(list.status()).isZero();
        var lines = list.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.getFirst()).matches("model_id\\s+format\\s+model_class\\s+features\\s+created\\s+description");
        assertThat(lines.get(1)).matches("m1\\s+\\S+\\s+\\S+\\s+1\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+title tree");
        assertThat(get.out().lines().toList()).hasSize(2).last().asString().startsWith("m2 ");
    }

    @Test
    void inputFieldNamesIsABadRequest() throws Exception {
        var file = dir.resolve("model.json");
        Files.writeString(file, BODY.replaceFirst("\\{", "{\"input\": {\"field_names\": [\"f\"]}, "));
        var put = run("model", "put", "m2", file.toString());
        assertThat(put.status()).isEqualTo(2);
        assertThat(Json.MAPPER.readTree(put.out()).at("/error/reason").asString())
                .isEqualTo("Validation Failed: 1: cannot specify [input.field_names] for a model of type [learning_to_rank];");
    }

    @Test
    void featureSetDeploy() throws Exception {
        var model = dir.resolve("model.json");
        Files.writeString(model, "{\"definition\": " + BODY.substring(BODY.indexOf("{\"trained_model\"")));
        var features = dir.resolve("features.json");
        Files.writeString(features, "[{\"field_value\": {\"feature_name\": \"f\", \"field\": \"n\"}}]");
        var put = run("model", "put", "m3", model.toString(), "--format", "es", "--features", features.toString());
        assertThat(put.status()).as(put.out() + put.err()).isZero();
        var wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, "[{\"field_value\": {\"feature_name\": \"g\", \"field\": \"n\"}}]");
        var bad = run("model", "put", "m4", model.toString(), "--features", wrong.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.out()).contains("do not match the feature set [g]");
    }
}
