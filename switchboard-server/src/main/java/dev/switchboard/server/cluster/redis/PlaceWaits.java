package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;

import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.ChannelWindows.Held;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's holds that wait for a user's place to settle (window_hold.lua): the user's other connections were only
 * on other nodes, and one of those may have been killed -9 with the place it should note. Every half heartbeat the
 * leases of the nodes waited for are read ({@code {nodes}} slot): a lease renewed after the wait began means that
 * node is alive, so its connection was subscribed when these came and nothing is resumed; a node gone from the leases
 * and from the cleanups under way was cleaned up ({@link NodePlaces} noted the place it left), and the waiting
 * connections claim the place (window_settle.lua). Past a node timeout and two heartbeats (longer while a cleanup of
 * one of them is under way) they give up with nothing resumed.
 *
 * <p>A settle's reply is handled on the connection's thread, as the holds' replies are: a hold that joined a wait
 * in Redis before the settle ran has joined it here too before the settle's reply completes the holds.
 */
final class PlaceWaits {
    private static final Logger log = LoggerFactory.getLogger(PlaceWaits.class);

    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    /** Guarded by this: per (app, channel, user) member. */
    private final Map<String, Waiting> waiting = new HashMap<>();
    /** Guarded by this: runs while something waits. */
    private ScheduledFuture<?> ticker;

    private static final class Waiting {
        final String app;
        final String channel;
        final String user;
        final long head;
        final long since = System.nanoTime();
        final Set<String> others = new LinkedHashSet<>();
        /** The lease of each node waited for when first read (a null score: it had none). */
        final Map<String, Double> baseline = new HashMap<>();
        final List<CompletableFuture<Held>> holds = new ArrayList<>();

        Waiting(String app, String channel, String user, long head) {
            this.app = app;
            this.channel = channel;
            this.user = user;
            this.head = head;
        }
    }

    PlaceWaits(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
    }

    /** A hold that counted its connection as waiting for {@code others}; completes when the place is settled. */
    CompletableFuture<Held> join(String app, String channel, String user, List<String> others, long head) {
        CompletableFuture<Held> f = new CompletableFuture<>();
        synchronized (this) {
            Waiting w = waiting.computeIfAbsent(RedisKeys.triple(app, channel, user),
                    k -> new Waiting(app, channel, user, head));
            w.others.addAll(others);
            w.holds.add(f);
            if (ticker == null) {
                long period = Math.max(20, link.settings.heartbeatMillis() / 2);
                ticker = link.scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
            }
        }
        return f;
    }

    private long timeoutMillis() {
        return link.settings.commandTimeout().toMillis();
    }

    private void tick() {
        List<Waiting> all;
        synchronized (this) {
            if (waiting.isEmpty()) {
                ticker.cancel(false);
                ticker = null;
                return;
            }
            all = new ArrayList<>(waiting.values());
        }
        try {
            settle(all);
        } catch (Exception e) {
            log.debug("Could not settle the waiting resumes this time: {}", e.toString());
            giveUpOverdue(all);
        }
    }

    private void settle(List<Waiting> all) throws Exception {
        Set<String> nodes = new HashSet<>();
        synchronized (this) {
            all.forEach(w -> nodes.addAll(w.others));
        }
        Map<String, CompletableFuture<Double>> leases = new HashMap<>();
        Map<String, CompletableFuture<Double>> cleaning = new HashMap<>();
        for (String n : nodes) { // in this order on one connection: a lease moves to the cleanups, then goes
            leases.put(n, link.call(c -> c.zscore(keys.nodes(), n)));
            cleaning.put(n, link.call(c -> c.zscore(keys.cleanups(), n)));
        }
        CompletableFuture.allOf(leases.values().toArray(CompletableFuture[]::new))
                .thenCompose(v -> CompletableFuture.allOf(cleaning.values().toArray(CompletableFuture[]::new)))
                .get(timeoutMillis(), TimeUnit.MILLISECONDS);
        long bound = TimeUnit.MILLISECONDS.toNanos(link.settings.nodeTimeoutMillis() + 2L * link.settings.heartbeatMillis());
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Waiting w : all) {
            boolean alive = false;
            boolean gone = true;
            boolean beingCleaned = false;
            synchronized (this) {
                for (String n : w.others) {
                    Double lease = leases.get(n).join();
                    if (!w.baseline.containsKey(n)) {
                        w.baseline.put(n, lease);
                    } else if (lease != null && (w.baseline.get(n) == null || lease > w.baseline.get(n))) {
                        alive = true;
                    }
                    beingCleaned |= cleaning.get(n).join() != null;
                    gone &= lease == null && cleaning.get(n).join() == null;
                }
            }
            long waited = System.nanoTime() - w.since;
            String mode = alive ? "alive"
                    : waited > 3 * bound || (waited > bound && !beingCleaned) ? "giveup"
                    : gone ? "claim" : null;
            if (mode == null) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(share.node, mode, Long.toString(System.currentTimeMillis())));
            synchronized (this) {
                args.addAll(w.others);
            }
            sent.add(link.eval(Script.WINDOW_SETTLE, keys.windowPlace(w.app, w.channel, w.user),
                    args.toArray(String[]::new)).thenAccept(r -> settled(w, list(r))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the connection's thread, in the order of the replies (see the class comment). */
    private void settled(Waiting w, List<Object> reply) {
        if (num(reply.get(2)) == 1) {
            return; // a node waited for still holds the user: cleaned up, its connection went, or it is alive
        }
        complete(w, new Held(num(reply.get(0)), w.head));
    }

    private void complete(Waiting w, Held held) {
        List<CompletableFuture<Held>> holds;
        synchronized (this) {
            waiting.remove(RedisKeys.triple(w.app, w.channel, w.user), w);
            holds = new ArrayList<>(w.holds);
        }
        holds.forEach(f -> f.complete(held));
    }

    /**
     * Redis out of reach past the bound: the holds get nothing to resume. Their connections stay counted as waiting
     * in Redis; the next hold of the user on this node joins them and settles them all.
     */
    private void giveUpOverdue(List<Waiting> all) {
        long bound = TimeUnit.MILLISECONDS.toNanos(3L * (link.settings.nodeTimeoutMillis()
                + 2L * link.settings.heartbeatMillis()));
        for (Waiting w : all) {
            if (System.nanoTime() - w.since > bound) {
                complete(w, new Held(ChannelWindows.NONE, w.head));
            }
        }
    }
}
