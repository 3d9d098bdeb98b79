package dev.rankql.models;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Why one row got its score: the path through every tree, the term of every feature, or each layer's outputs. */
public sealed interface Explanation {

    /** The model's score for the row, equal to what {@link Model#score(double[])} returns. */
    double score();

    /**
     * A tree ensemble's explanation.
     *
     * @param score the final score, {@code transform(margin)}
     * @param margin the base score plus every tree's contribution, before the output transform
     * @param baseScore the constant the sum starts from
     * @param transform the output transform
     * @param trees one entry per tree, in order
     */
    record Trees(double score, double margin, double baseScore, OutputTransform transform, List<TreePath> trees)
            implements Explanation {
        public Trees {
            requireNonNull(transform, "transform");
            trees = List.copyOf(trees);
        }
    }

    /**
     * The way one row went through one tree.
     *
     * @param tree the tree's position in the model
     * @param steps the split nodes visited, from the root
     * @param leaf the leaf reached, numbered in the tree's depth-first order
     * @param leafValue the leaf's value as the model file writes it
     * @param weight the tree's weight (1 unless the format weights trees)
     * @param contribution what the tree adds to the margin, {@code weight * leafValue} in the model's precision
     */
    record TreePath(int tree, List<Step> steps, int leaf, double leafValue, double weight, double contribution) {
        public TreePath {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One split node on a path.
     *
     * @param node the node's number in the tree, as the model file numbers it
     * @param feature the feature's column
     * @param featureName the feature's name
     * @param value the row's value as the model compared it (after rounding to float, for XGBoost), NaN if missing
     * @param decision the node's test
     * @param threshold the threshold as written in the model file (NaN for a categorical test)
     * @param categories the categories sent left by a categorical test, empty otherwise
     * @param missing whether the value counted as missing and took the node's default direction
     * @param left whether the row went to the left child
     */
    record Step(
            int node,
            int feature,
            String featureName,
            double value,
            Decision decision,
            double threshold,
            List<Integer> categories,
            boolean missing,
            boolean left) {
        public Step {
            requireNonNull(featureName, "featureName");
            requireNonNull(decision, "decision");
            categories = List.copyOf(categories);
        }
    }

    /**
     * A linear model's explanation.
     *
     * @param score the final score
     * @param bias the constant term
     * @param terms one term per feature with a non-zero weight, in feature order
     */
    record Linear(double score, double bias, List<Term> terms) implements Explanation {
        public Linear {
            terms = List.copyOf(terms);
        }
    }

    /**
     * A neural network's explanation.
     *
     * @param score the final score
     * @param inputs the values the first layer read (after missing values were replaced and normalizers applied)
     * @param layers each layer's outputs, from the first layer to the single output
     */
    record Network(double score, List<Double> inputs, List<List<Double>> layers) implements Explanation {
        public Network {
            inputs = List.copyOf(inputs);
            layers = layers.stream().map(List::copyOf).toList();
        }
    }

    /**
     * One feature's part of a linear score.
     *
     * @param feature the feature's column
     * @param featureName the feature's name
     * @param value the row's value, NaN if missing
     * @param normalized the value after the feature's normalizer, or after missing values were replaced
     * @param weight the feature's weight
     * @param contribution {@code weight * normalized}
     */
    record Term(int feature, String featureName, double value, double normalized, double weight, double contribution) {
        public Term {
            requireNonNull(featureName, "featureName");
        }
    }
}
