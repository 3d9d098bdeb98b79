package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LinearModel;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.NeuralNetworkModel;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Solr LTR model JSON: {@code LinearModel}, {@code MultipleAdditiveTreesModel} and {@code NeuralNetworkModel},
 * with the Identity, MinMax and Standard normalizers.
 *
 * <p>Solr computes in float: features, normalizers ({@code (v - min) / (max - min)}, {@code (v - avg) / std}),
 * weights and sums. A tree threshold is stored as {@code threshold + 1e-6f} and {@code value <= threshold} goes left,
 * so a value equal to the written threshold goes left. A node naming a feature the model does not list ends its tree
 * with 0. Unless {@code isNullSameAsZero} is false, a missing feature is 0 before normalization; otherwise it is not
 * normalized and takes the split's {@code missing} side ({@code left}, or right when absent). Numbers may be written
 * as strings, with Java's optional {@code f} suffix.
 */
final class SolrFormat {

    static final String NAME = "solr";

    private static final float SPLIT_SLACK = 1e-6f;

    private SolrFormat() {}

    static Model read(Json root, LoadOptions options) {
        root.object();
        String kind = simpleName(root.field("class"));
        String modelName = root.optional("name").map(Json::string).orElse("");
        var featureNodes = root.field("features").elements();
        var names = new ArrayList<String>();
        var index = new HashMap<String, Integer>();
        float[] shift = new float[featureNodes.size()];
        float[] scale = new float[featureNodes.size()];
        boolean normalized = false;
        for (int i = 0; i < featureNodes.size(); i++) {
            Json feature = featureNodes.get(i);
            Json name = feature.field("name");
            if (index.put(name.string(), i) != null) {
                throw name.error("feature [" + name.string() + "] is listed twice in model [" + modelName + "]");
            }
            names.add(name.string());
            scale[i] = 1f;
            var norm = feature.optional("norm");
            if (norm.isPresent()) {
                normalized |= normalizer(norm.get(), shift, scale, i);
            }
        }
        Json params = root.field("params");
        return switch (kind) {
            case "LinearModel" -> linear(params, modelName, names, normalized ? shift : null, normalized ? scale : null,
                    options);
            case "MultipleAdditiveTreesModel" -> trees(params, modelName, names, index, normalized, shift, scale,
                    options);
            case "NeuralNetworkModel" -> network(params, modelName, names, normalized ? shift : null,
                    normalized ? scale : null, options);
            default -> throw root.field("class").error("unsupported Solr model class [" + root.field("class").string()
                    + "]: expected LinearModel, MultipleAdditiveTreesModel or NeuralNetworkModel");
        };
    }

