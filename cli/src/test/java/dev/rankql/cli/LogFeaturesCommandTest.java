package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import dev.rankql.engine.RefreshPolicy;
import dev.rankql.engine.mapping.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFeaturesCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter out, String... args) {
        return run(Progress.NONE, out, args);
    }

    private int run(Progress.Factory progress, StringWriter out, String... args) {
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[0]), progress);
        commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        return commandLine.execute(args);
    }

    @Test
    void judgedDocumentsAndTopUnjudgedHitsBecomeRows() throws Exception {
        var data = dir.resolve("data");
        try (var engine = Engine.open(data)) {
            engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"n\": {\"type\": \"integer\"}}}}");
            engine.bulk("docs", new StringReader("""
                    {"index": {"_id": "a"}}
                    {"title": "red apple", "n": 1}
                    {"index": {"_id": "b"}}
                    {"title": "green apple", "n": 2}
                    {"index": {"_id": "c"}}
                    {"title": "blue sky", "n": 3}
                    {"index": {"_id": "d"}}
                    {"title": "apple apple pie", "n": 4}
                    """), RefreshPolicy.IMMEDIATE);
            engine.putModel("m", "es", """
                    {"definition": {"trained_model": {"tree": {"feature_names": ["bm25"], "tree_structure": [
                      {"node_index": 0, "split_feature": 0, "threshold": 0.5, "left_child": 1, "right_child": 2},
                      {"node_index": 1, "leaf_value": 0}, {"node_index": 2, "leaf_value": 1}]}}}}""", """
                    [{"query_extractor": {"feature_name": "bm25", "query": {"match": {"title": "{{query_text}}"}}}},
                     {"field_value": {"feature_name": "n", "field": "n"}}]""", false);
        }
        Files.writeString(dir.resolve("q.jsonl"), "{\"id\": \"q1\", \"text\": \"apple\"}\n");
        Files.writeString(dir.resolve("qrels.tsv"), "query-id\tdoc-id\tgrade\nq1\tc\t2\nq1\tb\t1\n");
        Files.writeString(dir.resolve("request.json"), "{\"query\": {\"match\": {\"title\": \"{{query_text}}\"}}}");
        var out = dir.resolve("train.jsonl");
        int status = run(new StringWriter(), "--data", data.toString(), "log-features", "docs", "--model", "m",
                "--queries", dir.resolve("q.jsonl").toString(), "--qrels", dir.resolve("qrels.tsv").toString(),
                "--request", dir.resolve("request.json").toString(), "--top", "1", "--format", "jsonl", "--out", out.toString());
        assertThat(status).isZero();
        var lines = Files.readAllLines(out);
        // The top unjudged hit (d: two "apple"s), then the judged b and c; a is beyond --top 1.
        assertThat(lines).hasSize(3);
        var first = Json.MAPPER.readTree(lines.get(0));
        assertThat(first.get("doc_id").asString()).isEqualTo("d");
        assertThat(first.get("grade").asInt()).isZero();
        assertThat(first.at("/features/n").floatValue()).isEqualTo(4f);
        var sky = lines.stream().map(l -> Json.MAPPER.readTree(l)).filter(n -> n.get("doc_id").asString().equals("c"))
                .findFirst().orElseThrow();
        assertThat(sky.get("grade").asInt()).isEqualTo(2);
        assertThat(sky.get("features").has("bm25")).isFalse();
        assertThat(sky.at("/features/n").floatValue()).isEqualTo(3f);

        var svm = dir.resolve("train.txt");
        var shown = new java.util.ArrayList<String>();
        Progress.Factory recording = (task, total) -> new Progress() {
            @Override
            public void readTo(long done) {
                shown.add(task + " " + done + "/" + total.orElse(-1));
            }

            @Override
            public void close() {}
        };
        assertThat(run(recording, new StringWriter(), "--data", data.toString(), "log-features", "docs", "--model", "m",
                "--queries", dir.resolve("q.jsonl").toString(), "--qrels", dir.resolve("qrels.tsv").toString(),
                "--request", dir.resolve("request.json").toString(), "--top", "0", "--format", "svmrank", "--out",
                svm.toString())).isZero();
        assertThat(Files.readAllLines(svm)).hasSize(2).allMatch(l -> l.matches("[12] qid:q1 .*# [bc]"))
                .anyMatch(l -> l.equals("2 qid:q1 2:3.0 # c"));
        assertThat(shown).as("the progress of the queries logged").containsExactly("log-features 1/1");

        Files.writeString(dir.resolve("fs.json"), "[{\"field_value\": {\"feature_name\": \"n\", \"field\": \"n\"}}]");
        var fromSet = dir.resolve("set.txt");
        assertThat(run(new StringWriter(), "--data", data.toString(), "log-features", "docs", "--features",
                dir.resolve("fs.json").toString(), "--queries", dir.resolve("q.jsonl").toString(), "--qrels",
                dir.resolve("qrels.tsv").toString(), "--request", dir.resolve("request.json").toString(), "--top", "0",
                "--format", "svmrank", "--out", fromSet.toString())).isZero();
        assertThat(Files.readAllLines(fromSet)).contains("2 qid:q1 1:3.0 # c", "1 qid:q1 1:2.0 # b");

        var missing = new StringWriter();
        assertThat(run(missing, "--data", data.toString(), "log-features", "docs", "--model", "nope",
                "--queries", dir.resolve("q.jsonl").toString(), "--qrels", dir.resolve("qrels.tsv").toString(),
                "--request", dir.resolve("request.json").toString(), "--out", svm.toString())).isEqualTo(3);
        assertThat(missing.toString()).contains("resource_not_found_exception");
    }

    /**
     * A query's own params reach the feature templates, even as a field name (out-of-fold judgment features), and
     * a feature over a field that no document has is missing rather than an error.
     */
    @Test
    void aQuerysParamsRenderTheFeatureTemplates() throws Exception {
        var data = dir.resolve("data");
        try (var engine = Engine.open(data)) {
            engine.createIndex("docs", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, "
                    + "\"notes_0\": {\"type\": \"text\"}, \"notes_all\": {\"type\": \"text\"}}}}");
            engine.bulk("docs", new StringReader("""
                    {"index": {"_id": "a"}}
                    {"title": "red apple", "notes_0": "fruit", "notes_all": ["fruit", "apple tree"]}
                    {"index": {"_id": "b"}}
                    {"title": "green apple"}
                    """), RefreshPolicy.IMMEDIATE);
        }
        Files.writeString(dir.resolve("features.json"), """
                {"feature_extractors": [
                  {"query_extractor": {"feature_name": "notes", "query": {"match": {"notes_{{fold}}": "{{query_text}}"}}}},
                  {"param_value": {"feature_name": "k", "param": "k", "missing": -1}}],
                 "default_params": {"fold": "all"}}""");
        Files.writeString(dir.resolve("q.jsonl"), """
                {"id": "q1", "text": "apple", "params": {"fold": "0", "k": 7}}
                {"id": "q2", "text": "apple"}
                {"id": "q3", "text": "apple", "params": {"fold": "9"}}
                """);
        Files.writeString(dir.resolve("qrels.tsv"), "query-id\tdoc-id\tgrade\nq1\ta\t1\nq2\ta\t1\nq3\ta\t1\n");
        Files.writeString(dir.resolve("request.json"), "{\"query\": {\"match\": {\"title\": \"{{query_text}}\"}}}");
        var out = dir.resolve("rows.jsonl");
        var err = new StringWriter();
        var commandLine = Main.commandLine(Map.of(), () -> new ByteArrayInputStream(new byte[0]), Progress.NONE);
        commandLine.setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));
        int status = commandLine.execute("--data", data.toString(), "log-features", "docs", "--features",
                dir.resolve("features.json").toString(), "--queries", dir.resolve("q.jsonl").toString(), "--qrels",
                dir.resolve("qrels.tsv").toString(), "--request", dir.resolve("request.json").toString(), "--top", "0",
                "--format", "jsonl", "--out", out.toString());
        assertThat(status).as(err.toString()).isZero();
        var rows = Files.readAllLines(out).stream().map(l -> Json.MAPPER.readTree(l)).toList();
        assertThat(rows).hasSize(3);
        // q1 reads notes_0, where "apple" does not occur; q2 the default notes_all; q3 a field nobody has.
        assertThat(rows.get(0).get("features").has("notes")).isFalse();
        assertThat(rows.get(0).at("/features/k").floatValue()).isEqualTo(7f);
        assertThat(rows.get(1).at("/features/notes").floatValue()).isPositive();
        assertThat(rows.get(1).at("/features/k").floatValue()).isEqualTo(-1f);
        assertThat(rows.get(2).get("features").has("notes")).isFalse();
    }
}
