/**
 * {@code rankql bench rescore}: the {@code learning_to_rank} rescore stage (features, model, sort) of rankql measured
 * against two peers doing the same work in the same run.
 *
 * <p>{@link dev.rankql.bench.rescore.RescoreFeatures} defines twenty query-time features twice: as the
 * {@code query_extractor} list rankql deploys, and as the Lucene queries a hand-written program builds for them.
 * {@link dev.rankql.bench.rescore.HandWrittenLoop} is the best a Lucene programmer would write by hand (feature by
 * feature, scorers advanced in doc-id order, one matrix, the same model scored in blocks);
 * {@link dev.rankql.bench.rescore.EsStylePipeline} reproduces the shape of Elasticsearch's rescorer (a feature map
 * keyed by name per document, object-node trees walked per document). {@link dev.rankql.bench.rescore.RescoreModel}
 * trains the 500-tree model all three score, and {@link dev.rankql.bench.rescore.RescoreBench} checks that the three
 * agree before it times them, interleaved round by round. rankql rescores a search's hits in place, so
 * {@link dev.rankql.bench.rescore.InPlaceWindows} gives it its own copy of each window, restored before every call.
 */
package dev.rankql.bench.rescore;
