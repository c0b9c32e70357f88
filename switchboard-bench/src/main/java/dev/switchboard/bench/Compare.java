package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Ratios of two results of the same scenario (A relative to B, e.g. Switchboard to soketi), step by
 * step, on the headline figures: server CPU per delivery, p99 latency, RSS per connection, triggers/s.
 */
final class Compare {
    private Compare() {}

    static String text(JsonNode a, JsonNode b) {
        String scenario = a.path("scenario").asText();
        String la = a.path("label").asText("A");
        String lb = b.path("label").asText("B");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s vs %s (×ratio = %s / %s: below 1 is better for CPU, latency and RSS,"
                + " above 1 is better for rates)%n", scenario, la, lb, la, lb));
        switch (scenario) {
            case "fanout":
            case "users":
                for (int i = 0; i < Math.min(a.path("steps").size(), b.path("steps").size()); i++) {
                    JsonNode sa = a.path("steps").get(i);
                    JsonNode sb2 = b.path("steps").get(i);
                    sb.append(String.format(Locale.ROOT,
                            "  rate %6s/s: CPU µs/delivery %s (%.2f vs %.2f), p99 %s (%.2f vs %.2f ms), achieved %s (%s vs %s/s), lost %d vs %d%n",
                            Report.fmt(sa.path("requestedRate").asDouble()),
                            ratio(sa, sb2, "serverCpuMicrosPerDelivery"), sa.path("serverCpuMicrosPerDelivery").asDouble(),
                            sb2.path("serverCpuMicrosPerDelivery").asDouble(),
                            ratio(sa, sb2, "latencyP99Ms"), sa.path("latencyP99Ms").asDouble(), sb2.path("latencyP99Ms").asDouble(),
                            ratio(sa, sb2, "achievedRate"), Report.fmt(sa.path("achievedRate").asDouble()),
                            Report.fmt(sb2.path("achievedRate").asDouble()),
                            sa.path("lost").asLong(), sb2.path("lost").asLong()));
                }
                break;
            case "idle":
                sb.append(String.format(Locale.ROOT, "  RSS/connection %s (%.1f vs %.1f KiB), after the hold %s (%.1f vs %.1f KiB),"
                                + " connections/s %s (%.0f vs %.0f)%n",
                        ratio(a, b, "serverRssPerConnectionBytes"), a.path("serverRssPerConnectionBytes").asDouble() / 1024,
                        b.path("serverRssPerConnectionBytes").asDouble() / 1024,
                        ratio(a, b, "serverRssSteadyPerConnectionBytes"),
                        a.path("serverRssSteadyPerConnectionBytes").asDouble() / 1024,
                        b.path("serverRssSteadyPerConnectionBytes").asDouble() / 1024, ratio(a, b, "connectionsPerSecond"),
                        a.path("connectionsPerSecond").asDouble(), b.path("connectionsPerSecond").asDouble()));
                break;
            case "http":
                for (int i = 0; i < Math.min(a.path("steps").size(), b.path("steps").size()); i++) {
                    JsonNode sa = a.path("steps").get(i);
                    JsonNode sb2 = b.path("steps").get(i);
                    sb.append(String.format(Locale.ROOT, "  triggers/s %s (%.0f vs %.0f)%s, p99 %s (%.2f vs %.2f ms), CPU µs/request %s (%.1f vs %.1f)%n",
                            ratio(sa, sb2, "requestsPerSecond"), sa.path("requestsPerSecond").asDouble(),
                            sb2.path("requestsPerSecond").asDouble(),
                            sa.path("clientBound").asBoolean() || sb2.path("clientBound").asBoolean()
                                    ? " [client-bound: a lower bound]" : "",
                            ratio(sa, sb2, "latencyP99Ms"),
                            sa.path("latencyP99Ms").asDouble(), sb2.path("latencyP99Ms").asDouble(),
                            ratio(sa, sb2, "serverCpuMicrosPerRequest"), sa.path("serverCpuMicrosPerRequest").asDouble(),
                            sb2.path("serverCpuMicrosPerRequest").asDouble()));
                }
                break;
            case "presence":
                for (int i = 0; i < Math.min(a.path("steps").size(), b.path("steps").size()); i++) {
                    JsonNode sa = a.path("steps").get(i);
                    JsonNode sb2 = b.path("steps").get(i);
                    sb.append(String.format(Locale.ROOT,
                            "  %6.0f joins/s: member events/s %s (%.0f vs %.0f), join p99 %s (%.2f vs %.2f ms), CPU µs/member event %s (%.2f vs %.2f)%n",
                            sa.path("requestedJoinsPerSecond").asDouble(), ratio(sa, sb2, "memberEventsPerSecond"),
                            sa.path("memberEventsPerSecond").asDouble(), sb2.path("memberEventsPerSecond").asDouble(),
                            ratio(sa, sb2, "joinP99Ms"), sa.path("joinP99Ms").asDouble(), sb2.path("joinP99Ms").asDouble(),
                            ratio(sa, sb2, "serverCpuMicrosPerMemberEvent"), sa.path("serverCpuMicrosPerMemberEvent").asDouble(),
                            sb2.path("serverCpuMicrosPerMemberEvent").asDouble()));
                }
                break;
            case "storm":
                for (String phase : new String[] {"cold", "storm"}) {
                    JsonNode pa = a.path(phase);
                    JsonNode pb = b.path(phase);
                    if (pa.isMissingNode() || pb.isMissingNode()) {
                        continue;
                    }
                    sb.append(String.format(Locale.ROOT,
                            "  %-5s %5d clients: CPU µs/client join %s (%.0f vs %.0f; JIT %.0f vs %.0f), close %s (%.0f vs %.0f), wall to all joined %s (%.2f vs %.2f s), failed %d vs %d%n",
                            phase.equals("cold") ? "cold" : "warm", pa.path("clients").asInt(),
                            ratio(pa, pb, "serverCpuMicrosPerJoin"), pa.path("serverCpuMicrosPerJoin").asDouble(),
                            pb.path("serverCpuMicrosPerJoin").asDouble(),
                            pa.path("serverJitCpuMicrosPerJoin").asDouble(-1), pb.path("serverJitCpuMicrosPerJoin").asDouble(-1),
                            ratio(pa, pb, "serverCpuMicrosPerClose"), pa.path("serverCpuMicrosPerClose").asDouble(),
                            pb.path("serverCpuMicrosPerClose").asDouble(),
                            ratio(pa, pb, "wallMicrosToAllJoined"), pa.path("wallMicrosToAllJoined").asDouble() / 1e6,
                            pb.path("wallMicrosToAllJoined").asDouble() / 1e6,
                            pa.path("failed").asLong(), pb.path("failed").asLong()));
                }
                break;
            default:
                sb.append("  (no comparison for this scenario)\n");
        }
        return sb.toString();
    }

    private static String ratio(JsonNode a, JsonNode b, String field) {
        double x = a.path(field).asDouble(-1);
        double y = b.path(field).asDouble(-1);
        if (x < 0 || y <= 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "×%.2f", x / y);
    }
}
