package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Scenario 3, idle: {@code --connections} connections that, once set up, send nothing. By default each
 * subscribes to a channel of its own ({@code idle-<i>}); {@code --signin true} also signs each in (and
 * subscribes it to its {@code #server-to-user-} channel). Reports connections opened per second and the
 * server's CPU per connection set-up, then — from the empty server to the loaded one — RSS and (for a
 * JVM, after a full GC through jcmd) live heap per connection, and the CPU an idle server spends over
 * {@code --duration-s}.
 */
final class IdleScenario {
    private IdleScenario() {}

    static IntFunction<ClientSpec> specs(Options o) {
        boolean subscribe = o.flag("subscribe", true);
        boolean signin = o.flag("signin", false);
        return i -> new ClientSpec(subscribe ? "idle-" + i : null, signin ? "i" + i : null, null, false);
    }

    static ObjectNode run(Options o) throws Exception {
        int n = o.integer("connections", 1000);
        String pid = o.serverPid();
        double hold = o.number("duration-s", 10);
        ObjectNode result = Report.header(o);
        result.put("subscribe", o.flag("subscribe", true));
        result.put("signin", o.flag("signin", false));
        long heap0 = ProcStats.jvmLiveHeapBytes(pid);
        long rss0 = ProcStats.rssBytes(pid);
        long cpu0 = ProcStats.cpuMicros(pid);
        List<Map<String, String>> rows = new ArrayList<>();
        try (Fleet fleet = MultiFleet.create(o, n, specs(o))) {
            ConnectResult c = Scenarios.connect(fleet, n, result);
            long cpu1 = ProcStats.cpuMicros(pid);
            fleet.beginStep(1); // from here on, count connections the server closes
            Thread.sleep(2_000); // let the server settle (buffers released, timers armed)
            long heap1 = ProcStats.jvmLiveHeapBytes(pid);
            long rss1 = ProcStats.rssBytes(pid);
            long cpu2 = ProcStats.cpuMicros(pid);
            long wall0 = System.nanoTime();
            Thread.sleep((long) (hold * 1000));
            long cpu3 = ProcStats.cpuMicros(pid);
            double holdS = (System.nanoTime() - wall0) / 1e9;
            long rss2 = ProcStats.rssBytes(pid);
            StepStats s = fleet.endStep();
            result.put("connections", c.ready);
            result.put("connectionsPerSecond", c.perSecond());
            result.put("serverRssEmptyBytes", rss0);
            result.put("serverRssLoadedBytes", rss1);
            result.put("serverRssAfterHoldBytes", rss2);
            result.put("serverRssPerConnectionBytes", rss0 >= 0 ? (double) (rss1 - rss0) / c.ready : -1);
            // The same at the end of the hold: by then the connect burst's one-off native memory (compiler arenas,
            // malloc'd handshake buffers) has been given back, where the server does that (bin/switchboard's trim).
            result.put("serverRssSteadyPerConnectionBytes", rss0 >= 0 && rss2 >= 0 ? (double) (rss2 - rss0) / c.ready : -1);
            result.put("serverHeapEmptyBytes", heap0);
            result.put("serverHeapLoadedBytes", heap1);
            result.put("serverHeapPerConnectionBytes", heap0 >= 0 && heap1 >= 0 ? (double) (heap1 - heap0) / c.ready : -1);
            result.put("serverCpuMicrosPerConnect", cpu0 >= 0 ? (double) (cpu1 - cpu0) / c.ready : -1);
            result.put("serverIdleCpuPercent", cpu2 >= 0 ? (cpu3 - cpu2) / 1e4 / holdS : -1);
            result.put("connectionsClosedWhileIdle", s.closed);
            Map<String, String> r = Report.row();
            r.put("connections", Long.toString(c.ready));
            r.put("failed", Long.toString(c.failed));
            r.put("subscribed", Boolean.toString(o.flag("subscribe", true)));
            r.put("signed in", Boolean.toString(o.flag("signin", false)));
            r.put("connections/s", Report.fmt(c.perSecond()));
            r.put("server CPU µs/connect", Report.fmt(result.get("serverCpuMicrosPerConnect").asDouble()));
            r.put("**RSS KiB/connection**", "**" + Report.fmt(result.get("serverRssPerConnectionBytes").asDouble() / 1024) + "**");
            r.put("RSS KiB/connection after the hold", Report.fmt(result.get("serverRssSteadyPerConnectionBytes").asDouble() / 1024));
            r.put("heap KiB/connection", Report.fmt(result.get("serverHeapPerConnectionBytes").asDouble() / 1024));
            r.put("RSS empty → loaded MiB", Report.fmt(rss0 / 1048576.0) + " → " + Report.fmt(rss1 / 1048576.0));
            r.put("idle server CPU %", Report.fmt(result.get("serverIdleCpuPercent").asDouble()));
            r.put("closed while idle", Long.toString(s.closed));
            rows.add(r);
            System.err.printf("RSS %.1f KiB/connection, heap %.1f KiB/connection, %.0f connections/s%n",
                    result.get("serverRssPerConnectionBytes").asDouble() / 1024,
                    result.get("serverHeapPerConnectionBytes").asDouble() / 1024, c.perSecond());
        }
        Report.write(o, result, "Idle: " + n + " connections", rows,
                "per-connection figures are (loaded − empty server) / connections, loaded read 2 s after the last connection"
                        + " and again at the end of the hold; heap only for a JVM server, after a full GC");
        return result;
    }
}
