package dev.rankql.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankql.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Tab offers at each kind of place, asked of the completer directly. */
class ReplCompleterTest {

    @TempDir
    static Path data;

    static Engine engine;
    static Session session;

    @BeforeAll
    static void open() throws Exception {
        ReplData.create(data);
        engine = Engine.open(data);
        session = new Session(engine, new PrintWriter(new StringWriter()));
        session.use("shop");
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
    }

    /** The candidates for {@code line} with the cursor at its end. */
    private static List<String> candidates(String line) {
        var parsed = new ReplParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        var found = new ArrayList<Candidate>();
        new ReplCompleter(session).complete(null, parsed, found);
        var prefix = parsed.word().substring(0, parsed.wordCursor());
        return found.stream().map(Candidate::value).filter(v -> v.startsWith(prefix)).sorted().toList();
    }

    @Test
    void commandsAndTheirArguments() {
        assertThat(candidates(":")).contains(":help", ":use", ":json", ":quit").allMatch(c -> c.startsWith(":"));
        assertThat(candidates(":ex")).containsExactly(":explain");
        assertThat(candidates(":use ")).containsExactly("empty", "shop");
        assertThat(candidates(":format ")).containsExactly("json", "table");
        assertThat(candidates(":explain l")).containsExactly("last");
        assertThat(candidates(":fields title,pr")).containsExactly("price");
    }

    @Test
    void keywordsFunctionsAndFieldsInAStatement() {
        assertThat(candidates("QU")).containsExactly("QUERY");
        assertThat(candidates("QUERY multi")).containsExactly("multi_match");
        assertThat(candidates("QUERY match(ti")).containsExactly("title", "title.raw");
        assertThat(candidates("QUERY match(title, 'x') R")).containsExactly("RESCORE", "RETRIEVE");
        assertThat(candidates(":json QUERY match(br")).containsExactly("brand");
    }

    @Test
    void hybridRetrieversAndTheirClauses() {
        assertThat(candidates("QUERY match(title, 'x') KN")).containsExactly("KNN");
        assertThat(candidates("QUERY match(title, 'x') AG")).containsExactly("AGGS");
        assertThat(candidates("RETRIEVE rr")).containsExactly("rrf");
        assertThat(candidates("RETRIEVE li")).containsExactly("linear");
        assertThat(candidates("RETRIEVE rrf([kn")).containsExactly("knn");
        assertThat(candidates("RETRIEVE linear([retr")).containsExactly("retriever");
        assertThat(candidates("QUERY match_all() AGGS {by_brand: ter")).containsExactly("term", "terms");
    }

    @Test
    void indexNamesAfterFromAndModelIdsInLtrQuotes() {
        assertThat(candidates("FROM ")).containsExactly("empty", "shop");
        assertThat(candidates("FROM \"sh")).containsExactly("shop");
        assertThat(candidates("QUERY match(title, 'x') RESCORE ltr(\"")).containsExactly("title-model");
        assertThat(candidates("QUERY match(title, \"")).isEmpty();
    }
}
