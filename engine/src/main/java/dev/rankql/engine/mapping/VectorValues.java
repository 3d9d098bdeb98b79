package dev.rankql.engine.mapping;

import tools.jackson.databind.JsonNode;

/** Reads and checks float vectors (in documents and in queries) with Elasticsearch's messages. */
public final class VectorValues {

    /** Elasticsearch's tolerance on the squared length of a {@code dot_product} vector. */
    private static final float UNIT_TOLERANCE = 1e-4f;

    /** A value of the wrong JSON type, which Elasticsearch reports as a parsing error. */
    public static final class TokenException extends IllegalArgumentException {
        TokenException(String message) {
            super(message);
        }
    }

    private VectorValues() {}

    /**
     * The vector in {@code value} for {@code mapping}: an array of exactly {@code dims} finite numbers, non-zero for
     * cosine and of unit length for dot_product. {@code subject} begins the dimension-count message (Elasticsearch
     * names the field and document there).
     */
    public static float[] parse(JsonNode value, FieldMapping.DenseVector mapping, String subject) {
        if (!value.isArray()) {
            throw new TokenException("Failed to parse object: expecting token of type [START_ARRAY] but found [" + Json.tokenName(value) + "]");
        }
        var vector = new float[value.size()];
        for (int i = 0; i < vector.length; i++) {
            var element = value.get(i);
            if (!element.isNumber()) {
                throw new TokenException("Failed to parse object: expecting token of type [VALUE_NUMBER] but found [" + Json.tokenName(element) + "]");
            }
            vector[i] = element.floatValue();
        }
        if (vector.length != mapping.dims()) {
            throw new IllegalArgumentException(subject + " has a different number of dimensions [" + vector.length
                    + "] than defined in the mapping [" + mapping.dims() + "]");
        }
        check(vector, mapping.similarity());
        return vector;
    }

    /** Elasticsearch's checks of finite values, non-zero cosine vectors and unit dot_product vectors. */
    public static void check(float[] vector, VectorSimilarity similarity) {
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException(preview("element_type [float] vectors only support finite floating point values, but found ["
                        + vector[i] + "] at dim [" + i + "];", vector));
            }
        }
        double squared = 0;
        for (float v : vector) {
            squared += (double) v * v;
        }
        if (similarity == VectorSimilarity.COSINE && squared == 0) {
            throw new IllegalArgumentException(preview("The [cosine] similarity does not support vectors with zero magnitude.", vector));
        }
        if (similarity == VectorSimilarity.DOT_PRODUCT && Math.abs(squared - 1) > UNIT_TOLERANCE) {
            throw new IllegalArgumentException(preview("The [dot_product] similarity can only be used with unit-length vectors.", vector));
        }
    }

    /** Elasticsearch's preview: the first five values, then {@code ", ..."} when there are five or more. */
    private static String preview(String message, float[] vector) {
        var text = new StringBuilder(message).append(" Preview of invalid vector: [");
        for (int i = 0; i < Math.min(5, vector.length); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(vector[i]);
        }
        if (vector.length >= 5) {
            text.append(", ...");
        }
        return text.append(']').toString();
    }
}
