package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

class LsaCommandTest {

    @TempDir
    Path dir;

    private CliRun cli;

    /**
     * Two topics. "airfoil" and "wing" never share a document, but both share "lift" and "drag"; "slab" and "plate"
     * likewise share "heat" and "conduction". A two-dimensional LSA should put each pair on one topic axis.
     */
    @BeforeEach
    void corpus() throws Exception {
        cli = new CliRun(dir.resolve("data"));
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"id": "a1", "title": "wing lift", "text": "the wing lift and drag at high speed"}
                {"id": "a2", "title": "airfoil lift", "text": "airfoil drag and lift measured in a tunnel"}
                {"id": "a3", "title": "lift and drag", "text": ["wing drag", "lift of a swept wing"]}
                {"id": "a4", "title": "airfoil", "text": "airfoil lift drag at low speed"}
                {"id": "h1", "title": "slab heat", "text": "heat conduction in a composite slab"}
                {"id": "h2", "title": "plate heat", "text": "conduction of heat through a thin plate"}
                {"id": "h3", "title": "conduction", "text": "transient heat conduction in a slab"}
                {"id": "h4", "title": "plate", "text": "heat conduction plate temperature"}

                {"id": "e1", "title": "the", "text": null}
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

    private CliRun.Result fit(String... extra) {
        List<String> args = new ArrayList<>(List.of("lsa", "fit", path("corpus.jsonl"), "--fields", "title,text",
                "--dimensions", "2", "--out", path("lsa.json")));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void fitsAModelAndEmbedsDocumentsByTopic() throws Exception {
        var fitted = fit();
        assertThat(fitted.err()).isEmpty();
        assertThat(fitted.status()).isZero();
        var summary = fitted.json();
        assertThat(summary.get("documents").asInt()).isEqualTo(9);
        assertThat(summary.get("dimensions").asInt()).isEqualTo(2);
        assertThat(summary.get("top_singular_values")).hasSize(2);

        var embedded = cli.run("lsa", "embed", path("lsa.json"), "--corpus", path("corpus.jsonl"), "--out",
                path("corpus-lsa.jsonl"));
        assertThat(embedded.err()).isEmpty();
        assertThat(embedded.json().get("documents").asInt()).isEqualTo(9);
        assertThat(embedded.json().get("embedded").asInt()).isEqualTo(8);
        assertThat(embedded.json().get("without_vector").asInt()).isEqualTo(1);

        var docs = lines(dir.resolve("corpus-lsa.jsonl"));
        assertThat(docs).extracting(d -> d.get("id").asString())
                .containsExactly("a1", "a2", "a3", "a4", "h1", "h2", "h3", "h4", "e1");
        assertThat(docs.get(0).get("title").asString()).isEqualTo("wing lift");
        for (var doc : docs.subList(0, 8)) {
            var vector = doc.get("lsa");
            assertThat(vector).hasSize(2);
            assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-6));
            double norm = Math.hypot(vector.get(0).asDouble(), vector.get(1).asDouble());
            assertThat(norm).isCloseTo(1.0, within(1e-6));
        }
        assertThat(docs.get(8).has("lsa")).isFalse();
        // Same topic close, other topic far: "wing" (a1) and "airfoil" (a2) documents share no topic word of their own.
        assertThat(cosine(docs.get(0).get("lsa"), docs.get(1).get("lsa"))).isGreaterThan(0.9);
        assertThat(cosine(docs.get(4).get("lsa"), docs.get(5).get("lsa"))).isGreaterThan(0.9);
        assertThat(cosine(docs.get(0).get("lsa"), docs.get(4).get("lsa"))).isLessThan(0.5);
    }

    @Test
    void embedsQueriesIntoTheirParamsAndARunSearchesWithThem() throws Exception {
        assertThat(fit().status()).isZero();
        assertThat(cli.run("lsa", "embed", path("lsa.json"), "--corpus", path("corpus.jsonl"), "--out",
                path("corpus-lsa.jsonl")).status()).isZero();
        Files.writeString(dir.resolve("q.jsonl"), """
                {"id": "q1", "text": "wing", "params": {"fold": 2}}
                {"id": "q2", "text": "thin slab"}
                {"id": "q3", "text": "unknown words only"}
                """);
        var embedded = cli.run("lsa", "embed", path("lsa.json"), "--queries", path("q.jsonl"), "--out",
                path("q-lsa.jsonl"), "--param", "v");
        assertThat(embedded.err()).isEmpty();
        assertThat(embedded.json().get("queries").asInt()).isEqualTo(3);
        assertThat(embedded.json().get("without_vector").asInt()).isEqualTo(1);
        var queries = lines(dir.resolve("q-lsa.jsonl"));
        assertThat(queries.get(0).at("/params/fold").asInt()).isEqualTo(2);
        assertThat(queries.get(0).at("/params/v")).hasSize(2);
        assertThat(queries.get(2).has("params")).isFalse();

        Files.writeString(dir.resolve("mapping.json"), """
                {"mappings": {"properties": {"title": {"type": "text"},
                  "lsa": {"type": "dense_vector", "dims": 2, "similarity": "cosine"}}}}""");
        assertThat(cli.run("index", "create", "docs", "--body", path("mapping.json")).status()).isZero();
        assertThat(cli.run("ingest", "docs", path("corpus-lsa.jsonl"), "--refresh").status()).isZero();
        var withoutVector = cli.run("run", "docs", "--queries", path("q-lsa.jsonl"), "--size", "4", "--out",
                path("knn.trec"), "--request", """
                {"knn": {"field": "lsa", "query_vector": {{v}}, "k": 4, "num_candidates": 9}}""");
        assertThat(withoutVector.status()).isEqualTo(2);
        assertThat(withoutVector.err()).contains("the placeholder {{v}} has no value for query [q3]");
        // The query vector renders unquoted into the template; the query without a vector is left out of the run.
        Files.writeString(dir.resolve("q-vec.jsonl"),
                String.join("\n", Files.readAllLines(dir.resolve("q-lsa.jsonl")).subList(0, 2)) + "\n");
        var run = cli.run("run", "docs", "--queries", path("q-vec.jsonl"), "--size", "4", "--out", path("knn.trec"),
                "--request", """
                {"knn": {"field": "lsa", "query_vector": {{v}}, "k": 4, "num_candidates": 9}}""");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        var rankings = RunFile.read(dir.resolve("knn.trec")).docIds();
        // "wing" finds the airfoil documents too, which do not contain the word; "thin slab" finds the plates.
        assertThat(rankings.get("q1")).containsExactlyInAnyOrder("a1", "a2", "a3", "a4");
        assertThat(rankings.get("q2")).containsExactlyInAnyOrder("h1", "h2", "h3", "h4");
    }

    @Test
    void refusesBadInputWithClearErrors() throws Exception {
        var unknown = fit("--analyzer", "klingon");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown analyzer [klingon]");

        var tooMany = cli.run("lsa", "fit", path("corpus.jsonl"), "--fields", "title,text", "--dimensions", "50",
                "--out", path("lsa.json"));
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("cannot fit an LSA model to").contains("dimensions");

        var missing = cli.run("lsa", "fit", path("nope.jsonl"), "--fields", "title", "--out", path("lsa.json"));
        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.err()).contains("no such file");

        Files.writeString(dir.resolve("bad.jsonl"), "{\"title\": \"a b\"}\n{\"title\": 3}\n");
        var badField = cli.run("lsa", "fit", path("bad.jsonl"), "--fields", "title", "--out", path("lsa.json"));
        assertThat(badField.status()).isEqualTo(2);
        assertThat(badField.err()).contains("bad.jsonl line 2: field [title] must be a string or an array of strings");

        Files.writeString(dir.resolve("broken.jsonl"), "{\"title\": \"a b\"}\n\n{\"title\": \n");
        var broken = cli.run("lsa", "fit", path("broken.jsonl"), "--fields", "title", "--out", path("lsa.json"));
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.err()).contains("broken.jsonl line 3: not valid JSON");

        assertThat(fit().status()).isZero();
        var same = cli.run("lsa", "embed", path("lsa.json"), "--corpus", path("corpus.jsonl"), "--out",
                path("corpus.jsonl"));
        assertThat(same.status()).isEqualTo(2);
        assertThat(same.err()).contains("--out must not be the input file");
        var taken = cli.run("lsa", "embed", path("lsa.json"), "--corpus", path("corpus.jsonl"), "--out",
                path("x.jsonl"), "--field", "title");
        assertThat(taken.status()).isEqualTo(2);
        assertThat(taken.err()).contains("line 1: the document already has a field [title]");
        var both = cli.run("lsa", "embed", path("lsa.json"), "--corpus", path("corpus.jsonl"), "--queries",
                path("corpus.jsonl"), "--out", path("x.jsonl"));
        assertThat(both.status()).isEqualTo(2);
        Files.writeString(dir.resolve("notmodel.json"), "{\"lsa\": {}}");
        var notModel = cli.run("lsa", "embed", path("notmodel.json"), "--corpus", path("corpus.jsonl"), "--out",
                path("x.jsonl"));
        assertThat(notModel.status()).isEqualTo(2);
        assertThat(notModel.err()).contains("notmodel.json: ").contains("$.lsa");
    }

    @Test
    void fittingTwiceGivesTheSameModel() throws Exception {
        assertThat(fit().status()).isZero();
        String first = Files.readString(dir.resolve("lsa.json"));
        assertThat(fit().status()).isZero();
        assertThat(Files.readString(dir.resolve("lsa.json"))).isEqualTo(first);
    }
}
