package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The counters of one event loop. Only that loop's thread records; the controller reads
 * {@link #delivered} (atomic) while a step drains, and everything else through {@link #snapshotAndReset}
 * run as a task on the loop itself, so the histogram needs no lock.
 */
final class LoopStats {
    /** Latencies are recorded in microseconds and clamped to a minute. */
    static final long MAX_MICROS = 60_000_000L;

    private volatile int step = -1;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong members = new AtomicLong();
    /**
     * Presence members known to the loop's clients in their own channel ({@link ClientSpec#channel}): the count of
     * each roster at subscription_succeeded, plus each member_added, minus each member_removed. When every join was
     * decided right (on one node or across a cluster), each client knows exactly its room's members.
     */
    final AtomicLong known = new AtomicLong();
    private Histogram latency = newHistogram();
    private Histogram opLatency = newHistogram();
    private long stale;
    private long malformed;
    private long duplicates;
    private long errors;
    private long lastDeliveryMicros;

    static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    void beginStep(int step) {
        this.step = step;
    }

    /**
     * A frame carrying a bench timestamp; {@code at} is where {@code "bt} starts. {@code seqs} is the
     * receiving connection's record of the sequence numbers it has seen this step: a number seen twice is
     * a duplicate and does not count as a delivery, so loss (expected − deliveries) cannot be masked.
     */
    void onDelivery(ByteBuf frame, int at, SeqSet seqs) {
        long bt = FrameScan.numberAfterKey(frame, at, FrameScan.BT.length);
        long seq = FrameScan.number(frame, FrameScan.SEQ, at);
        long st = FrameScan.number(frame, FrameScan.ST, at);
        if (bt < 0 || st < 0 || seq < 0 || seq > Integer.MAX_VALUE) {
            malformed++;
            return;
        }
        if (st != step) {
            stale++; // a late delivery from an earlier step, or the warm-up
            return;
        }
        if (!seqs.add((int) st, (int) seq)) {
            duplicates++;
            return;
        }
        long now = EpochMicros.now();
        latency.recordValue(clamp(now - bt));
        lastDeliveryMicros = now;
        delivered.lazySet(delivered.get() + 1);
    }

    void onOperation(long micros) {
        opLatency.recordValue(clamp(micros));
    }

    void onError() {
        errors++;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(MAX_MICROS, micros));
    }

    /** Runs on the loop: returns this step's figures and starts from zero. */
    StepStats snapshotAndReset() {
        StepStats s = new StepStats();
        s.latency = latency;
        s.opLatency = opLatency;
        s.delivered = delivered.getAndSet(0);
        s.members = members.getAndSet(0);
        s.known = known.get(); // not reset: a standing count of the rosters, not an event count of the step
        s.stale = stale;
        s.malformed = malformed;
        s.duplicates = duplicates;
        s.errors = errors;
        s.lastDeliveryMicros = lastDeliveryMicros;
        latency = newHistogram();
        opLatency = newHistogram();
        stale = 0;
        malformed = 0;
        duplicates = 0;
        errors = 0;
        lastDeliveryMicros = 0;
        return s;
    }
}
