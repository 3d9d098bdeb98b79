package dev.rankql.engine;

import java.util.Locale;

/** Elasticsearch's {@code refresh} parameter of write requests. */
public enum RefreshPolicy {
    /** {@code refresh=false}: visible after the next periodic or explicit refresh. */
    NONE,
    /** {@code refresh=true}: refresh before answering. */
    IMMEDIATE,
    /** {@code refresh=wait_for}: answer once a refresh made the writes visible; rankql refreshes at once. */
    WAIT_FOR;

    /** Parses the URL parameter: {@code true}, empty, {@code false} or {@code wait_for}. */
    public static RefreshPolicy parse(String text) {
        return switch (text == null ? "false" : text.toLowerCase(Locale.ROOT)) {
            case "", "true" -> IMMEDIATE;
            case "false" -> NONE;
            case "wait_for" -> WAIT_FOR;
            default -> throw EngineException.illegalArgument("Unknown value for refresh: [" + text + "].");
        };
    }
}
