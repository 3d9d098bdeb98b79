package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankql.models.LoadOptions;
import dev.rankql.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON rows of feature values become model rows; absent, null and "NaN" are missing. */
class RowReaderTest {

    @Test
    void readsRowsByName() {
        var reader = new RowReader(List.of("a", "b", "c", "d"));
        double[] row = reader.read("{\"c\": 2.5, \"a\": 1, \"b\": null, \"unused\": \"x\"}");
        assertThat(row[0]).isEqualTo(1.0);
        assertThat(row[1]).isNaN();
        assertThat(row[2]).isEqualTo(2.5);
        assertThat(row[3]).isNaN();
        assertThat(reader.read("{\"d\": \"NaN\"}")[3]).isNaN();
    }

    @Test
    void rejectsBadValues() {
        var reader = new RowReader(List.of("a"));
        assertThatThrownBy(() -> reader.read("{\"a\": \"1.5\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feature [a] must be a number, null or \"NaN\", got \"1.5\"");
        assertThatThrownBy(() -> reader.read("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row is a JSON object of feature values");
        assertThatThrownBy(() -> reader.read("{\"a\": "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void feedsAModel() {
        Model model = Models.load("es", HandWrittenModelsTest.ES_PRODUCTS, LoadOptions.DEFAULTS);
        var reader = new RowReader(model.featureNames());
        assertThat(model.score(reader.read("{\"cost\": 600, \"type_tv\": 1, \"two\": 2}"))).isEqualTo(17.0);
    }
}
