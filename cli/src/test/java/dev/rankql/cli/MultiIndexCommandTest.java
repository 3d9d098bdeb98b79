package dev.rankql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code rankql search} over several indices: a list, a wildcard, and a missing name's 404 exit code. */
class MultiIndexCommandTest {

    @TempDir
    Path tmp;

    private static List<String> where(JsonNode response) {
        var hits = new ArrayList<String>();
        response.at("/hits/hits").forEach(h -> hits.add(h.path("_index").asString() + "/" + h.path("_id").asString()));
        return hits;
    }

    @Test
    void searchesAListOrAPatternOfIndicesAndMergesTheirHits() throws Exception {
        var cli = new CliRun(tmp.resolve("data"));
        assertThat(cli.run("ingest", "notes-a", Files.writeString(tmp.resolve("a.jsonl"),
                "{\"id\": \"1\", \"text\": \"green tea\"}\n{\"id\": \"2\", \"text\": \"black coffee\"}\n").toString(), "--refresh")
                .status()).isZero();
        assertThat(cli.run("ingest", "notes-b", Files.writeString(tmp.resolve("b.jsonl"),
                "{\"id\": \"1\", \"text\": \"green tea with mint\"}\n").toString(), "--refresh").status()).isZero();

        var listed = cli.run("search", "notes-a,notes-b", "QUERY match(text, \"tea\")");
        assertThat(listed.status()).isZero();
        assertThat(where(listed.json())).containsExactlyInAnyOrder("notes-a/1", "notes-b/1");
        assertThat(listed.json().at("/_shards/total").asInt()).isEqualTo(2);

        var pattern = cli.run("search", "notes-*", "--size", "1");
        assertThat(pattern.json().at("/hits/total/value").asInt()).isEqualTo(3);
        assertThat(where(pattern.json())).containsExactly("notes-a/1");

        var missing = cli.run("search", "notes-a,gone");
        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.json().at("/error/reason").asString()).isEqualTo("no such index [gone]");
    }
}