    private static String simpleName(Json className) {
        String name = className.string();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Reads a normalizer into {@code shift[i]}/{@code scale[i]}; tells whether it changes values. */
    private static boolean normalizer(Json norm, float[] shift, float[] scale, int i) {
        String kind = simpleName(norm.field("class"));
        var params = norm.optional("params");
        switch (kind) {
            case "IdentityNormalizer" -> {
                return false;
            }
            case "MinMaxNormalizer" -> {
                float min = params.flatMap(p -> p.optional("min")).map(SolrFormat::float32)
                        .orElse(Float.NEGATIVE_INFINITY);
                float max = params.flatMap(p -> p.optional("max")).map(SolrFormat::float32)
                        .orElse(Float.POSITIVE_INFINITY);
                float delta = max - min;
                if (delta == 0f) {
                    throw norm.error("MinMax Normalizer delta must not be zero | min = " + min + ",max = " + max
                            + ",delta = " + delta);
                }
                shift[i] = min;
                scale[i] = delta;
                return true;
            }
            case "StandardNormalizer" -> {
                float avg = params.flatMap(p -> p.optional("avg")).map(SolrFormat::float32).orElse(0f);
                float std = params.flatMap(p -> p.optional("std")).map(SolrFormat::float32).orElse(1f);
                if (std <= 0f) {
                    throw norm.error("Standard Normalizer standard deviation must be positive | avg = " + avg
                            + ",std = " + std);
                }
                shift[i] = avg;
                scale[i] = std;
                return true;
            }
            default -> throw norm.field("class").error("unsupported normalizer [" + norm.field("class").string()
                    + "]: expected IdentityNormalizer, MinMaxNormalizer or StandardNormalizer");
        }
    }

    private static float float32(Json value) {
        return value.float32();
    }

    private static Model linear(
            Json params, String modelName, List<String> names, float[] shift, float[] scale, LoadOptions options) {
        Json weights = params.field("weights").object();
        List<String> missing = new ArrayList<>();
        double[] w = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            var weight = weights.optional(names.get(i));
            if (weight.isEmpty()) {
                missing.add(names.get(i));
            } else {
                w[i] = weight.get().float32();
            }
        }
        if (!names.isEmpty() && missing.size() == names.size()) {
            throw weights.error("Model " + modelName + " doesn't contain any weights");
        }
        if (!missing.isEmpty()) {
            throw weights.error("Model " + modelName + " lacks weight(s) for " + missing);
        }
        List<String> columns = options.features().orElse(names);
        double[] boundWeights = new double[columns.size()];
        float[] boundShift = shift == null ? null : new float[columns.size()];
        float[] boundScale = scale == null ? null : new float[columns.size()];
        if (boundScale != null) {
            java.util.Arrays.fill(boundScale, 1f);
        }
        for (int i = 0; i < names.size(); i++) {
            int column = columns.indexOf(names.get(i));
            if (column < 0) {
                throw new ModelException("", "the model uses feature [" + names.get(i) + "], which is not in the given"
                        + " feature list " + columns);
            }
            boundWeights[column] = w[i];
            if (boundShift != null) {
                boundShift[column] = shift[i];
                boundScale[column] = scale[i];
            }
        }
        return new LinearModel(NAME, columns, boundWeights, 0.0, Precision.FLOAT32, true, boundShift, boundScale);
    }

