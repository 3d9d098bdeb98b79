package dev.rankql.train;

/** Hears about each boosting round as it finishes, for a progress bar or a log. */
@FunctionalInterface
public interface TrainingListener {

    /** A listener that ignores every round. */
    TrainingListener NONE = (round, maxRounds, value, bestRound, bestValue) -> {};

    /**
     * Called after round {@code round} (0-based) of at most {@code maxRounds}.
     *
     * @param value the validation metric after this round
     * @param bestRound the round with the best validation metric so far
     * @param bestValue that best value
     */
    void roundFinished(int round, int maxRounds, double value, int bestRound, double bestValue);
}
