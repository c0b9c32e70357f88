package dev.switchboard.server.edge;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the edge drops or refuses, counted (nothing is dropped silently). Read by metrics; cheap to bump from
 * any event loop.
 */
public final class EdgeCounters {
    public final LongAdder upgradesRefused = new LongAdder();
    public final LongAdder originsRefused = new LongAdder();
    public final LongAdder slowConsumerClosed = new LongAdder();
    public final LongAdder framesDroppedAfterClose = new LongAdder();
    public final LongAdder binaryFramesRejected = new LongAdder();
    public final LongAdder oversizeFramesClosed = new LongAdder();
    public final LongAdder invalidUtf8Closed = new LongAdder();
    public final LongAdder pongTimeouts = new LongAdder();
    public final LongAdder pingsSent = new LongAdder();
    public final LongAdder handlerErrors = new LongAdder();
    public final LongAdder httpBadRequests = new LongAdder();
    public final LongAdder httpTooLarge = new LongAdder();
    public final LongAdder connectionsRateLimited = new LongAdder();
    public final LongAdder overCapacityClosed = new LongAdder();
    public final LongAdder tlsHandshakeFailures = new LongAdder();
    public final LongAdder tlsReloads = new LongAdder();
    public final LongAdder tlsReloadFailures = new LongAdder();
    public final LongAdder readsPaused = new LongAdder();
    public final LongAdder httpTimeoutHead = new LongAdder();
    public final LongAdder httpTimeoutBody = new LongAdder();
    public final LongAdder httpTimeoutBodyRate = new LongAdder();
    public final LongAdder httpTimeoutIdle = new LongAdder();
    public final LongAdder httpRefusedNode = new LongAdder();
    public final LongAdder httpRefusedAddress = new LongAdder();

    void httpTimeout(HttpGuard.Kind kind) {
        switch (kind) {
            case HEAD -> httpTimeoutHead.increment();
            case BODY -> httpTimeoutBody.increment();
            case BODY_RATE -> httpTimeoutBodyRate.increment();
            case IDLE -> httpTimeoutIdle.increment();
        }
    }
}
