package dev.rankql.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 30-second version of the concurrency soak that CI runs; {@code rankql bench soak} runs it for 10 minutes. */
class SoakTest {

    @Test
    void thirtySecondsOfConcurrentSearchesIngestRefreshesAndModelSwapsWithoutAnInconsistentAnswer(@TempDir Path data)
            throws Exception {
        var result = Soak.run(data, new Soak.Config(30, 3, 100, 2_000, 3), line -> {});

        assertThat(result.errors()).isEmpty();
        assertThat(result.errorCount()).isZero();
        // The run must have exercised every kind of work, or its silence would prove nothing.
        assertThat(result.searches()).isPositive();
        assertThat(result.ltrSearches()).isPositive();
        assertThat(result.hitsChecked()).isPositive();
        assertThat(result.documents()).isGreaterThan(2_000);
        assertThat(result.refreshes()).isPositive();
        assertThat(result.modelReplacements()).isPositive();
        assertThat(result.modelVersionsSeen()).isGreaterThan(1);
        assertThat(result.heapSamples()).hasSizeGreaterThan(2);
    }

    @Test
    void modelVersionsAreExactFloatsThatDecodeBackToTheirVersion() {
        for (int v = 1; v <= Soak.VERSIONS; v++) {
            for (long cost : new long[] {0, 250, 251, 500, 501, 999}) {
                float score = (float) ((cost <= 500 ? 16.0 * v + 1 : 16.0 * v + 2) + (cost <= 250 ? 2048.0 * v + 4 : 2048.0 * v + 8));
                double rest = score - (cost <= 500 ? 1 : 2) - (cost <= 250 ? 4 : 8);
                int treeB = (int) Math.floor(rest / 2048);
                assertThat(treeB).isEqualTo(v);
                assertThat((rest - 2048.0 * treeB) / 16).isEqualTo((double) v);
            }
        }
        // Tree A of one version beside tree B of another never decodes as one version.
        double mixed = 16.0 * 3 + 2048.0 * 4;
        assertThat((mixed - 2048.0 * Math.floor(mixed / 2048)) / 16).isNotEqualTo(Math.floor(mixed / 2048));
    }

    @Test
    void heapSlopeIgnoresTheWarmUpQuarter() {
        var samples = List.of(new double[] {0, 500}, new double[] {60, 100}, new double[] {120, 101}, new double[] {180, 102},
                new double[] {240, 103}, new double[] {300, 104}, new double[] {360, 105}, new double[] {420, 106});
        assertThat(Soak.slopeAfterWarmUp(samples)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
