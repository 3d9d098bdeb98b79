package dev.rankql.engine.search;

import dev.rankql.engine.EngineException;

/** Elasticsearch's {@code minimum_should_match} syntax: {@code 3}, {@code -2}, {@code 75%}, {@code -25%}, {@code 3<90%}. */
public final class MinimumShouldMatch {

    private MinimumShouldMatch() {}

    /** How many of {@code optional} clauses must match under {@code spec}, never negative. */
    public static int calculate(int optional, String spec) {
        int result = optional;
        var text = spec.trim();
        try {
            if (text.contains("<")) {
                text = text.replaceAll("\\s*<\\s*", "<");
                for (var part : text.split("\\s+")) {
                    var sides = part.split("<", 2);
                    int upperBound = Integer.parseInt(sides[0]);
                    if (optional <= upperBound) {
                        return result;
                    }
                    result = calculate(optional, sides[1]);
                }
                return result;
            }
            if (text.endsWith("%")) {
                int percent = Integer.parseInt(text.substring(0, text.length() - 1));
                float calc = (result * percent) * (1 / 100f);
                result = calc < 0 ? result + (int) calc : (int) calc;
            } else {
                int calc = Integer.parseInt(text);
                result = calc < 0 ? result + calc : calc;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw EngineException.illegalArgument("Invalid minimum_should_match [" + spec + "]");
        }
        return Math.max(result, 0);
    }
}
