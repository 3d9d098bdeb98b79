package dev.rankql.bench.models;

import dev.rankql.models.Decision;
import dev.rankql.models.Precision;
import dev.rankql.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;

/**
 * A tree evaluator of the shape Solr and Elasticsearch use: one object per node with references to its children,
 * walked row by row and tree by tree with a branch per node; the baseline the block walk is measured against.
 */
public final class ObjectWalker {

    /** One node: a split when {@code left != null}, else a leaf. */
    static final class Node {
        final int feature;
        final double threshold;
        final Decision decision;
        final boolean defaultLeft;
        final Node left;
        final Node right;
        final double value;

        Node(int feature, double threshold, Decision decision, boolean defaultLeft, Node left, Node right,
                double value) {
            this.feature = feature;
            this.threshold = threshold;
            this.decision = decision;
            this.defaultLeft = defaultLeft;
            this.left = left;
            this.right = right;
            this.value = value;
        }

        boolean goesLeft(double x) {
            if (x != x) {
                return defaultLeft;
            }
            return switch (decision) {
                case LT -> x < threshold;
                case LTE -> x <= threshold;
                case GT -> x > threshold;
                case GTE -> x >= threshold;
                case IN, NOT_IN -> throw new IllegalStateException("no categorical splits here");
            };
        }
    }

    private final Node[] roots;
    private final int featureCount;
    private final double base;
    private final boolean float32;

    private ObjectWalker(Node[] roots, int featureCount, double base, boolean float32) {
        this.roots = roots;
        this.featureCount = featureCount;
        this.base = base;
        this.float32 = float32;
    }

    /** Builds the node objects of a model without categorical splits and with an identity output. */
    public static ObjectWalker of(TreeEnsemble model) {
        List<Node> roots = new ArrayList<>();
        for (var tree : model.trees()) {
            roots.add(node(tree, tree.root()));
        }
        boolean float32 = model.precision() == Precision.FLOAT32;
        return new ObjectWalker(roots.toArray(Node[]::new), model.featureCount(),
                float32 ? (float) model.baseScore() : model.baseScore(), float32);
    }

    private static Node node(TreeEnsemble.TreeView tree, int n) {
        if (n < 0) {
            return new Node(-1, 0, Decision.LTE, false, null, null, tree.leafContribution(~n));
        }
        return new Node(tree.feature(n), tree.threshold(n), tree.decision(n), tree.defaultLeft(n),
                node(tree, tree.writtenLeft(n)), node(tree, tree.writtenRight(n)), 0);
    }

    /** Scores {@code count} rows into {@code out}, each row walking every tree from its root object. */
    public void score(float[] rows, int count, double[] out) {
        for (int r = 0; r < count; r++) {
            int row = r * featureCount;
            double sum = base;
            for (Node root : roots) {
                Node n = root;
                while (n.left != null) {
                    n = n.goesLeft(rows[row + n.feature]) ? n.left : n.right;
                }
                sum = float32 ? (float) (sum + n.value) : sum + n.value;
            }
            out[r] = sum;
        }
    }
}
