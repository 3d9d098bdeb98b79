package dev.rankql.models.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.rankql.models.ModelException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The XGBoost reader's primitive node arrays read exactly what the plain JSON tree reads, errors included. */
class TreeArraysTest {

    private static final List<String> INT_FIELDS = List.of("left_children", "right_children", "split_indices",
            "split_type", "categories", "categories_nodes", "categories_segments", "categories_sizes");

    /** A model-shaped document whose one tree holds {@code fields} (already JSON). */
    private static String document(String fields) {
        return """
                {"learner": {"gradient_booster": {"model": {"trees": [ {%s, "tree_param": {"num_nodes": "3"}} ]}}}}
                """.formatted(fields);
    }

    private static Json tree(Json root) {
        return root.field("learner").field("gradient_booster").field("model").field("trees").elements().get(0);
    }

    @Test
    void primitiveArraysHoldWhatTheTreeHolds() {
        var random = new SplittableRandom(5);
        var floats = new StringBuilder("1.00000017881393432617187499, -0.0, 0, 7, 1e-45, 3.4028235e38, 2.5E-3");
        var ints = new StringBuilder("0, -1, 2147483647, -2147483648");
        var flags = new StringBuilder("true, false, 0, 1");
        for (int i = 0; i < 500; i++) {
            double v = random.nextDouble(-1e6, 1e6) * Math.pow(10, random.nextInt(-30, 10));
            floats.append(", ").append(i % 3 == 0 ? String.format(Locale.ROOT, "%.12e", v) : Double.toString(v));
            ints.append(", ").append(random.nextInt());
            flags.append(random.nextBoolean() ? ", 1" : ", false");
        }
        var fields = new StringBuilder("\"split_conditions\": [" + floats + "], \"default_left\": [" + flags + "]");
        for (String field : INT_FIELDS) {
            fields.append(", \"").append(field).append("\": [").append(ints).append("]");
        }
        String text = document(fields.toString());
        Json plain = tree(Json.parse(text));
        Json compact = tree(Json.parseTrees(text));

        assertThat(compact.field("split_conditions").floats()).isEqualTo(plain.field("split_conditions").floats());
        assertThat(compact.field("default_left").booleans()).isEqualTo(plain.field("default_left").booleans());
        for (String field : INT_FIELDS) {
            assertThat(compact.field(field).integers()).as(field).isEqualTo(plain.field(field).integers());
            assertThat(compact.field(field).length()).isEqualTo(504);
        }
        // Read from the decimal text, not through the nearest double (which rounds this one up to 1.0000002f).
        assertThat(compact.field("split_conditions").floats()[0]).isEqualTo(1.0000001f);
        assertThat(compact.field("tree_param").field("num_nodes").integer()).isEqualTo(3);
        assertThat(compact.field("split_conditions").isArray()).isTrue();
        assertThat(compact.field("split_conditions").elements()).hasSize(507);
    }

    @Test
    void irregularElementsAreReadAndReportedAsBefore() {
        // Each of these is read by the plain tree path; the result or the error must be the same.
        List<String> cases = List.of(
                "\"left_children\": [1, \"2\", 3.0]",
                "\"left_children\": [1, 2, \"x\"]",
                "\"left_children\": [1, 2, 3.5]",
                "\"left_children\": [1, 2, 4294967296]",
                "\"left_children\": [1, null]",
                "\"left_children\": [1, [2]]",
                "\"split_conditions\": [0.5, \"0.25\"]",
                "\"split_conditions\": [0.5, \"abc\"]",
                "\"split_conditions\": [0.5, 123456789012345678901234567890]",
                "\"split_conditions\": [true]",
                "\"default_left\": [0, 1, 2]",
                "\"default_left\": [true, \"yes\"]",
                "\"default_left\": [1, 1.0]");
        for (String field : cases) {
            String text = document(field);
            String name = field.substring(1, field.indexOf('"', 1));
            Function<Json, Object> read = switch (name) {
                case "left_children" -> json -> json.integers();
                case "split_conditions" -> json -> json.floats();
                default -> json -> json.booleans();
            };
            Object expected = outcome(() -> read.apply(tree(Json.parse(text)).field(name)));
            Object actual = outcome(() -> read.apply(tree(Json.parseTrees(text)).field(name)));
            assertThat(actual).as(field).usingRecursiveComparison().isEqualTo(expected);
        }
    }

    @Test
    void nonArrayValuesAndSkippedStatistics() {
        String text = document("\"left_children\": {\"a\": 1}, \"base_weights\": [1, 2], \"parents\": [2147483647],"
                + " \"loss_changes\": [0.5], \"sum_hessian\": [1]");
        Json compact = tree(Json.parseTrees(text));
        assertThat(outcome(() -> compact.field("left_children").integers()))
                .isEqualTo(outcome(() -> tree(Json.parse(text)).field("left_children").integers()))
                .isEqualTo("$.learner.gradient_booster.model.trees[0].left_children: expected an array, got an"
                        + " object");
        assertThat(compact.has("base_weights")).isFalse();
        assertThat(outcome(() -> compact.field("split_conditions").floats())).isEqualTo(
                "$.learner.gradient_booster.model.trees[0]: required field [split_conditions] is missing");
        // An array read into a primitive array still says it is an array when something expects another type.
        String flags = document("\"default_left\": [0, 1]");
        assertThat(outcome(() -> tree(Json.parseTrees(flags)).field("default_left").string())).isEqualTo(
                "$.learner.gradient_booster.model.trees[0].default_left: expected a string, got an array");
    }

    @Test
    void malformedDocumentsFailAsWithThePlainReader() {
        for (String text : List.of("", "   ", "{} x", "{\"a\": 1} {", "{\"a\": 1, \"a\": 2}", "[1, 2",
                document("\"left_children\": [1, 2,]"), document("\"parents\": [1, }"),
                document("\"left_children\": [1], \"left_children\": [2]"))) {
            assertThat(outcome(() -> Json.parseTrees(text))).as(text).isEqualTo(outcome(() -> Json.parse(text)))
                    .isInstanceOf(String.class);
        }
    }

    @Test
    void deepDocumentsAreReadWithoutRecursion() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(Json.parseTrees(deep).isArray()).isTrue();
    }

    /** The value read, or the message of the model error thrown. */
    private static Object outcome(java.util.function.Supplier<Object> read) {
        Throwable thrown = catchThrowable(read::get);
        if (thrown == null) {
            return read.get();
        }
        assertThat(thrown).isInstanceOf(ModelException.class);
        return thrown.getMessage();
    }
}
