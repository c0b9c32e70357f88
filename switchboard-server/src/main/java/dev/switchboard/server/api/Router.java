package dev.switchboard.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches decoded path segments against {@code apps/{app_id}/…} patterns. Placeholders ({@code {…}}) match one
 * non-empty segment: the first is the app id, the second (if any) the path parameter. A path that matches no
 * pattern is a 404; a known path with another method is a 405.
 */
final class Router {
    record Match(String appId, String pathParam, Endpoint endpoint) {}

    private record Route(String[] pattern, Map<String, Endpoint> methods) {}

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Endpoint endpoint) {
        String[] parts = pattern.split("/");
        for (Route r : routes) {
            if (String.join("/", r.pattern()).equals(pattern)) {
                r.methods().put(method, endpoint);
                return this;
            }
        }
        Map<String, Endpoint> methods = new LinkedHashMap<>();
        methods.put(method, endpoint);
        routes.add(new Route(parts, methods));
        return this;
    }

    Match match(String method, List<String> segments) {
        for (Route r : routes) {
            List<String> captured = capture(r.pattern(), segments);
            if (captured == null) {
                continue;
            }
            Endpoint endpoint = r.methods().get(method);
            if (endpoint == null) {
                throw new ApiProblem(405, "Method " + method + " not allowed; use " + String.join(", ", r.methods().keySet()));
            }
            return new Match(captured.get(0), captured.size() > 1 ? captured.get(1) : null, endpoint);
        }
        throw ApiProblem.notFound("Not found");
    }

    private static List<String> capture(String[] pattern, List<String> segments) {
        if (pattern.length != segments.size()) {
            return null;
        }
        List<String> captured = new ArrayList<>(2);
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            String s = segments.get(i);
            if (p.startsWith("{")) {
                if (s.isEmpty()) {
                    return null;
                }
                captured.add(s);
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return captured;
    }
}
