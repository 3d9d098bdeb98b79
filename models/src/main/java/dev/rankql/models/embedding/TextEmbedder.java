package dev.rankql.models.embedding;

import java.util.List;

/** A text embedding model: texts in, unit vectors of a fixed length out; thread-safe. */
public interface TextEmbedder {

    /** The name users give the model, such as {@code bge-small-en-v1.5}. */
    String name();

    /** The length of every vector. */
    int dimensions();

    /** The unit vector of a query's text (encoded as the model wants queries, with an instruction if it has one). */
    float[] embedQuery(String text);

    /** The unit vector of a document's text. */
    float[] embedDocument(String text);

    /** Finds and opens embedders; registered in {@code META-INF/services} and found with {@link java.util.ServiceLoader}. */
    interface Provider {

        /** The names of the models this provider can open. */
        List<String> names();

        /** Opens the model called {@code name}, one of {@link #names()}; may take a second or more. */
        TextEmbedder open(String name);
    }
}
