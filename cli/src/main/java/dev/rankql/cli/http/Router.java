package dev.rankql.cli.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a path to an endpoint, as Elasticsearch's REST controller does: literal segments such as
 * {@code _search} win over {@code {placeholders}}, a {@code HEAD} without its own route runs the {@code GET} one, a
 * known path with another method is a 405 listing the allowed methods, and an unknown path is a 400.
 */
final class Router {

    /** What an endpoint does with a request and its path placeholders. */
    @FunctionalInterface
    interface Handler {
        RestResponse handle(RestRequest request, Map<String, String> path) throws Exception;
    }

    private record Route(String method, List<String> pattern, Handler handler) {}

    /** The outcome of routing. */
    sealed interface Match {
        /** An endpoint, with the values of its placeholders. */
        record Found(Handler handler, Map<String, String> path) implements Match {}

        /** The path is known but not with this method. */
        record WrongMethod(Set<String> allowed) implements Match {}

        /** No endpoint has this path. */
        record NotFound() implements Match {}
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds an endpoint for {@code method} and {@code path}, such as {@code /{index}/_doc/{id}}. */
    Router add(String method, String path, Handler handler) {
        requireNonNull(handler, "handler");
        var pattern = path.equals("/") ? List.<String>of() : List.of(path.substring(1).split("/"));
        routes.add(new Route(method, pattern, handler));
        return this;
    }

    /** Finds the endpoint for a request; the routes with the most literal segments that fit the path decide. */
    Match route(String method, List<String> segments) {
        int most = -1;
        var candidates = new ArrayList<Route>();
        for (var route : routes) {
            int literals = matches(route.pattern, segments, new HashMap<>());
            if (literals < 0 || literals < most) {
                continue;
            }
            if (literals > most) {
                most = literals;
                candidates.clear();
            }
            candidates.add(route);
        }
        if (candidates.isEmpty()) {
            return new Match.NotFound();
        }
        var chosen = find(candidates, method);
        if (chosen == null && method.equals("HEAD")) {
            chosen = find(candidates, "GET");
        }
        if (chosen != null) {
            var path = new HashMap<String, String>();
            matches(chosen.pattern, segments, path);
            return new Match.Found(chosen.handler, Map.copyOf(path));
        }
        var allowed = new TreeSet<String>();
        candidates.forEach(route -> allowed.add(route.method));
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return new Match.WrongMethod(allowed);
    }

    private static Route find(List<Route> candidates, String method) {
        for (var route : candidates) {
            if (route.method.equals(method)) {
                return route;
            }
        }
        return null;
    }

    /** The number of literal segments matched, or -1 if the path does not fit the pattern. */
    private static int matches(List<String> pattern, List<String> segments, Map<String, String> path) {
        if (pattern.size() != segments.size()) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < pattern.size(); i++) {
            var part = pattern.get(i);
            var segment = segments.get(i);
            if (part.startsWith("{")) {
                if (segment.isEmpty()) {
                    return -1;
                }
                path.put(part.substring(1, part.length() - 1), segment);
            } else if (part.equals(segment)) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }
}
