/**
 * Offline evaluation of rankings: the judgment, query and run file formats, trec_eval's metrics, and the paired
 * randomization test that says whether one system's gain over another is more than noise.
 *
 * <p>Judgments ({@link dev.rankql.engine.eval.Qrels}, read by {@link dev.rankql.engine.eval.QrelsFile}) grade
 * documents per query; queries come from {@code queries.jsonl} ({@link dev.rankql.engine.eval.QueriesFile}); a
 * system's output is a {@link dev.rankql.engine.eval.Run}, written and read as a TREC run file by
 * {@link dev.rankql.engine.eval.RunFile}, which keeps scores strictly decreasing so that evaluators which re-sort by
 * score see the ranking the system produced. {@link dev.rankql.engine.eval.Evaluator} turns rankings and judgments
 * into per-query values of {@link dev.rankql.engine.eval.Metric}s defined exactly as trec_eval defines them, averaged
 * like {@code trec_eval -c}, and {@link dev.rankql.engine.eval.RandomizationTest} compares two systems query by query.
 *
 * <p>Everything here is plain Java over ids and grades: no index is needed, so the same code scores a run file on
 * disk, the engine's live results, and a training loop's validation split. The metrics of Elasticsearch's
 * {@code _rank_eval} API, whose conventions differ, live in {@link dev.rankql.engine.eval.rankeval}.
 * docs/relevance.md states every definition.
 */
package dev.rankql.engine.eval;
