package dev.switchboard.server.dashboard;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.edge.StreamSink;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open live streams of the page, as server-sent events: {@code figures} once a second (the app's counts,
 * the last second's messages, the channel list) and {@code events} (the console's batch, with how many were
 * skipped) a few times a second. Runs on the dashboard's thread only.
 */
final class LiveStreams {
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    /** Figures are computed every second and per stream opened: a failing one must not log each time. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);

    private final Engine engine;
    private final Throughput throughput;
    private final ConsoleFeed feed;

    LiveStreams(Engine engine, Throughput throughput, ConsoleFeed feed) {
        this.engine = engine;
        this.throughput = throughput;
        this.feed = feed;
    }

    /** A new stream of {@code app}: registered for console events and sent the figures at once. */
    void open(AppEngine app, StreamSink sink) {
        feed.open(app.config().id(), sink);
        figures(app).whenComplete((text, err) -> {
            if (err == null) {
                sink.send(text);
            } else {
                limitedLog.warn("figures-failed", "Dashboard figures of app {} failed", app.config().id(), err);
            }
        });
    }

    /** Once a second: figures to every open stream, computed once per app; closed streams are dropped. */
    void everySecond() {
        Map<String, List<ConsoleFeed.Console>> byApp = new HashMap<>();
        for (ConsoleFeed.Console c : feed.all()) {
            c.newSecond();
            if (!c.sink.isOpen()) {
                feed.remove(c);
                continue;
            }
            byApp.computeIfAbsent(c.appId, k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<ConsoleFeed.Console>> e : byApp.entrySet()) {
            AppEngine app = engine.appById(e.getKey());
            if (app != null) {
                figures(app).whenComplete((text, err) -> {
                    if (err != null) {
                        limitedLog.warn("figures-failed", "Dashboard figures of app {} failed", app.config().id(), err);
                        return;
                    }
                    for (ConsoleFeed.Console c : e.getValue()) {
                        c.sink.send(text);
                    }
                });
            }
        }
    }

    /** A few times a second: each console's new events, if any, as one message. */
    void flushEvents() {
        for (ConsoleFeed.Console c : feed.all()) {
            List<Map<String, Object>> events = c.drain();
            long skipped = c.takeSkipped();
            if (events.isEmpty() && skipped == 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", events);
            m.put("skipped", skipped);
            if (!c.sink.send(sse("events", m))) {
                feed.remove(c);
            }
        }
    }

    void closeAll() {
        for (ConsoleFeed.Console c : feed.all()) {
            feed.remove(c);
            c.sink.close();
        }
    }

    private CompletionStage<String> figures(AppEngine app) {
        String id = app.config().id();
        return AppQueries.snapshot(app).thenApply(s -> {
            Map<String, Object> m = DashboardJson.app(app.config(), s.figures(), throughput.latest(id));
            m.put("channel_list", DashboardJson.channels(s.channels()));
            return sse("figures", m);
        });
    }

    static String sse(String event, Object data) {
        // Compact JSON has no newline, so one data line carries it.
        return "event: " + event + "\ndata: " + WireCodec.write(data) + "\n\n";
    }
}
