/**
 * Training learning-to-rank models: the feature matrix of judged query–document pairs, query-level splits, and
 * LambdaMART (or another objective) trained with xgboost4j into XGBoost's JSON model format.
 *
 * <p>The data is a {@link dev.rankql.train.TrainingSet}: rows of query id, document id, grade and dense float features
 * ({@code NaN} = missing), stored contiguously per query as ranking objectives require. It is read and written as
 * LibSVM/SVMrank text ({@link dev.rankql.train.LibSvmFormat}) or JSON Lines ({@link dev.rankql.train.JsonLinesFormat};
 * {@link dev.rankql.train.TrainingFiles} picks one by extension), so features logged by the engine, by another tool or
 * by hand all train the same way. {@link dev.rankql.train.QuerySplit} divides queries into training and validation
 * parts, at random or keeping together queries that share a relevant document, so that validation measures
 * generalisation rather than memorised documents. {@link dev.rankql.train.Trainer} runs xgboost4j round by round with
 * early stopping on the validation part and returns a {@link dev.rankql.train.TrainingResult} whose model holds
 * exactly the rounds up to the best one; {@link dev.rankql.train.XgboostJsonModel} scores that JSON in plain Java and
 * checks that it agrees with XGBoost.
 *
 * <p>This module is the only one that links xgboost4j (a native library and the Scala runtime), so the engine and the
 * models stay free of both. Commands such as {@code rankql train} are thin wrappers: parse files, split, train, write
 * {@link dev.rankql.train.TrainingResult#modelJson()}. docs/training.md describes the whole process.
 */
package dev.rankql.train;
