package dev.rankql.train;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/** The XGBoost learning objectives rankql trains with, under XGBoost's own names. */
public enum Objective {

    /** LambdaMART optimising nDCG: the default for ranking. */
    RANK_NDCG("rank:ndcg"),
    /** LambdaMART with pairwise (RankNet) gradients, unweighted by any metric. */
    RANK_PAIRWISE("rank:pairwise"),
    /** LambdaMART optimising mean average precision (binary relevance). */
    RANK_MAP("rank:map"),
    /** Pointwise regression of the grade with squared error. */
    REG_SQUARED_ERROR("reg:squarederror"),
    /** Pointwise classification of relevance (grades 0 and 1 only); the model outputs a probability. */
    BINARY_LOGISTIC("binary:logistic");

    private final String xgboostName;

    Objective(String xgboostName) {
        this.xgboostName = xgboostName;
    }

    /** The name XGBoost uses, such as {@code rank:ndcg}. */
    public String xgboostName() {
        return xgboostName;
    }

    /** Whether the objective learns from whole query groups rather than from single rows. */
    public boolean isRanking() {
        return switch (this) {
            case RANK_NDCG, RANK_PAIRWISE, RANK_MAP -> true;
            case REG_SQUARED_ERROR, BINARY_LOGISTIC -> false;
        };
    }

    /**
     * The objective with XGBoost's name.
     *
     * @throws IllegalArgumentException naming the supported objectives when there is none with that name
     */
    public static Objective parse(String name) {
        requireNonNull(name, "objective");
        for (Objective objective : values()) {
            if (objective.xgboostName.equals(name.strip())) {
                return objective;
            }
        }
        throw new IllegalArgumentException("unknown objective [" + name + "]; expected one of "
                + Arrays.stream(values()).map(Objective::xgboostName).toList());
    }
}
