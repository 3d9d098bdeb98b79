package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankql train} end to end on a slice of Cranfield (the whole corpus, 40 training queries): features are
 * logged, a model trains and deploys, and a search rescored by it runs; then {@code eval} compares it with BM25.
 */
class TrainCommandTest {

    private static final Path CRANFIELD =
            Path.of(System.getProperty("rankql.shared", "../../shared")).resolve("data/cranfield");

    private static final String BM25 = "QUERY multi_match(\"{{query_text}}\", fields: [title^2, text]) SIZE 30";

    private static final String FEATURES = """
            [{"query_extractor": {"feature_name": "title_bm25", "query": {"match": {"title": "{{query_text}}"}}}},
             {"query_extractor": {"feature_name": "text_bm25", "query": {"match": {"text": "{{query_text}}"}}}},
             {"query_extractor": {"feature_name": "text_phrase",
                                  "query": {"match_phrase": {"text": {"query": "{{query_text}}", "slop": 10}}}}},
             {"original_score": {"feature_name": "first_pass"}}]""";

    @TempDir
    static Path dir;

    private static CliRun cli;

    @BeforeAll
    static void slice() throws Exception {
        assertThat(CRANFIELD.resolve("corpus.jsonl")).exists();
        cli = new CliRun(dir.resolve("data"));
        Files.writeString(dir.resolve("mapping.json"), """
                {"mappings": {"properties": {"title": {"type": "text", "analyzer": "english"},
                                             "text": {"type": "text", "analyzer": "english"}}}}""");
        assertThat(cli.run("index", "create", "cran", "--body", dir.resolve("mapping.json").toString()).status())
                .isZero();
        assertThat(cli.run("ingest", "cran", CRANFIELD.resolve("corpus.jsonl").toString(), "--refresh").status())
                .isZero();
        var lines = Files.readAllLines(CRANFIELD.resolve("qrels/train.tsv"));
        var queries = new LinkedHashSet<String>();
        for (var line : lines.subList(1, lines.size())) {
            queries.add(line.split("\t")[0]);
            if (queries.size() == 41) {
                queries.remove(line.split("\t")[0]);
                break;
            }
        }
        Files.write(dir.resolve("qrels.tsv"), lines.stream()
                .filter(l -> l.startsWith("query-id") || queries.contains(l.split("\t")[0])).toList());
        Files.writeString(dir.resolve("features.json"), FEATURES);
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void trainsDeploysAndRescores() throws Exception {
        var result = cli.run("train", "cran", "--features", path("features.json"), "--queries",
                CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
                "--top", "30", "--params", "num_boost_round=40,early_stopping_rounds=10,max_depth=3",
                "--model-id", "cran-ltr", "--out", path("out/model.json"));
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        var json = result.json();
        assertThat(json.get("model_id").asString()).isEqualTo("cran-ltr");
        assertThat(json.get("features")).hasSize(4);
        assertThat(json.at("/queries/validation").asInt()).isPositive();
        assertThat(json.at("/queries/train").asInt() + json.at("/queries/validation").asInt()).isLessThanOrEqualTo(40);
        assertThat(json.at("/rows/train").asInt()).isGreaterThan(json.at("/queries/train").asInt());
        assertThat(json.get("rounds").asInt()).isBetween(1, 40);
        assertThat(json.at("/validation/ndcg@10/before").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/validation/ndcg@10/after").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("feature_importance").propertyNames()).hasSize(4);
        assertThat(Files.readString(dir.resolve("out/model.json"))).contains("\"learner\"");

        var model = cli.run("model", "get", "cran-ltr");
        assertThat(model.status()).isZero();
        var rescored = cli.run("search", "cran", "RETRIEVE standard(multi_match(\"boundary layer transition\","
                + " fields: [title^2, text])) | RESCORE ltr(\"cran-ltr\", params: {query_text: \"boundary layer"
                + " transition\"}) WINDOW 30 SIZE 5");
        assertThat(rescored.status()).isZero();
        assertThat(rescored.json().at("/hits/hits")).hasSize(5);

        // The same inputs train the same model.
        var again = cli.run("train", "cran", "--features", path("features.json"), "--queries",
                CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
                "--top", "30", "--params", "num_boost_round=40,early_stopping_rounds=10,max_depth=3",
                "--model-id", "cran-ltr", "--out", path("out/again.json"), "--report", path("out/train.html"));
        assertThat(again.status()).isZero();
        assertThat(Files.readString(dir.resolve("out/train.html"))).contains("Feature importance", "first pass",
                "text_bm25", "<svg");
        assertThat(dir.resolve("out/train-importance.png")).isNotEmptyFile();
        assertThat(dir.resolve("out/train-delta.png")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("out/again.json")))
                .isEqualTo(Files.readString(dir.resolve("out/model.json")));

        Files.writeString(dir.resolve("ltr.dsl"), """
                RETRIEVE standard(multi_match("{{query_text}}", fields: [title^2, text]))
                | RESCORE ltr("cran-ltr", params: {query_text: "{{query_text}}"}) WINDOW 30
                SIZE 30""");
        var eval = cli.run("eval", "cran", "--queries", CRANFIELD.resolve("queries.jsonl").toString(), "--qrels",
                path("qrels.tsv"), "--request", path("ltr.dsl"), "--compare", BM25, "--size", "30",
                "--metrics", "ndcg@10");
        assertThat(eval.status()).isZero();
        assertThat(eval.json().get("queries").asInt()).isEqualTo(40);
        assertThat(eval.json().at("/compare/tests/ndcg@10/p_value").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void refitTrainsTheDeployedModelOnEveryQueryForTheScaledRoundCount() throws Exception {
        String[] args = {"train", "cran", "--features", path("features.json"), "--queries",
            CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
            "--top", "30", "--params", "num_boost_round=40,early_stopping_rounds=10,max_depth=3"};
        var plain = cli.run(concat(args, "--model-id", "plain", "--out", path("refit/plain.json")));
        var refit = cli.run(concat(args, "--model-id", "refitted", "--out", path("refit/refit.json"), "--refit"));
        assertThat(refit.err()).isEmpty();
        assertThat(refit.status()).isZero();
        var json = refit.json();
        int train = json.at("/queries/train").asInt();
        int all = json.at("/refit/queries").asInt();
        int best = json.get("best_iteration").asInt() + 1;
        assertThat(all).isGreaterThan(train).isLessThanOrEqualTo(40);
        assertThat(json.at("/refit/rounds").asInt()).isEqualTo((int) Math.round(best * (double) all / train));
        assertThat(json.at("/refit/rows").asInt()).isGreaterThan(json.at("/rows/train").asInt());
        // The validation figures and round of the early-stopped model are reported as without --refit.
        assertThat(json.get("best_iteration")).isEqualTo(plain.json().get("best_iteration"));
        assertThat(json.get("validation")).isEqualTo(plain.json().get("validation"));
        assertThat(plain.json().has("refit")).isFalse();

        var written = dev.rankql.train.XgboostJsonModel.parse(Files.readAllBytes(dir.resolve("refit/refit.json")));
        assertThat(written.treeCount()).isEqualTo(json.at("/refit/rounds").asInt());
        assertThat(dev.rankql.train.XgboostJsonModel.parse(Files.readAllBytes(dir.resolve("refit/plain.json")))
                .treeCount()).isEqualTo(best);
        // The deployed model is the refitted one.
        for (var model : java.util.Map.of("refitted", "refit/refit.json", "plain", "refit/plain.json").entrySet()) {
            var deployed = cli.run("model", "get", model.getKey());
            assertThat(deployed.status()).isZero();
            assertThat(deployed.json().at("/trained_model_configs/0/model_size_bytes").asLong())
                    .isEqualTo(Files.readString(dir.resolve(model.getValue())).length());
        }
        var table = cli.run(concat(args, "--model-id", "refitted", "--refit", "--format", "table"));
        assertThat(table.out()).contains("deployed: refitted for " + json.at("/refit/rounds").asInt() + " rounds on "
                + all + " queries");
    }

    @Test
    void crossValidationRanksEveryQueryWithAModelThatNeverSawItAndDeploysNothing() throws Exception {
        String[] args = {"train", "cran", "--features", path("features.json"), "--queries",
            CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
            "--top", "30", "--params", "num_boost_round=40,early_stopping_rounds=10,max_depth=3"};
        var result = cli.run(concat(args, "--cross-validate", "3", "--folds", "random", "--fold-seed", "5"));
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        var json = result.json();
        assertThat(json.at("/cross_validation/folds").asInt()).isEqualTo(3);
        assertThat(json.at("/cross_validation/split").asString()).isEqualTo("random");
        assertThat(json.get("queries").asInt()).isEqualTo(40);
        int held = 0;
        double weighted = 0;
        for (var fold : json.get("per_fold")) {
            held += fold.get("queries").asInt();
            weighted += fold.get("queries").asInt() * fold.at("/ndcg@10/model").asDouble();
            assertThat(fold.has("refit_rounds")).isFalse();
        }
        assertThat(held).isEqualTo(40);
        // The overall figure is the mean over the held-out queries, so the folds' means weighted by their sizes.
        assertThat(json.at("/metrics/ndcg@10/model").asDouble()).isCloseTo(weighted / 40, within(1e-9));
        assertThat(json.at("/metrics/ndcg@10/difference").asDouble()).isCloseTo(
                json.at("/metrics/ndcg@10/model").asDouble() - json.at("/metrics/ndcg@10/first_pass").asDouble(),
                within(1e-12));
        assertThat(json.at("/metrics/ndcg@10/p_value").asDouble()).isBetween(0.0, 1.0);
        // The first pass is the request's own ranking: what `eval` gives the same template.
        var eval = cli.run("eval", "cran", "--queries", CRANFIELD.resolve("queries.jsonl").toString(), "--qrels",
                path("qrels.tsv"), "--request", BM25, "--size", "30", "--metrics", "ndcg@10,map,mrr@10");
        for (String metric : List.of("ndcg@10", "map", "mrr@10")) {
            assertThat(json.at("/metrics/" + metric + "/first_pass").asDouble())
                    .isCloseTo(eval.json().at("/metrics/" + metric).asDouble(), within(1e-12));
        }
        assertThat(cli.run(concat(args, "--cross-validate", "3", "--folds", "random", "--fold-seed", "5")).out())
                .isEqualTo(result.out());
        assertThat(cli.run("model", "get", "cv-none").status()).isEqualTo(3);

        var grouped = cli.run(concat(args, "--cross-validate", "3", "--refit", "--format", "table"));
        assertThat(grouped.err()).isEmpty();
        assertThat(grouped.out()).startsWith("3-fold grouped cross-validation (fold seed 1, refit): 40 queries")
                .contains("ndcg@10", "first pass", "model");

        var withModel = cli.run(concat(args, "--cross-validate", "3", "--model-id", "x"));
        assertThat(withModel.status()).isEqualTo(2);
        assertThat(withModel.err()).contains("--model-id does not go with --cross-validate");
        var oneFold = cli.run(concat(args, "--cross-validate", "1"));
        assertThat(oneFold.status()).isEqualTo(2);
        assertThat(oneFold.err()).contains("--cross-validate needs at least 2 folds, got 1");
        var noModel = cli.run(args);
        assertThat(noModel.status()).isEqualTo(2);
        assertThat(noModel.err()).contains("--model-id is required (unless --cross-validate)");
    }

    private static String[] concat(String[] first, String... more) {
        var all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void badTrainingInputsAreClearErrors() {
        var objective = cli.run("train", "cran", "--features", path("features.json"), "--queries",
                CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
                "--objective", "rank:nope", "--model-id", "x");
        assertThat(objective.status()).isEqualTo(2);
        assertThat(objective.err()).contains("unknown objective [rank:nope]");

        var param = cli.run("train", "cran", "--features", path("features.json"), "--queries",
                CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
                "--params", "eta", "--model-id", "x");
        assertThat(param.status()).isEqualTo(2);
        assertThat(param.err()).contains("must be key=value");

        var fraction = cli.run("train", "cran", "--features", path("features.json"), "--queries",
                CRANFIELD.resolve("queries.jsonl").toString(), "--qrels", path("qrels.tsv"), "--request", BM25,
                "--validation-fraction", "1.5", "--model-id", "x");
        assertThat(fraction.status()).isEqualTo(2);
        assertThat(fraction.err()).contains("--validation-fraction must be strictly between 0 and 1");

        var models = List.of(cli.run("model", "list").out());
        assertThat(models.stream().collect(Collectors.joining())).doesNotContain("\"x\"");
    }
}
