package dev.rankql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Elasticsearch's index expressions: comma-separated names and {@code *} wildcards, {@code _all} (or {@code *}, or
 * nothing) for every index, and {@code -pattern} to take indices out of what the expressions before it matched.
 */
final class IndexExpressions {

    private IndexExpressions() {}

    /**
     * The existing indices of {@code existing} that {@code expression} names, sorted by name (the order Elasticsearch
     * numbers their shards in). A name that does not exist is Elasticsearch's 404 {@code index_not_found_exception}
     * unless {@code ignore_unavailable}; a wildcard matching nothing is fine unless {@code allow_no_indices} is off.
     * As in Elasticsearch, wildcards skip indices whose name starts with {@code .} unless the wildcard does too.
     */
    static List<String> resolve(String expression, List<String> existing, IndicesOptions options) {
        var text = expression == null ? "" : expression.strip();
        var parts = text.isEmpty() ? List.of("_all") : List.of(text.split(",", -1));
        var chosen = new LinkedHashSet<String>();
        boolean first = true;
        for (var raw : parts) {
            var part = raw.strip();
            if (part.isEmpty()) {
                throw EngineException.invalidIndexName(text, "must not contain an empty name between commas");
            }
            if (part.startsWith("-") && !first) {
                var pattern = part.substring(1);
                chosen.removeIf(name -> matches(pattern, name));
                continue;
            }
            first = false;
            if (part.equals("_all") || part.contains("*")) {
                var matched = new ArrayList<String>();
                for (var name : existing) {
                    if (part.equals("_all") ? !name.startsWith(".") : matches(part, name)) {
                        matched.add(name);
                    }
                }
                if (matched.isEmpty() && !options.allowNoIndices()) {
                    throw EngineException.indexNotFound(part);
                }
                chosen.addAll(matched);
            } else if (existing.contains(part)) {
                chosen.add(part);
            } else if (!options.ignoreUnavailable()) {
                throw EngineException.indexNotFound(part);
            }
        }
        return chosen.stream().sorted().toList();
    }

    /** Whether {@code name} fits {@code pattern}, whose {@code *} matches any characters. */
    private static boolean matches(String pattern, String name) {
        if (!pattern.contains("*")) {
            return pattern.equals(name);
        }
        if (name.startsWith(".") && !pattern.startsWith(".")) {
            return false;
        }
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")).matcher(name).matches();
    }
}
