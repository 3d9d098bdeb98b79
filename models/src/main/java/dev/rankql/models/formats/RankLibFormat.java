package dev.rankql.models.formats;

import dev.rankql.models.Decision;
import dev.rankql.models.LinearModel;
import dev.rankql.models.LoadOptions;
import dev.rankql.models.Missing;
import dev.rankql.models.Model;
import dev.rankql.models.ModelException;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsembleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RankLib model files: MART and LambdaMART ensembles, Coordinate Ascent and Linear Regression.
 *
 * <p>RankLib reads features as floats, 1-based by id ({@code <feature>3</feature>}, {@code 3:0.25}), and reads a
 * missing feature as 0. A tree split sends {@code value <= threshold} (float) left; the ensemble adds
 * {@code leaf * weight} in double to a float sum ({@code float s; s += tree * weight}). Linear models sum
 * {@code weight * value} in double; a Linear Regression model's id 0 is its bias. Feature ids are positions: a
 * caller's feature list names id 1, 2, … in order; RankyMcRankFace's named features ({@code <feature>title</feature>})
 * are matched by name.
 */
final class RankLibFormat {

    static final String NAME = "ranklib";

    private static final Pattern TOKEN = Pattern.compile("<(/?)([A-Za-z]+)([^>]*)>|([^<]+)");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z]+)\\s*=\\s*\"([^\"]*)\"");

    private RankLibFormat() {}

    static boolean looksLike(String text) {
        String head = text.stripLeading();
        return head.startsWith("## ") || head.startsWith("<ensemble>");
    }

    static Model read(String text, LoadOptions options) {
        String name = "";
        for (String line : text.split("\r?\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("##")) {
                name = trimmed.substring(2).trim();
                break;
            }
            if (!trimmed.isEmpty()) {
                break;
            }
        }
        return switch (name) {
            case "LambdaMART", "MART", "" -> ensemble(text, options);
            case "Coordinate Ascent", "Linear Regression" -> linear(text, name, options);
            default -> throw new ModelException("line 1", "RankLib model [" + name + "] is not supported: expected"
                    + " LambdaMART, MART, Coordinate Ascent or Linear Regression");
        };
    }

    /** A split under construction. */
    private static final class Node {
        final int line;
        String feature;
        Float threshold;
        Float output;
        final List<Integer> children = new ArrayList<>();

        Node(int line) {
            this.line = line;
        }
    }

    private static Model ensemble(String text, LoadOptions options) {
        List<float[]> weights = new ArrayList<>();
        List<List<Node>> trees = new ArrayList<>();
        List<Integer> treeLines = new ArrayList<>();
        List<Node> current = null;
        List<Integer> open = new ArrayList<>();
        String field = null;
        boolean inEnsemble = false;
        boolean sawEnsemble = false;
        Matcher m = TOKEN.matcher(text);
        int line = 1;
        int last = 0;
        while (m.find()) {
            line += count(text, last, m.start());
            last = m.start();
            String where = "line " + line;
            if (m.group(4) != null) {
                String content = m.group(4).trim();
                if (content.isEmpty() || content.startsWith("##") && field == null && current == null) {
                    continue;
                }
                if (field == null || open.isEmpty()) {
                    if (!inEnsemble && content.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("##"))) {
                        continue;
                    }
                    throw new ModelException(where, "unexpected text \"" + abbreviate(content) + "\"");
                }
                Node node = current.get(open.getLast());
                switch (field) {
                    case "feature" -> node.feature = content;
                    case "threshold" -> node.threshold = number(content, where);
                    case "output" -> node.output = number(content, where);
                    default -> throw new ModelException(where, "unexpected text in <" + field + ">");
                }
                continue;
            }
            boolean closing = !m.group(1).isEmpty();
            String tag = m.group(2);
            switch (tag) {
                case "ensemble" -> {
                    if (closing == !inEnsemble) {
                        throw new ModelException(where, "misplaced <" + (closing ? "/" : "") + "ensemble>");
                    }
                    if (closing && current != null) {
                        throw new ModelException(where, "</ensemble> before the <tree> of line "
                                + treeLines.getLast() + " is closed");
                    }
                    inEnsemble = !closing;
                    sawEnsemble = true;
                }
                case "tree" -> {
                    if (!inEnsemble) {
                        throw new ModelException(where, "<tree> outside <ensemble>");
                    }
                    if (!closing) {
                        if (current != null) {
                            throw new ModelException(where, "<tree> inside another tree");
                        }
                        var attributes = attributes(m.group(3));
                        String weight = attributes.get("weight");
                        if (weight == null) {
                            throw new ModelException(where, "<tree> needs a weight attribute");
                        }
                        weights.add(new float[] {number(weight, where)});
                        current = new ArrayList<>();
                        trees.add(current);
                        treeLines.add(line);
                    } else {
                        if (current == null || !open.isEmpty()) {
                            throw new ModelException(where, "misplaced </tree>");
                        }
                        if (current.isEmpty()) {
                            throw new ModelException(where, "a tree needs a <split>");
                        }
                        current = null;
                    }
                }
                case "split" -> {
                    if (current == null) {
                        throw new ModelException(where, "<split> outside <tree>");
                    }
                    if (!closing) {
                        if (open.isEmpty() && !current.isEmpty()) {
                            throw new ModelException(where, "a tree has one root <split>");
                        }
                        int index = current.size();
                        current.add(new Node(line));
                        if (!open.isEmpty()) {
                            Node parent = current.get(open.getLast());
                            if (parent.children.size() == 2) {
                                throw new ModelException(where, "a split has at most two child splits");
                            }
                            String pos = attributes(m.group(3)).get("pos");
                            String expected = parent.children.isEmpty() ? "left" : "right";
                            if (pos != null && !pos.equals(expected)) {
                                throw new ModelException(where, "expected the " + expected + " child, got pos=\"" + pos
                                        + "\"");
                            }
                            parent.children.add(index);
                        }
                        open.add(index);
                    } else {
                        if (open.isEmpty()) {
                            throw new ModelException(where, "misplaced </split>");
                        }
                        Node node = current.get(open.removeLast());
                        check(node);
                    }
                }
                case "feature", "threshold", "output" -> {
                    if (open.isEmpty()) {
                        throw new ModelException(where, "<" + tag + "> outside <split>");
                    }
                    field = closing ? null : tag;
                }
                default -> throw new ModelException(where, "unexpected tag <" + tag + ">");
            }
        }
        if (!sawEnsemble || inEnsemble) {
            throw new ModelException("line " + line, "the model file is truncated: <ensemble> is not closed");
        }
        return build(trees, treeLines, weights, options);
    }

    private static void check(Node node) {
        String where = "line " + node.line;
        if (node.output != null) {
            if (node.feature != null || !node.children.isEmpty()) {
                throw new ModelException(where, "a split has either an <output> or a <feature> with two children");
            }
            return;
        }
        if (node.feature == null || node.threshold == null || node.children.size() != 2) {
            throw new ModelException(where, "a split needs <feature>, <threshold> and two child splits");
        }
        if (Float.isNaN(node.threshold)) {
            throw new ModelException(where, "threshold is NaN");
        }
    }

    private static Model build(
            List<List<Node>> trees, List<Integer> treeLines, List<float[]> weights, LoadOptions options) {
        boolean numbered = true;
        int maxId = 0;
        var named = new LinkedHashMap<String, Integer>();
        for (var tree : trees) {
            for (Node node : tree) {
                if (node.feature != null) {
                    if (node.feature.matches("[0-9]{1,9}")) {
                        maxId = Math.max(maxId, Integer.parseInt(node.feature));
                    } else {
                        numbered = false;
                        named.putIfAbsent(node.feature, named.size());
                    }
                }
            }
        }
        if (!numbered && maxId > 0) {
            throw new ModelException("", "the model mixes numbered and named features");
        }
        List<String> names = new ArrayList<>();
        if (numbered) {
            Limits.features(maxId, "");
            for (int id = 1; id <= maxId; id++) {
                names.add(String.valueOf(id));
            }
        } else {
            names.addAll(named.keySet());
        }
        var builder = new TreeEnsembleBuilder(NAME, names, numbered, Precision.FLOAT32).roundProductsToFloat(false);
        for (int t = 0; t < trees.size(); t++) {
            var tree = trees.get(t);
            var table = builder.addTree("tree " + (t + 1) + " (line " + treeLines.get(t) + ")", tree.size(),
                    weights.get(t)[0]);
            for (int i = 0; i < tree.size(); i++) {
                Node node = tree.get(i);
                if (node.output != null) {
                    table.leaf(i, node.output);
                    continue;
                }
                int feature;
                if (numbered) {
                    int id = Integer.parseInt(node.feature);
                    if (id < 1) {
                        throw new ModelException("line " + node.line, "feature ids start at 1, got " + id);
                    }
                    feature = id - 1;
                } else {
                    feature = named.get(node.feature);
                }
                table.split(i, feature, Decision.LTE, node.threshold, Missing.NAN, false, node.children.get(0),
                        node.children.get(1));
            }
        }
        return builder.build(options.missingAsZero(true));
    }

    private static Model linear(String text, String kind, LoadOptions options) {
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String content = lines[i].trim();
            if (content.isEmpty() || content.startsWith("##")) {
                continue;
            }
            String where = "line " + (i + 1);
            var weights = new LinkedHashMap<Integer, Double>();
            for (String pair : content.split("\\s+")) {
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    throw new ModelException(where, "expected id:weight, got \"" + pair + "\"");
                }
                try {
                    int id = Integer.parseInt(pair.substring(0, colon));
                    double weight = Double.parseDouble(pair.substring(colon + 1));
                    if (id < 0 || id == 0 && !kind.equals("Linear Regression")) {
                        throw new ModelException(where, "feature ids start at 1, got " + id);
                    }
                    if (weights.put(id, weight) != null) {
                        throw new ModelException(where, "feature " + id + " has two weights");
                    }
                } catch (NumberFormatException e) {
                    throw new ModelException(where, "expected id:weight, got \"" + pair + "\"");
                }
            }
            double bias = weights.getOrDefault(0, 0.0);
            weights.remove(0);
            int maxId = weights.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            Limits.features(maxId, where);
            List<String> names = options.features().orElseGet(() -> {
                var generated = new ArrayList<String>();
                for (int id = 1; id <= maxId; id++) {
                    generated.add(String.valueOf(id));
                }
                return generated;
            });
            if (maxId > names.size()) {
                throw new ModelException("", "the model uses feature " + maxId + " but only " + names.size()
                        + " feature names were given");
            }
            double[] w = new double[names.size()];
            weights.forEach((id, weight) -> w[id - 1] = weight);
            return new LinearModel(NAME, names, w, bias, Precision.FLOAT64, true, null, null);
        }
        throw new ModelException("line " + lines.length, "the model has no weights");
    }

    private static Map<String, String> attributes(String text) {
        var out = new LinkedHashMap<String, String>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static float number(String text, String where) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new ModelException(where, "expected a number, got \"" + abbreviate(text) + "\"");
        }
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String abbreviate(String text) {
        String t = text.strip();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
