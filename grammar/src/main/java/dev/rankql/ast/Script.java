package dev.rankql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** An inline script: its source, optional language and parameters (empty when none were given). */
public record Script(Span span, String source, Optional<String> lang, Map<String, Value> params) {

    public Script {
        requireNonNull(span, "span");
        requireNonNull(source, "source");
        requireNonNull(lang, "lang");
        params = Value.copyOf(params);
    }
}
