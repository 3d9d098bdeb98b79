/**
 * Readers of the model file formats rankql understands, and the Elasticsearch writer.
 *
 * <p>{@link dev.rankql.models.formats.Models} is the entry point for tools: it lists the
 * {@link dev.rankql.models.formats.ModelFormat}s, loads a model by format name (or detects the format), and converts
 * a tree model to an Elasticsearch trained-model body. Each reader turns its library's file into a
 * {@link dev.rankql.models.TreeEnsembleBuilder} or a {@link dev.rankql.models.LinearModel}, stating the library's
 * split test, missing-value rule, base score, output transform and arithmetic, so that scores equal the library's
 * own. JSON is read into a tree that keeps every value's path, so that each error names where it is
 * ({@code $.learner.gradient_booster.model.trees[3] node 7: …}); text formats name the line. XGBoost models, which
 * are mostly numbers in node arrays, are streamed by {@link dev.rankql.models.formats.TreeArrays}, which reads those
 * arrays straight into primitive arrays and is otherwise the same tree.
 */
package dev.rankql.models.formats;
