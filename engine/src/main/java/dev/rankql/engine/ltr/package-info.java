/**
 * Learning To Rank in the engine: the model registry ({@code _ml/trained_models}: deploy the Elasticsearch way or
 * any model format with a feature set, stored atomically in the data directory), the feature extractors
 * (Elasticsearch's {@code query_extractor} with mustache templates, and rankql's {@code field_value},
 * {@code original_score}, {@code param_value} and {@code filter}), and the template parameters.
 *
 * <p>The {@code learning_to_rank} rescorer itself lives in {@code dev.rankql.engine.search}, next to the other
 * rescorers, and reads the immutable {@link dev.rankql.engine.ltr.DeployedModel} it finds here once per request, so a
 * replace never mixes two models in one response.
 */
package dev.rankql.engine.ltr;
