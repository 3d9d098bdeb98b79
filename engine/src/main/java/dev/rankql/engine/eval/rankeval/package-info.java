/**
 * The metrics of Elasticsearch's {@code _rank_eval} API as pure functions of a ranked list of document ids and the
 * request's ratings.
 *
 * <p>Each {@link dev.rankql.engine.eval.rankeval.RankEvalMetric} is a record holding the metric's request parameters
 * with Elasticsearch's defaults and checks; evaluating one query gives a
 * {@link dev.rankql.engine.eval.rankeval.QueryQuality} with what a {@code _rank_eval} response reports for it: the
 * {@code metric_score}, the rated hits, the {@code unrated_docs} and the metric's
 * {@link dev.rankql.engine.eval.rankeval.MetricDetail}. The formulas follow Elasticsearch's rank-eval module, not
 * trec_eval: for example {@code dcg} uses exponential gains {@code 2^rating - 1} and an ideal list cut to the number of
 * hits, and {@code precision} divides by the hits returned rather than by k. {@link
 * dev.rankql.engine.eval.rankeval.RankEval} is the API around them: it reads a {@code _rank_eval} body (rated
 * requests or templates with params, one metric), runs each request for the metric's k hits and writes
 * Elasticsearch's response, with Elasticsearch's validation messages and the JSON path of each problem.
 */
package dev.rankql.engine.eval.rankeval;
