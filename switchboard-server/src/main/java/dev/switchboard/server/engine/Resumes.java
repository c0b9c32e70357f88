package dev.switchboard.server.engine;

import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Channel resume (docs/users.md, "Channel resume"), one per app: a signed-in user's connection that subscribes to a
 * channel keeping a window, or signs in while subscribed to one, gets the events published since the user's last
 * connection there was lost, in order, before any live one ({@link ResumeView} holds those meanwhile); when the
 * window no longer covers the gap, one {@value #INCOMPLETE} event says how many were lost. The user's place is
 * counted and noted by the {@link ChannelWindows} port, so it is one fact for the cluster.
 */
final class Resumes {
    /** Bound to like any channel event by pusher-js (a {@code pusher_internal:} one would be swallowed). */
    static final String INCOMPLETE = "switchboard:resume_incomplete";

    private final Supplier<AppConfig> app;
    /** Asked only for an app that keeps windows (the Redis state has none yet: the config refuses them there). */
    private final Supplier<ChannelWindows> windows;
    private final EngineListener listener;

    Resumes(Supplier<AppConfig> app, Supplier<ChannelWindows> windows, EngineListener listener) {
        this.app = app;
        this.windows = windows;
        this.listener = listener;
    }

    /** A view for a channel that keeps a window (null otherwise), holding live events until {@link #subscribed}. */
    ResumeView view(String channel) {
        AppConfig config = app.get();
        if (!config.keepsWindow(channel)) {
            return null;
        }
        ResumeView view = new ResumeView(Math.max(1000, 2 * config.channelResumeMaxEvents()));
        view.startHolding();
        return view;
    }

    static ChannelWindows.Limits limits(AppConfig config) {
        return new ChannelWindows.Limits(config.channelResumeMaxEvents(), config.channelResumeSeconds() * 1000L);
    }

    /** The connection is in the channel's lanes and told it subscribed: counted, then its replay (if any). */
    CompletionStage<?> subscribed(Recipient c, String channel, ResumeView view, String userId) {
        return resume(c, channel, view, userId);
    }

    /** The connection signed in as {@code userId}, already subscribed to these windowed channels. */
    void signedIn(Recipient c, String userId, Map<String, ResumeView> views) {
        for (Map.Entry<String, ResumeView> e : views.entrySet()) {
            if (e.getValue().user() == null) {
                e.getValue().startHolding();
                resume(c, e.getKey(), e.getValue(), userId);
            }
        }
    }

    private CompletionStage<?> resume(Recipient c, String channel, ResumeView view, String userId) {
        AppConfig config = app.get();
        view.user(userId);
        CompletionStage<ChannelWindows.Held> held = windows.get().hold(config.id(), channel, userId,
                        config.channelResumeSeconds() * 1000L)
                .exceptionally(e -> new ChannelWindows.Held(ChannelWindows.NONE, 0));
        return Async.then(c.peer().executor(), held, h -> {
            view.countedAt(h.head());
            if (h.noted() == ChannelWindows.NONE) {
                finish(c, view, 0);
                return null;
            }
            CompletionStage<ChannelWindows.Replay> replay = windows.get().after(config.id(), channel, h.noted(),
                    limits(config)).exceptionally(e -> null);
            return Async.then(c.peer().executor(), replay, r -> {
                replay(c, channel, view, h.noted(), r);
                return null;
            });
        });
    }

    private void replay(Recipient c, String channel, ResumeView view, long noted, ChannelWindows.Replay r) {
        if (!view.holding()) {
            return;
        }
        long upTo = 0;
        int sent = 0;
        if (r != null && r.lost() > 0) {
            c.peer().write(Frame.of(new ServerMessage.ChannelEvent(INCOMPLETE, channel,
                    WireCodec.quote("{\"lost\":" + r.lost() + "}"), null)));
            listener.on(new EngineEvent.ResumeIncomplete(app.get(), r.lost()));
        }
        if (r != null) {
            for (ChannelWindows.Kept k : r.events()) {
                if (k.sequence() > noted && view.missing(k.sequence())) {
                    c.peer().write(Frame.of(new ServerMessage.ChannelEvent(k.event(), channel,
                            WireCodec.quote(k.data()), null)));
                    sent++;
                }
                upTo = Math.max(upTo, k.sequence());
            }
            view.written(upTo);
        }
        if (sent > 0) {
            listener.on(new EngineEvent.ResumeReplayed(app.get(), sent));
        }
        finish(c, view, upTo);
    }

    /** Writes the live events held while the replay was on its way, those after it only, then flushes. */
    private static void finish(Recipient c, ResumeView view, long replayedUpTo) {
        if (!view.holding()) {
            return;
        }
        for (Frame f : view.release(replayedUpTo)) {
            c.peer().write(f);
        }
        c.peer().flush();
    }

    /** The connection leaves the channel: {@code lost} when it closed without unsubscribing. */
    void left(String channel, ResumeView view, boolean lost) {
        if (view.user() == null) {
            return;
        }
        AppConfig config = app.get();
        windows.get().release(config.id(), channel, view.user(), view.position(), lost, config.channelResumeSeconds() * 1000L);
    }
}
