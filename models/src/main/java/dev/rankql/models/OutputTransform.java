package dev.rankql.models;

/** The function a model applies to its summed margin to give the final score. */
public enum OutputTransform {
    /** The score is the margin (regression and ranking objectives, {@code binary:logitraw}). */
    IDENTITY,
    /** {@code 1 / (1 + e^-margin)}: logistic objectives, Elasticsearch's {@code logistic_regression}. */
    SIGMOID,
    /** {@code e^margin}: Elasticsearch's {@code exponent} aggregate output. */
    EXPONENT;

    /** Applies the transform in double precision. */
    public double apply(double margin) {
        return switch (this) {
            case IDENTITY -> margin;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-margin));
            case EXPONENT -> Math.exp(margin);
        };
    }
}
