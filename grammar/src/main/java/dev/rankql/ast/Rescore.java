package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** One element of a rescore list: a rescorer and the window of top hits it rescores. */
public sealed interface Rescore {

    /** Elasticsearch's default window when {@code window_size} is not given. */
    int DEFAULT_WINDOW_SIZE = 10;

    /** Where the rescorer was written. */
    Span span();

    /** The {@code window_size}, if given. */
    Optional<Integer> windowSize();

    /** The window this rescorer uses: the given size, or {@link #DEFAULT_WINDOW_SIZE}. */
    default int effectiveWindowSize() {
        return windowSize().orElse(DEFAULT_WINDOW_SIZE);
    }

    /** The rescorer type's name in JSON: {@code query}, {@code learning_to_rank} or {@code script}. */
    default String type() {
        return switch (this) {
            case QueryRescore q -> "query";
            case LearningToRank l -> "learning_to_rank";
            case ScriptRescore s -> "script";
        };
    }

    /** Combines the first-pass score with the score of a second query on the window's hits. */
    record QueryRescore(
            Span span,
            Optional<Integer> windowSize,
            Query rescoreQuery,
            Optional<Float> queryWeight,
            Optional<Float> rescoreQueryWeight,
            Optional<ScoreMode> scoreMode)
            implements Rescore {
        public QueryRescore {
            requireNonNull(span, "span");
            checkWindow(windowSize);
            requireNonNull(rescoreQuery, "rescoreQuery");
            Checks.finite(queryWeight, "query_weight");
            Checks.finite(rescoreQueryWeight, "rescore_query_weight");
            requireNonNull(scoreMode, "scoreMode");
        }
    }

    /** Replaces the window's scores by a deployed LTR model's predictions. */
    record LearningToRank(Span span, Optional<Integer> windowSize, String modelId, Map<String, Value> params)
            implements Rescore {
        public LearningToRank {
            requireNonNull(span, "span");
            checkWindow(windowSize);
            if (windowSize.isEmpty()) {
                throw new IllegalArgumentException("window_size is required for rescorer of type [learning_to_rank]");
            }
            Checks.notBlank(modelId, "model_id");
            params = Value.copyOf(params);
        }
    }

    /** Replaces the window's scores by a script's value; {@code _score} is the incoming score. */
    record ScriptRescore(Span span, Optional<Integer> windowSize, Script script) implements Rescore {
        public ScriptRescore {
            requireNonNull(span, "span");
            checkWindow(windowSize);
            requireNonNull(script, "script");
        }
    }

    /** Rejects a negative window with Elasticsearch's message. */
    private static void checkWindow(Optional<Integer> windowSize) {
        requireNonNull(windowSize, "windowSize");
        windowSize.ifPresent(w -> {
            if (w < 0) {
                throw new IllegalArgumentException(negativeWindowMessage(w));
            }
        });
    }

    /** Elasticsearch's message for a negative {@code window_size}. */
    static String negativeWindowMessage(int windowSize) {
        return "[window_size] parameter cannot be negative, found [" + windowSize + "]";
    }
}
