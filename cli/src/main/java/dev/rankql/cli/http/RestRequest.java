package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import dev.rankql.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the endpoints see it: the method, the decoded path segments, the URL parameters and the body.
 *
 * @param uri the path and query as the client sent them, for messages such as {@code no handler found for uri [..]}
 */
record RestRequest(String method, String uri, List<String> segments, Map<String, String> params, byte[] body) {

    RestRequest {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        segments = List.copyOf(segments);
        params = Map.copyOf(params);
        requireNonNull(body, "body");
    }

    /** The URL parameter {@code name}, if given. */
    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A boolean URL parameter as Elasticsearch reads it: absent is false, present without a value is true. */
    boolean flag(String name) {
        return param(name).map(value -> switch (value) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw EngineException.illegalArgument(
                    "Failed to parse value [" + value + "] as only [true] or [false] are allowed.");
        }).orElse(false);
    }

    /** An integer URL parameter, with Elasticsearch's message for a value that is not one. */
    Optional<Integer> intParam(String name) {
        return param(name).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw EngineException.illegalArgument(
                        "Failed to parse int parameter [" + name + "] with value [" + value + "]");
            }
        });
    }

    /** Whether the request has a non-blank body. */
    boolean hasBody() {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return true;
            }
        }
        return false;
    }

    /** The body as UTF-8 text. */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
