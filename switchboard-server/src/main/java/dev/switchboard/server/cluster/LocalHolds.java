package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.HeldLeaves.Hold;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One app's held leaves on one node (ChannelState#leave, docs/webhooks.md): a vacancy, a member's removal or a user
 * going offline whose webhook waits for the leave delay. Recorded, cancelled and confirmed only inside the
 * {@code compute} of the channel or user they concern ({@link LocalChannelState}, {@link LocalOnlineUsers},
 * {@link LocalHeldLeaves}), so each of those is one step with the transition it belongs to. A record nobody confirms (its webhook was dropped) is swept after its keep time.
 */
final class LocalHolds {
    /** Sweep the expired records once this many were added since the last sweep. */
    private static final int SWEEP_EVERY = 1024;

    private final LongSupplier clock;
    /** key → keep until (clock millis). */
    private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();
    private int added;

    LocalHolds(LongSupplier clock) {
        this.clock = clock;
    }

    static String key(Hold hold, String channel, String userId) {
        return switch (hold) {
            case VACANCY -> "v\u0000" + channel;
            case REMOVAL -> "m\u0000" + channel + "\u0000" + userId;
            case OFFLINE -> "o\u0000" + userId;
        };
    }

    /** Records the hold; kept at least {@code keepMillis} (twice the delay, and a minute, as on Redis). */
    void hold(String key, long keepMillis) {
        long now = clock.getAsLong();
        held.put(key, now + 2 * keepMillis + 60_000);
        if (++added >= SWEEP_EVERY) { // a benign race between two channels' computes only moves the sweep
            added = 0;
            held.values().removeIf(until -> until < now);
        }
    }

    /** Removes the record; true when there was one (a join: it cancels; a confirmation: the webhook goes). */
    boolean take(String key) {
        return held.remove(key) != null;
    }
}
