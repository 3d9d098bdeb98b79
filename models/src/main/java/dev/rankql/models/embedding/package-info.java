/**
 * Text embedding models as a service: a {@link dev.rankql.models.embedding.TextEmbedder} turns a text into a unit
 * vector, and {@link dev.rankql.models.embedding.TextEmbedders} finds the embedders on the class path by name.
 *
 * <p>The engine embeds a query's text through this interface (the {@code query_vector_builder} of a
 * {@code vector_similarity} feature) without knowing how: implementations are found with {@link
 * java.util.ServiceLoader} through {@link dev.rankql.models.embedding.TextEmbedder.Provider}. rankql's command line
 * and server have the {@code rankql-embed} module on their class path, which provides {@code bge-small-en-v1.5}; a
 * program built on the engine alone has none, and a feature set that names a model is refused when it is deployed.
 */
package dev.rankql.models.embedding;
