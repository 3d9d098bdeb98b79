package dev.rankql.embed;

/** How an encoder's per-token output states become one vector for the whole text. */
public enum Pooling {
    /** The state of the first token ({@code [CLS]}), as BGE models are trained. */
    CLS,
    /** The mean of every token's state, as sentence-transformers models such as all-MiniLM are trained. */
    MEAN
}
