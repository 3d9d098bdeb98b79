package dev.rankql.engine;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request error ready to send: Elasticsearch's error {@code body}, the HTTP {@code status} and a one-line
 * {@code summary} for logs and terminals.
 */
public record EsError(int status, ObjectNode body, String summary) {

    public EsError {
        requireNonNull(body, "body");
        requireNonNull(summary, "summary");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status);
        }
    }
}
