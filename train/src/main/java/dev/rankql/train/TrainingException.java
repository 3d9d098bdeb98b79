package dev.rankql.train;

/** XGBoost refused or failed a training run; the message carries XGBoost's own explanation. */
public final class TrainingException extends Exception {

    /** A failure with XGBoost's error as the cause. */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