    private static Model network(
            Json params, String modelName, List<String> names, float[] shift, float[] scale, LoadOptions options) {
        var layerNodes = params.field("layers").elements();
        var layers = new ArrayList<NeuralNetworkModel.Layer>();
        int inputs = names.size();
        for (int id = 0; id < layerNodes.size(); id++) {
            Json layer = layerNodes.get(id).object();
            var matrixRows = layer.field("matrix").elements();
            var bias = layer.field("bias").elements();
            int rows = matrixRows.size();
            int columns = rows == 0 ? 0 : matrixRows.get(0).elements().size();
            if (bias.size() != rows) {
                throw layer.error("Dimension mismatch in model \"" + modelName + "\". Layer " + id + " has "
                        + bias.size() + " bias weights but " + rows + " weight matrix rows.");
            }
            String activationName = layer.field("activation").string();
            NeuralNetworkModel.Activation activation = switch (activationName) {
                case "relu" -> NeuralNetworkModel.Activation.RELU;
                case "leakyrelu" -> NeuralNetworkModel.Activation.LEAKY_RELU;
                case "tanh" -> NeuralNetworkModel.Activation.TANH;
                case "sigmoid" -> NeuralNetworkModel.Activation.SIGMOID;
                case "identity" -> NeuralNetworkModel.Activation.IDENTITY;
                default -> throw layer.field("activation").error("Invalid activation function (\"" + activationName
                        + "\") in layer " + id + " of model \"" + modelName + "\".");
            };
            if (inputs != columns) {
                throw layer.error(id == 0
                        ? "Dimension mismatch in model \"" + modelName + "\". The input has " + inputs
                                + " features, but the weight matrix for layer 0 has " + columns + " columns."
                        : "Dimension mismatch in model \"" + modelName + "\". The weight matrix for layer " + (id - 1)
                                + " has " + inputs + " rows, but the weight matrix for layer " + id + " has "
                                + columns + " columns.");
            }
            float[] matrix = new float[rows * columns];
            for (int i = 0; i < rows; i++) {
                var row = matrixRows.get(i).elements();
                if (row.size() != columns) {
                    throw matrixRows.get(i).error("matrix row " + i + " has " + row.size() + " values, expected "
                            + columns);
                }
                for (int j = 0; j < columns; j++) {
                    matrix[i * columns + j] = row.get(j).float32();
                }
            }
            float[] b = new float[rows];
            for (int i = 0; i < rows; i++) {
                b[i] = bias.get(i).float32();
            }
            layers.add(new NeuralNetworkModel.Layer(rows, columns, matrix, b, activation));
            inputs = rows;
        }
        if (inputs != 1) {
            throw params.field("layers").error("The output matrix for model \"" + modelName + "\" has " + inputs
                    + " rows, but should only have one.");
        }
        List<String> columns = options.features().orElse(names);
        int[] inputColumns = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            inputColumns[i] = columns.indexOf(names.get(i));
            if (inputColumns[i] < 0) {
                throw new ModelException("", "the model uses feature [" + names.get(i) + "], which is not in the given"
                        + " feature list " + columns);
            }
        }
        return new NeuralNetworkModel(NAME, columns, inputColumns, layers, shift, scale);
    }

    private static Model trees(
            Json params,
            String modelName,
            List<String> names,
            Map<String, Integer> index,
            boolean normalized,
            float[] shift,
            float[] scale,
            LoadOptions options) {
        boolean nullIsZero = params.optional("isNullSameAsZero").map(Json::bool).orElse(true);
        var trees = params.optional("trees").orElseThrow(() -> params.error("no trees declared for model "
                + modelName)).elements();
        var builder = new TreeEnsembleBuilder(NAME, names, false, Precision.FLOAT32);
        if (normalized) {
            for (int i = 0; i < names.size(); i++) {
                builder.normalizer(i, shift[i], scale[i]);
            }
        }
        if (trees.isEmpty()) {
            throw params.field("trees").error("no trees declared for model " + modelName);
        }
        for (Json tree : trees) {
            tree.object();
            if (!tree.has("weight")) {
                throw tree.error("MultipleAdditiveTreesModel tree doesn't contain a weight");
            }
            if (!tree.has("root")) {
                throw tree.error("MultipleAdditiveTreesModel tree doesn't contain a tree");
            }
            addTree(builder, tree.field("root").object(), tree.field("weight").float32(), index);
        }
        return builder.build(nullIsZero ? options.missingAsZero(true) : options);
    }

    private static void addTree(TreeEnsembleBuilder builder, Json root, float weight, Map<String, Integer> index) {
        var nodes = new ArrayList<Json>();
        var stack = new ArrayDeque<Json>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Json node = stack.pop().object();
            nodes.add(node);
            boolean split = node.has("feature") && index.containsKey(node.field("feature").string());
            if (!node.has("feature") && (node.has("left") || node.has("right"))) {
                throw node.error("MultipleAdditiveTreesModel tree node is leaf with left and right");
            }
            if (split) {
                if (!node.has("threshold")) {
                    throw node.error("MultipleAdditiveTreesModel tree node is missing threshold");
                }
                if (!node.has("left")) {
                    throw node.error("MultipleAdditiveTreesModel tree node is missing left");
                }
                if (!node.has("right")) {
                    throw node.error("MultipleAdditiveTreesModel tree node is missing right");
                }
                stack.push(node.field("right"));
                stack.push(node.field("left"));
            }
        }
        var position = new java.util.IdentityHashMap<tools.jackson.databind.JsonNode, Integer>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i).node(), i);
        }
        var table = builder.addTree(root.path(), nodes.size(), weight);
        for (int i = 0; i < nodes.size(); i++) {
            Json node = nodes.get(i);
            if (!node.has("feature")) {
                table.leaf(i, node.optional("value").map(Json::float32).orElse(0f));
                continue;
            }
            Integer feature = index.get(node.field("feature").string());
            if (feature == null) {
                // Solr ends the tree with 0 when a split names a feature the model does not list.
                table.leaf(i, 0.0);
                continue;
            }
            float threshold = node.field("threshold").float32() + SPLIT_SLACK;
            boolean missingLeft = false;
            var missing = node.optional("missing");
            if (missing.isPresent()) {
                missingLeft = switch (missing.get().string()) {
                    case "left" -> true;
                    case "right" -> false;
                    default -> throw missing.get().error("missing must be left or right, got ["
                            + missing.get().string() + "]");
                };
            }
            table.split(i, feature, Decision.LTE, threshold, Missing.NAN, missingLeft,
                    position.get(node.field("left").node()), position.get(node.field("right").node()));
        }
    }
}
