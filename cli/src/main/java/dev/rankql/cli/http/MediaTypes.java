package dev.rankql.cli.http;

import dev.rankql.engine.EngineException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Elasticsearch's media-type rules: JSON bodies as {@code application/json}, NDJSON, or the versioned
 * {@code application/vnd.elasticsearch+json; compatible-with=N} that official clients send, where N must be 8 or 9
 * and the same on {@code Accept} and {@code Content-Type}; the answer uses the versioned type when it was asked for.
 */
final class MediaTypes {

    private static final int MIN_COMPATIBLE = 8;
    private static final int MAX_COMPATIBLE = 9;

    /** The request's body type and the type to answer JSON with. */
    record Negotiated(String contentType, boolean bodyIsJson, String responseType) {
        static final Negotiated JSON = new Negotiated("application/json", true, "application/json");
    }

    private MediaTypes() {}

    /** Reads the {@code Content-Type} and {@code Accept} headers (either may be null). */
    static Negotiated negotiate(String contentType, String accept) {
        var bodyType = parse(contentType);
        var acceptType = parse(accept);
        var bodyVersion = bodyType.flatMap(MediaTypes::compatibleWith);
        var acceptVersion = acceptType.flatMap(MediaTypes::compatibleWith);
        var invalid = new ArrayList<String>();
        bodyVersion.filter(v -> v.isEmpty() || v.getAsInt() < MIN_COMPATIBLE || v.getAsInt() > MAX_COMPATIBLE)
                .ifPresent(v -> invalid.add("Content-Type"));
        acceptVersion.filter(v -> v.isEmpty() || v.getAsInt() < MIN_COMPATIBLE || v.getAsInt() > MAX_COMPATIBLE)
                .ifPresent(v -> invalid.add("Accept"));
        if (invalid.isEmpty() && bodyVersion.isPresent() && acceptVersion.isPresent()
                && !bodyVersion.get().equals(acceptVersion.get())) {
            invalid.add("Accept");
            invalid.add("Content-Type");
        }
        if (!invalid.isEmpty()) {
            var cause = new EngineException("status_exception",
                    "A compatible version is required on both Content-Type and Accept headers if either one has requested"
                            + " a compatible version and the compatible versions must match. Accept=" + accept
                            + ", Content-Type=" + contentType, 400);
            throw new EngineException("media_type_header_exception",
                    "Invalid media-type value on headers " + invalid, 400, Map.of(), Optional.of(cause));
        }
        var version = acceptVersion.or(() -> bodyVersion).map(OptionalInt::getAsInt);
        var responseType = version.map(v -> "application/vnd.elasticsearch+json;compatible-with=" + v)
                .orElse("application/json");
        var bodyMime = bodyType.map(MediaType::mime).orElse("");
        boolean json = bodyMime.isEmpty() || switch (bodyMime) {
            case "application/json", "application/x-ndjson", "application/vnd.elasticsearch+json",
                    "application/vnd.elasticsearch+x-ndjson" -> true;
            default -> false;
        };
        return new Negotiated(contentType == null ? "" : contentType, json, responseType);
    }

    private record MediaType(String mime, Map<String, String> parameters) {}

    private static Optional<MediaType> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        // Accept may list several types; the first one is the one clients put their version on.
        // A limit of -1 keeps empty fields, so that a header of only separators ("," or ";") still has a first part.
        var first = header.split(",", -1)[0];
        var parts = first.split(";", -1);
        var parameters = new java.util.HashMap<String, String>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                parameters.put(parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT), parts[i].substring(eq + 1).strip());
            }
        }
        return Optional.of(new MediaType(parts[0].strip().toLowerCase(Locale.ROOT), parameters));
    }

    /** Empty when the type carries no version, an empty int when the version is not a number. */
    private static Optional<OptionalInt> compatibleWith(MediaType type) {
        var value = type.parameters().get("compatible-with");
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OptionalInt.of(Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return Optional.of(OptionalInt.empty());
        }
    }
}
