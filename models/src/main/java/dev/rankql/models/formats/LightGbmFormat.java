package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.ModelException;
import dev.rankql.models.OutputTransform;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads LightGBM's text model file ({@code Booster.save_model("m.txt")}).
 *
 * <p>A split sends {@code value <= threshold} left. Its {@code decision_type} bits say whether it is categorical
 * (bit 0), where missing values go (bit 1, default left) and what is missing (bits 2–3): {@code None} reads NaN as
 * 0.0, {@code Zero} treats NaN and values within {@code ±1e-35f} of zero as missing, {@code NaN} treats NaN as missing.
 * A categorical split sends a value left when its integer part is one of the categories of its bitset, and NaN or
 * negative values right. Inputs within {@code ±1e-35f} of zero are read as zero, as LightGBM's dense predictor does.
 * Leaves already include the shrinkage; arithmetic is double.
 */
final class LightGbmFormat {

    static final String NAME = "lightgbm";

    private LightGbmFormat() {}

    /** One {@code key=value} line with its 1-based line number. */
    private record Entry(String value, int line) {}

    static boolean looksLike(String text) {
        String head = text.stripLeading();
        return head.startsWith("tree\n") || head.startsWith("tree\r\n") || head.contains("\nTree=0");
    }

    static TreeEnsemble read(String text, LoadOptions options) {
        String[] lines = text.split("\r?\n", -1);
        Map<String, Entry> header = new HashMap<>();
        List<Map<String, Entry>> trees = new ArrayList<>();
        List<Integer> treeLines = new ArrayList<>();
        Map<String, Entry> current = header;
        boolean sawEnd = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals("end of trees")) {
                sawEnd = true;
                break;
            }
            if (line.equals("average_output") && current == header) {
                header.put("average_output", new Entry("", i + 1));
                continue;
            }
            if (line.isEmpty() || !line.contains("=")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("Tree")) {
                current = new HashMap<>();
                current.put("Tree", new Entry(value, i + 1));
                trees.add(current);
                treeLines.add(i + 1);
                continue;
            }
            if (current.put(key, new Entry(value, i + 1)) != null) {
                throw new ModelException("line " + (i + 1), "key [" + key + "] appears twice in the same section");
            }
        }
        if (!lines[0].strip().equals("tree")) {
            throw new ModelException("line 1", "a LightGBM model file starts with the line [tree]");
        }
        if (!sawEnd) {
            throw new ModelException("line " + lines.length, "the model file is truncated: [end of trees] is missing");
        }
        int numClass = integer(header, "num_class", "header", 1);
        if (numClass != 1) {
            throw at(header.get("num_class"), "multi-class models are not supported (num_class " + numClass + ")");
        }
        int perIteration = integer(header, "num_tree_per_iteration", "header", 1);
        if (perIteration != 1) {
            throw at(header.get("num_tree_per_iteration"), "models with several trees per iteration are not supported");
        }
        int featureCount = integer(header, "max_feature_idx", "header", null) + 1;
        Limits.features(featureCount, header.containsKey("max_feature_idx")
                ? "line " + header.get("max_feature_idx").line() : "header");
        List<String> names = new ArrayList<>();
        boolean positional = true;
        Entry namesEntry = header.get("feature_names");
        if (namesEntry != null) {
            for (String name : namesEntry.value().split(" ")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            if (names.size() != featureCount) {
                throw at(namesEntry, names.size() + " feature names for max_feature_idx " + (featureCount - 1));
            }
            for (int i = 0; i < names.size(); i++) {
                positional &= names.get(i).equals("Column_" + i);
            }
        } else {
            for (int i = 0; i < featureCount; i++) {
                names.add("Column_" + i);
            }
        }
        Objective objective = objective(header.get("objective"));
        var builder = new TreeEnsembleBuilder(NAME, names, positional, Precision.FLOAT64)
                .transform(objective.transform())
                .transformScale(objective.scale())
                .zeroClamp(true);
        if (trees.isEmpty()) {
            throw new ModelException("line " + lines.length, "the model has no trees");
        }
        if (header.containsKey("average_output")) {
            // A random forest averages its trees: LightGBM divides the sum by the number of iterations.
            builder.marginDivisor(trees.size());
        }
        for (var tree : trees) {
            addTree(builder, tree);
        }
        return builder.build(options);
    }

    /** An objective's output transform and the factor LightGBM applies inside a sigmoid. */
    record Objective(OutputTransform transform, double scale) {}

    private static Objective objective(Entry entry) {
        if (entry == null) {
            return new Objective(OutputTransform.IDENTITY, 1.0);
        }
        return objective(entry.value(), "line " + entry.line());
    }

    /** The output of a LightGBM objective string such as {@code lambdarank} or {@code binary sigmoid:1}. */
    static Objective objective(String value, String where) {
        String[] parts = value.trim().split(" ");
        String name = parts[0];
        return switch (name) {
            case "lambdarank", "rank_xendcg", "regression", "regression_l1", "huber", "fair", "quantile", "mape" -> {
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].equals("sqrt")) {
                        throw new ModelException(where, "the [sqrt] output transform of regression is not supported"
                                + " yet");
                    }
                }
                yield new Objective(OutputTransform.IDENTITY, 1.0);
            }
            case "binary" -> {
                double scale = 1.0;
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].startsWith("sigmoid:")) {
                        try {
                            scale = Double.parseDouble(parts[i].substring("sigmoid:".length()));
                        } catch (NumberFormatException e) {
                            throw new ModelException(where, "sigmoid factor is not a number: " + parts[i]);
                        }
                        if (!(scale > 0) || Double.isInfinite(scale)) {
                            throw new ModelException(where, "sigmoid factor must be positive: " + parts[i]);
                        }
                    }
                }
                yield new Objective(OutputTransform.SIGMOID, scale);
            }
            case "cross_entropy" -> new Objective(OutputTransform.SIGMOID, 1.0);
            case "poisson", "gamma", "tweedie" -> new Objective(OutputTransform.EXPONENT, 1.0);
            default -> throw new ModelException(where, "unknown or unsupported objective [" + name + "]");
        };
    }

    private static void addTree(TreeEnsembleBuilder builder, Map<String, Entry> tree) {
        Entry id = tree.get("Tree");
        String where = "Tree=" + id.value() + " (line " + id.line() + ")";
        int leaves = integer(tree, "num_leaves", where, null);
        if (leaves < 1) {
            throw at(tree.get("num_leaves"), "num_leaves must be at least 1");
        }
        if (integer(tree, "is_linear", where, 0) != 0) {
            throw at(tree.get("is_linear"), "linear trees are not supported yet");
        }
        double[] leafValue = doubles(tree, "leaf_value", where, leaves);
        int inner = leaves - 1;
        var table = builder.addTree(where, inner == 0 ? 1 : inner + leaves, 1.0);
        if (inner == 0) {
            table.nodeId(0, 0);
            table.leaf(0, leafValue[0]);
            return;
        }
        int[] feature = ints(tree, "split_feature", where, inner);
        double[] threshold = doubles(tree, "threshold", where, inner);
        int[] decision = ints(tree, "decision_type", where, inner);
        int[] left = ints(tree, "left_child", where, inner);
        int[] right = ints(tree, "right_child", where, inner);
        int numCat = integer(tree, "num_cat", where, 0);
        int[] boundaries = numCat > 0 ? ints(tree, "cat_boundaries", where, numCat + 1) : new int[] {0};
        long[] catWords = numCat > 0
                ? longs(tree, "cat_threshold", where, boundaries[numCat])
                : new long[0];
        for (int leaf = 0; leaf < leaves; leaf++) {
            table.nodeId(inner + leaf, leaf);
            table.leaf(inner + leaf, leafValue[leaf]);
        }
        for (int i = 0; i < inner; i++) {
            int l = position(left[i], inner, leaves, tree.get("left_child"), i);
            int r = position(right[i], inner, leaves, tree.get("right_child"), i);
            int type = decision[i];
            if ((type & ~0b1111) != 0 || (type >> 2) == 3) {
                throw at(tree.get("decision_type"), "node " + i + ": unknown decision_type " + type);
            }
            if ((type & 1) != 0) {
                double raw = threshold[i];
                int cat = (int) raw;
                if (cat != raw || cat < 0 || cat >= numCat) {
                    throw at(tree.get("threshold"), "node " + i + ": categorical split refers to category set " + raw
                            + " but the tree has num_cat " + numCat);
                }
                int from = boundaries[cat];
                int to = boundaries[cat + 1];
                if (from < 0 || to < from || to > catWords.length) {
                    throw at(tree.get("cat_boundaries"), "category set " + cat + " has bad boundaries " + from + ".."
                            + to);
                }
                var categories = new ArrayList<Integer>();
                for (int w = from; w < to; w++) {
                    long bits = catWords[w];
                    for (int b = 0; b < 32; b++) {
                        if ((bits & (1L << b)) != 0) {
                            categories.add((w - from) * 32 + b);
                        }
                    }
                }
                table.categorical(i, feature[i], Decision.IN, categories.stream().mapToInt(Integer::intValue).toArray(),
                        false, false, l, r);
                continue;
            }
            boolean defaultLeft = (type & 2) != 0;
            Missing missing = switch (type >> 2) {
                case 0 -> Missing.NAN_AS_ZERO;
                case 1 -> Missing.ZERO_OR_NAN;
                default -> Missing.NAN;
            };
            table.split(i, feature[i], Decision.LTE, threshold[i], missing, defaultLeft, l, r);
        }
    }

    /** LightGBM numbers split nodes from 0 and leaves as {@code ~leaf}; the table puts leaves after the splits. */
    private static int position(int child, int inner, int leaves, Entry entry, int node) {
        if (child >= 0) {
            if (child >= inner) {
                throw at(entry, "node " + node + ": child " + child + " does not exist: the tree has " + inner
                        + " split nodes");
            }
            return child;
        }
        int leaf = ~child;
        if (leaf >= leaves) {
            throw at(entry, "node " + node + ": leaf " + leaf + " does not exist: the tree has " + leaves + " leaves");
        }
        return inner + leaf;
    }

    private static ModelException at(Entry entry, String problem) {
        return new ModelException(entry == null ? "" : "line " + entry.line(), problem);
    }

    private static Entry required(Map<String, Entry> section, String key, String where) {
        Entry entry = section.get(key);
        if (entry == null) {
            throw new ModelException(where, "required key [" + key + "] is missing");
        }
        return entry;
    }

    private static int integer(Map<String, Entry> section, String key, String where, Integer fallback) {
        Entry entry = section.get(key);
        if (entry == null) {
            if (fallback == null) {
                throw new ModelException(where, "required key [" + key + "] is missing");
            }
            return fallback;
        }
        try {
            return Integer.parseInt(entry.value().trim());
        } catch (NumberFormatException e) {
            throw at(entry, key + " is not an integer: \"" + entry.value() + "\"");
        }
    }

    private static String[] values(Map<String, Entry> section, String key, String where, int expected) {
        Entry entry = required(section, key, where);
        String[] parts = entry.value().trim().isEmpty() ? new String[0] : entry.value().trim().split(" +");
        if (parts.length != expected) {
            throw at(entry, key + " has " + parts.length + " values, expected " + expected);
        }
        return parts;
    }

    private static int[] ints(Map<String, Entry> section, String key, String where, int expected) {
        String[] parts = values(section, key, where, expected);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw at(section.get(key), key + " value " + i + " is not an integer: \"" + parts[i] + "\"");
            }
        }
        return out;
    }

    private static long[] longs(Map<String, Entry> section, String key, String where, int expected) {
        String[] parts = values(section, key, where, expected);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i]) & 0xFFFFFFFFL;
            } catch (NumberFormatException e) {
                throw at(section.get(key), key + " value " + i + " is not an integer: \"" + parts[i] + "\"");
            }
        }
        return out;
    }

    private static double[] doubles(Map<String, Entry> section, String key, String where, int expected) {
        String[] parts = values(section, key, where, expected);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = switch (parts[i]) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan", "-nan" -> Double.NaN;
                default -> {
                    try {
                        yield Double.parseDouble(parts[i]);
                    } catch (NumberFormatException e) {
                        throw at(section.get(key), key + " value " + i + " is not a number: \"" + parts[i] + "\"");
                    }
                }
            };
        }
        return out;
    }
}
