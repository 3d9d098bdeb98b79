package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.QrelsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedCollectionSplitTests {

    @ParameterizedTest
    @ValueSource(strings = {"scifact", "cranfield"})
    void theGroupedSplitLeaksNoRelevantDocumentWhereARandomSplitDoes(String collection) throws IOException {
        Path file = Path.of(System.getProperty("rankql.shared", "../shared"), "data", collection, "qrels",
                "train.tsv");
        assumeTrue(Files.isRegularFile(file), "no shared data at " + file);
        Qrels qrels = QrelsFile.read(file);
        List<String> queries = qrels.queriesWithRelevant();
        int target = Math.round(0.2f * queries.size());

        QuerySplit grouped = QuerySplit.grouped(queries, qrels, 0.2, 42);
        QuerySplit random = QuerySplit.random(queries, 0.2, 42);

        assertThat(leaked(qrels, grouped)).isZero();
        assertThat(grouped.validation().size()).isBetween(target - 8, target + 8);
        assertThat(leaked(qrels, random)).as("random splits of %s leak", collection).isPositive();
    }

    /** How many validation queries have a relevant document that is also relevant to a training query. */
    private static long leaked(Qrels qrels, QuerySplit split) {
        Set<String> trainDocs = new HashSet<>();
        for (String query : split.train()) {
            qrels.judgments(query).forEach((doc, grade) -> {
                if (grade >= Qrels.RELEVANT) {
                    trainDocs.add(doc);
                }
            });
        }
        return split.validation().stream()
                .filter(query -> qrels.judgments(query).entrySet().stream()
                        .anyMatch(j -> j.getValue() >= Qrels.RELEVANT && trainDocs.contains(j.getKey())))
                .count();
    }
}
