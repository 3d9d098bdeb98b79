package dev.rankql.models;

/** The arithmetic a model's source library uses, which rankql reproduces so that scores match bit for bit. */
public enum Precision {
    /**
     * Feature values are rounded to {@code float} before they are compared with {@code float} thresholds, and the
     * score is accumulated in {@code float}, starting from the base score and adding trees in order; the output
     * transform is computed on the float margin and rounded to float (XGBoost).
     */
    FLOAT32,
    /** Values, thresholds, leaves and the running sum are all {@code double} (LightGBM, Elasticsearch). */
    FLOAT64
}
