package dev.rankql.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingFilesTests {

    @Test
    void theExtensionChoosesTheFormat(@TempDir Path dir) throws Exception {
        TrainingSet set = Synthetic.ranking(3, 4, 1);
        Path jsonl = dir.resolve("features.JSONL");
        Path svm = dir.resolve("features.svm");

        TrainingFiles.write(jsonl, set);
        TrainingFiles.write(svm, set);

        assertThat(Files.readString(jsonl)).startsWith("{\"qid\":\"q0\"");
        assertThat(Files.readString(svm)).startsWith("# features: x y noise1 noise2\n");
        assertThat(TrainingFiles.read(jsonl)).isEqualTo(set);
        assertThat(TrainingFiles.read(svm)).isEqualTo(set);
        assertThatThrownBy(() -> TrainingFiles.read(dir.resolve("features.csv")))
                .hasMessageEndingWith("features.csv] from its name; use one of [.jsonl, .ndjson] for JSON Lines or "
                        + "[.svm, .svmrank, .libsvm, .txt] for LibSVM / SVMrank text");
    }
}
