package dev.rankql.embed;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pretrained encoder rankql can run: its name, the class-path resources of its ONNX graph and tokenizer, and how it
 * is to be used (dimensions, token limit, pooling, query instruction).
 *
 * @param name the name users give, such as {@code bge-small-en-v1.5}
 * @param graphResource the class-path resource of the ONNX graph
 * @param tokenizerResource the class-path resource of the Hugging Face {@code tokenizer.json}
 * @param dimensions the length of the vectors the encoder produces
 * @param maxTokens the most tokens, special tokens included, the encoder reads; longer texts are truncated
 * @param pooling how the token states become one vector
 * @param queryPrefix the instruction put before a query's text (empty when queries are encoded as documents are)
 * @param description one line for users: what the model is, its licence and where it comes from
 */
public record PretrainedModel(
        String name,
        String graphResource,
        String tokenizerResource,
        int dimensions,
        int maxTokens,
        Pooling pooling,
        String queryPrefix,
        String description) {

    /**
     * BAAI's bge-small-en-v1.5 (33M parameters, MIT licence), int8-quantized: 384 dimensions, CLS pooling, and an
     * instruction for queries; the resources come from LangChain4j's Maven Central packaging of Xenova's ONNX export.
     */
    public static final PretrainedModel BGE_SMALL_EN_V15 = new PretrainedModel(
            "bge-small-en-v1.5",
            "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json",
            384,
            512,
            Pooling.CLS,
            "Represent this sentence for searching relevant passages: ",
            "BAAI bge-small-en-v1.5, int8-quantized ONNX (MIT licence; BAAI/bge-small-en-v1.5 via Xenova's export, "
                    + "packaged on Maven Central by LangChain4j)");

    /** Checks the fields. */
    public PretrainedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(graphResource, "graphResource");
        Objects.requireNonNull(tokenizerResource, "tokenizerResource");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(queryPrefix, "queryPrefix");
        Objects.requireNonNull(description, "description");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions);
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP], got " + maxTokens);
        }
    }

    /** Every model rankql ships, in the order users see them listed. */
    public static List<PretrainedModel> all() {
        return List.of(BGE_SMALL_EN_V15);
    }

    /** The shipped model called {@code name}, if any. */
    public static Optional<PretrainedModel> named(String name) {
        return all().stream().filter(model -> model.name().equals(name)).findFirst();
    }
}
