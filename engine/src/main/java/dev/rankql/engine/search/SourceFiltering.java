package dev.rankql.engine.search;

import dev.rankql.ast.SourceFilter;
import dev.rankql.engine.mapping.Json;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The {@code _source} option: whether to return the source, and which dotted paths ({@code *} wildcards) to keep. */
final class SourceFiltering {

    private SourceFiltering() {}

    static boolean fetches(Optional<SourceFilter> filter) {
        return filter.map(f -> switch (f) {
            case SourceFilter.Fetch fetch -> fetch.enabled();
            case SourceFilter.Fields fields -> true;
        }).orElse(true);
    }

    static JsonNode apply(JsonNode source, Optional<SourceFilter> filter) {
        if (filter.isEmpty() || !(filter.get() instanceof SourceFilter.Fields fields)
                || fields.includes().isEmpty() && fields.excludes().isEmpty()) {
            return source;
        }
        var includes = fields.includes().stream().map(SourceFiltering::glob).toList();
        var excludes = fields.excludes().stream().map(SourceFiltering::glob).toList();
        var filtered = filter(source, "", includes, excludes);
        return filtered == null ? Json.object() : filtered;
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    private static JsonNode filter(JsonNode node, String path, List<Pattern> includes, List<Pattern> excludes) {
        if (node instanceof ObjectNode object) {
            var out = JsonNodeFactory.instance.objectNode();
            for (var entry : object.properties()) {
                var child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (matches(excludes, child)) {
                    continue;
                }
                var value = entry.getValue();
                if (includes.isEmpty() || matches(includes, child)) {
                    var kept = excludes.isEmpty() ? value : filter(value, child, List.of(), excludes);
                    if (kept != null) {
                        out.set(entry.getKey(), kept);
                    }
                } else if (value.isContainer() && includes.stream().anyMatch(p -> couldMatchBelow(p, child))) {
                    var kept = filter(value, child, includes, excludes);
                    if (kept != null && !kept.isEmpty()) {
                        out.set(entry.getKey(), kept);
                    }
                }
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            var out = JsonNodeFactory.instance.arrayNode();
            for (var element : array) {
                if (element.isContainer()) {
                    var kept = filter(element, path, includes, excludes);
                    if (kept != null && !kept.isEmpty()) {
                        out.add(kept);
                    }
                } else if (includes.isEmpty() || matches(includes, path)) {
                    out.add(element);
                }
            }
            return out;
        }
        return includes.isEmpty() || matches(includes, path) ? node : null;
    }

    private static boolean matches(List<Pattern> patterns, String path) {
        for (var p : patterns) {
            var m = p.matcher(path);
            if (m.matches()) {
                return true;
            }
            // A pattern that names an object keeps everything beneath it.
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                if (p.matcher(path.substring(0, dot)).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean couldMatchBelow(Pattern pattern, String prefix) {
        var text = pattern.pattern();
        if (text.contains(".*")) {
            return true;
        }
        var literal = text.replace("\\Q", "").replace("\\E", "");
        return literal.startsWith(prefix + ".");
    }
}
