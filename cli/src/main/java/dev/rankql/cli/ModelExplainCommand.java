package dev.rankql.cli;

import static java.util.Objects.requireNonNull;

import dev.rankql.models.Explanation;
import dev.rankql.models.Model;
import dev.rankql.models.Precision;
import dev.rankql.models.formats.RowReader;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code rankql model explain}: tells how a model scored one row, tree by tree or feature by feature. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Scores one row read from standard input (one JSON object, as for 'rankql model predict') and explains",
            "the score: for trees, the path through every tree (node, feature, value, test, side) and the leaf it",
            "reached; for linear models, each feature's term; for networks, each layer's outputs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo '{\"cost\": 300, \"type_tv\": 1}' | rankql model explain --format es --model products.json",
            "  rankql model explain --model m.json --features bm25,clicks --json < row.json"
        })
public final class ModelExplainCommand implements Callable<Integer> {

    /** Holds the mapper, so that building the command tree (every start, even --help) does not build it. */
    private static final class Pretty {
        static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelFileOptions modelFile;

    @Option(names = "--json", description = "Print the explanation as JSON (missing values as null).")
    private boolean json;

    private final Supplier<InputStream> stdin;

    /** A command that reads its row from {@code stdin}. */
    ModelExplainCommand(Supplier<InputStream> stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        Model model = modelFile.load();
        var input = new JsonLinesInput(stdin.get());
        String line = input.next();
        if (line == null) {
            throw CommandFailure.badRequest("no row on standard input: explain reads one JSON object of features");
        }
        double[] row;
        try {
            row = new RowReader(model.featureNames()).read(line);
        } catch (IllegalArgumentException e) {
            throw input.rowError(e.getMessage());
        }
        if (input.next() != null) {
            throw input.rowError("explain takes one row, and this is a second one; use predict for many rows");
        }
        Explanation explanation = model.explain(row);
        boolean asFloat = model.precision() == Precision.FLOAT32;
        return Output.of(spec).result(json ? Pretty.JSON.writeValueAsString(toJson(explanation, asFloat))
                : text(explanation, asFloat));
    }

    static String text(Explanation explanation, boolean asFloat) {
        var text = new StringBuilder();
        text.append("score: ").append(ModelPredictCommand.format(explanation.score(), asFloat)).append('\n');
        switch (explanation) {
            case Explanation.Trees trees -> {
                text.append("margin: ").append(number(trees.margin())).append(" (base score ")
                        .append(number(trees.baseScore())).append(", ").append(trees.trees().size())
                        .append(" trees, output ").append(trees.transform().name().toLowerCase(java.util.Locale.ROOT))
                        .append(")\n");
                for (var path : trees.trees()) {
                    text.append("tree ").append(path.tree()).append(": leaf ").append(path.leaf()).append(" = ")
                            .append(number(path.leafValue()));
                    if (path.weight() != 1.0) {
                        text.append(" x weight ").append(number(path.weight()));
                    }
                    text.append(", adds ").append(number(path.contribution())).append('\n');
                    for (var step : path.steps()) {
                        text.append("  node ").append(step.node()).append(": ").append(step.featureName());
                        if (step.missing()) {
                            text.append(" missing");
                        } else {
                            text.append(" = ").append(number(step.value())).append(' ')
                                    .append(step.decision().symbol()).append(' ')
                                    .append(step.categories().isEmpty() ? number(step.threshold())
                                            : step.categories().toString());
                        }
                        text.append(" -> ").append(step.left() ? "left" : "right")
                                .append(step.missing() ? " (default)" : "").append('\n');
                    }
                }
            }
            case Explanation.Linear linear -> {
                text.append("bias: ").append(number(linear.bias())).append('\n');
                for (var term : linear.terms()) {
                    text.append("  ").append(term.featureName()).append(" = ")
                            .append(Double.isNaN(term.value()) ? "missing" : number(term.value()));
                    if (term.normalized() != term.value()) {
                        text.append(", read as ").append(number(term.normalized()));
                    }
                    text.append(" x weight ").append(number(term.weight())).append(" = ")
                            .append(number(term.contribution())).append('\n');
                }
            }
            case Explanation.Network network -> {
                text.append("inputs: ").append(numbers(network.inputs())).append('\n');
                for (int i = 0; i < network.layers().size(); i++) {
                    text.append("layer ").append(i).append(": ").append(numbers(network.layers().get(i)))
                            .append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    private static String numbers(List<Double> values) {
        return values.stream().map(ModelExplainCommand::number).toList().toString();
    }

    static ObjectNode toJson(Explanation explanation, boolean asFloat) {
        ObjectNode root = Pretty.JSON.createObjectNode();
        if (asFloat) {
            root.put("score", (float) explanation.score());
        } else {
            put(root, "score", explanation.score());
        }
        switch (explanation) {
            case Explanation.Trees trees -> {
                root.put("kind", "trees");
                put(root, "margin", trees.margin());
                put(root, "base_score", trees.baseScore());
                root.put("transform", trees.transform().name().toLowerCase(java.util.Locale.ROOT));
                ArrayNode list = root.putArray("trees");
                for (var path : trees.trees()) {
                    ObjectNode tree = list.addObject();
                    tree.put("tree", path.tree());
                    tree.put("leaf", path.leaf());
                    put(tree, "leaf_value", path.leafValue());
                    put(tree, "weight", path.weight());
                    put(tree, "contribution", path.contribution());
                    ArrayNode steps = tree.putArray("path");
                    for (var step : path.steps()) {
                        ObjectNode node = steps.addObject();
                        node.put("node", step.node());
                        node.put("feature", step.featureName());
                        node.put("column", step.feature());
                        put(node, "value", step.value());
                        node.put("decision", step.decision().symbol());
                        if (step.categories().isEmpty()) {
                            put(node, "threshold", step.threshold());
                        } else {
                            ArrayNode categories = node.putArray("categories");
                            step.categories().forEach(categories::add);
                        }
                        node.put("missing", step.missing());
                        node.put("side", step.left() ? "left" : "right");
                    }
                }
            }
            case Explanation.Linear linear -> {
                root.put("kind", "linear");
                put(root, "bias", linear.bias());
                ArrayNode terms = root.putArray("terms");
                for (var term : linear.terms()) {
                    ObjectNode node = terms.addObject();
                    node.put("feature", term.featureName());
                    node.put("column", term.feature());
                    put(node, "value", term.value());
                    put(node, "normalized", term.normalized());
                    put(node, "weight", term.weight());
                    put(node, "contribution", term.contribution());
                }
            }
            case Explanation.Network network -> {
                root.put("kind", "network");
                ArrayNode inputs = root.putArray("inputs");
                network.inputs().forEach(v -> addNumber(inputs, v));
                ArrayNode layers = root.putArray("layers");
                for (var layer : network.layers()) {
                    ArrayNode outputs = layers.addArray();
                    layer.forEach(v -> addNumber(outputs, v));
                }
            }
        }
        return root;
    }

    /** JSON has no NaN or infinity: a missing value is null, an infinite one the string Java writes. */
    private static void put(ObjectNode node, String name, double value) {
        if (Double.isNaN(value)) {
            node.putNull(name);
        } else if (Double.isInfinite(value)) {
            node.put(name, Double.toString(value));
        } else {
            node.put(name, value);
        }
    }

    private static void addNumber(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else if (Double.isNaN(value)) {
            array.addNull();
        } else {
            array.add(Double.toString(value));
        }
    }
}
