/**
 * Benchmarks of LTR model evaluation: rankql's block walk and scalar walk against a naive object-node walker (the shape
 * Solr and Elasticsearch use), xgboost4j and lightgbmlib, each on one thread and on the same trained models.
 *
 * <p>{@link dev.rankql.bench.models.ReferenceModels} trains the models once per shape with the reference libraries and
 * caches them under the temporary directory, so that JMH's forks do not each train them again; every trial checks
 * that the engines it compares agree on the scores before it measures anything.
 */
package dev.rankql.bench.models;
