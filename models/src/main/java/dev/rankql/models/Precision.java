package dev.rankql.models;

/** The arithmetic of a model's running sum, which rankql reproduces so that scores match the source library's. */
public enum Precision {
    /**
     * The sum is a float: it starts from the (float) base score and is rounded to float after adding each tree in
     * order; the output transform is computed on the float margin and rounded to float. Inputs are rounded to float
     * before any test unless the format says otherwise (XGBoost, Solr, RankLib, o19s linear).
     */
    FLOAT32,
    /** Values, thresholds, leaves and the running sum are all double (LightGBM, Elasticsearch). */
    FLOAT64
}
