/**
 * Learning-to-rank models as plain functions from feature rows to scores.
 *
 * <p>A {@link dev.rankql.models.Model} has a feature schema (names in column order) and scores a dense row-major
 * block of {@code double} or {@code float} values, NaN meaning missing, into the caller's array without allocating:
 * the scratch arrays of a block are kept per thread, so a thread that has scored once allocates nothing more.
 * The kinds are a {@link dev.rankql.models.TreeEnsemble}, built by a format reader through
 * {@link dev.rankql.models.TreeEnsembleBuilder}, a {@link dev.rankql.models.LinearModel} and a
 * {@link dev.rankql.models.NeuralNetworkModel}.
 *
 * <p>Each source library has its own arithmetic and its own rules for ties and missing values, and users expect
 * their library's scores to the last bit. The tree ensemble therefore keeps, per model, the library's
 * {@link dev.rankql.models.Precision} (XGBoost rounds inputs to float and sums in float, LightGBM and Elasticsearch
 * use double), and per node its {@link dev.rankql.models.Decision} and {@link dev.rankql.models.Missing} rule,
 * rewritten at load time into one normal form so that the scoring loop has a single comparison per node. Trees of
 * plain threshold tests are laid out once more by {@link dev.rankql.models.FastTrees} for the block walk, which takes
 * every row the same number of steps with no data-dependent branch (in SIMD lanes through
 * {@link dev.rankql.models.VectorWalk} when the Vector API is available) and gives the same scores bit for bit.
 * Loading validates everything and reports a {@link dev.rankql.models.ModelException} that names the tree and node
 * or the JSON path; a loaded model cannot fail while scoring except on a malformed block. The size of what a file may
 * ask for (trees, nodes, features, JSON lengths) is bounded by {@link dev.rankql.models.ModelLimits} before anything
 * is allocated.
 */
package dev.rankql.models;
