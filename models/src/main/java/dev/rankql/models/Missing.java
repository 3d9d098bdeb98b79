package dev.rankql.models;

/** Which input values a split node treats as missing and sends to its default child. */
public enum Missing {
    /** NaN is missing (XGBoost, Elasticsearch, LightGBM {@code missing_type=NaN}). */
    NAN,
    /** NaN and values within {@code ±1e-35f} of zero are missing (LightGBM {@code missing_type=Zero}). */
    ZERO_OR_NAN,
    /**
     * Nothing is missing: NaN is read as {@code 0.0} and compared like any value (LightGBM {@code missing_type=None});
     * the node's default direction is ignored.
     */
    NAN_AS_ZERO
}
