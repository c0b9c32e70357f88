package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * The two sweeps of one worker event loop.
 *
 * <p>{@code liveness} is the check of PROTOCOL.md §1.3 for every upgraded socket: it pings those silent for
 * {@code activityTimeout}, then closes with 4201 those that stay silent for {@code pongTimeout} after the ping. It
 * replaces an {@code IdleStateHandler} and a scheduled task per socket (a handler, a pipeline context, a timer entry
 * and two closures each: about 280 bytes per idle socket) with two longs on the frame handler and one slot here.
 * Timing: a ping goes out between {@code activityTimeout} and {@code activityTimeout + tick} of silence, the 4201
 * between {@code pongTimeout} and {@code pongTimeout + tick} after the ping; the tick is a tenth of the shorter
 * timeout, between 50 ms and 1 s.
 *
 * <p>{@code httpGuards} holds the {@link HttpGuard} deadlines of every connection not yet upgraded, walked twice a
 * second, so a deadline is met within half a second of its time.
 */
record LoopSweeps(LoopSweep<WebSocketFrameHandler> liveness, LoopSweep<HttpGuard> httpGuards) {
    static final long GUARD_TICK_MILLIS = 500;

    static LoopSweeps of(EventLoop loop, ServerConfig config) {
        long activityMillis = TimeUnit.SECONDS.toMillis(config.activityTimeoutSeconds());
        long pongMillis = TimeUnit.SECONDS.toMillis(config.pongTimeoutSeconds());
        long activityNanos = TimeUnit.MILLISECONDS.toNanos(activityMillis);
        long pongNanos = TimeUnit.MILLISECONDS.toNanos(pongMillis);
        long tick = Math.max(50, Math.min(1000, Math.min(activityMillis, pongMillis) / 10));
        HttpGuard.Deadlines deadlines = HttpGuard.Deadlines.of(config);
        return new LoopSweeps(
                new LoopSweep<>(loop, TimeUnit.MILLISECONDS.toNanos(tick),
                        (socket, now) -> socket.check(now, activityNanos, pongNanos)),
                new LoopSweep<>(loop, TimeUnit.MILLISECONDS.toNanos(GUARD_TICK_MILLIS),
                        (guard, now) -> guard.check(now, deadlines)));
    }
}
