package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The function a {@code rank_feature} query applies to the feature value. */
public sealed interface RankFeatureFunction {

    /** {@code S / (S + pivot)}; without a pivot, the engine uses the geometric mean of the field's values. */
    record Saturation(Optional<Float> pivot) implements RankFeatureFunction {
        public Saturation {
            requireNonNull(pivot, "pivot");
            pivot.ifPresent(p -> Checks.positive(p, "pivot"));
        }
    }

    /** {@code log(scaling_factor + S)}. */
    record Log(float scalingFactor) implements RankFeatureFunction {
        public Log {
            Checks.positive(scalingFactor, "scaling_factor");
        }
    }

    /** {@code S^exp / (S^exp + pivot^exp)}. */
    record Sigmoid(float pivot, float exponent) implements RankFeatureFunction {
        public Sigmoid {
            Checks.positive(pivot, "pivot");
            Checks.positive(exponent, "exponent");
        }
    }

    /** {@code S} itself. */
    record Linear() implements RankFeatureFunction {}

    /** The function's name in JSON and in the DSL. */
    default String keyword() {
        return switch (this) {
            case Saturation s -> "saturation";
            case Log l -> "log";
            case Sigmoid s -> "sigmoid";
            case Linear l -> "linear";
        };
    }
}
