/**
 * Pretrained text encoders run in process: a text goes in, a unit vector comes out, with nothing downloaded at run
 * time.
 *
 * <p>An encoder is a BERT-style transformer exported to ONNX, with the Hugging Face {@code tokenizer.json} it was
 * trained with; both travel as resources of a Maven Central artifact. {@link dev.rankql.embed.TextEncoder} runs one:
 *
 * <ol>
 *   <li><b>Tokens.</b> The text is split into word pieces by Hugging Face's tokenizers (through DJL's binding), with
 *       the special tokens added ({@code [CLS] ... [SEP]}) and cut to the model's {@code maxTokens} (512 for BERT),
 *       as the MTEB and BEIR evaluations of these models do: a longer text is truncated, not split.
 *   <li><b>Encoder.</b> ONNX Runtime runs the graph on the CPU over one text at a time (no padding, so a text's vector
 *       never depends on the texts encoded with it), one intra-op thread per call; callers parallelise over texts.
 *   <li><b>Pooling.</b> The last hidden layer is reduced to one vector as the model prescribes:
 *       {@link dev.rankql.embed.Pooling#CLS} takes the first token's state, {@link dev.rankql.embed.Pooling#MEAN}
 *       averages all tokens' states.
 *   <li><b>Normalisation.</b> The vector is scaled to unit length, so that its dot product with another is their
 *       cosine.
 * </ol>
 *
 * <p>{@link dev.rankql.embed.PretrainedProvider} offers every model to the engine as a
 * {@link dev.rankql.models.embedding.TextEmbedder} (registered in {@code META-INF/services}), so that a
 * {@code vector_similarity} feature with a {@code query_vector_builder} embeds a query's text at search time into
 * exactly the vector {@code rankql embed --queries} writes.
 *
 * <p>Retrieval encoders are often asymmetric: {@link dev.rankql.embed.PretrainedModel#queryPrefix()} is the instruction
 * a query is prefixed with (bge-small-en-v1.5: {@code "Represent this sentence for searching relevant passages: "}),
 * while documents are encoded as they are. The catalogue of models is
 * {@link dev.rankql.embed.PretrainedModel#all()}.
 */
package dev.rankql.embed;
