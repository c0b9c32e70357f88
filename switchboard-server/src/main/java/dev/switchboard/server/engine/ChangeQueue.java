package dev.switchboard.server.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One connection's state changes (subscribe, unsubscribe, sign-in, close), one at a time: each waits for the one
 * before, so their answers from the shared state apply in the order the client asked. On one node each is complete
 * at once and nothing waits. The changes a client asks for pass the connection's {@link ChangeGate} (back-pressure
 * and rate). Only touched on the connection's executor.
 */
final class ChangeQueue {
    private final Peer peer;
    private final ChangeGate.Budget budget;
    private final LongSupplier clock;
    /** The app's max_channels_per_connection as the connection opened: part of the rate's burst. */
    private final int maxChannels;
    private CompletionStage<Void> tail = Async.DONE;
    /** Made at the first change the client asks for (most sockets make few). */
    private ChangeGate gate;

    ChangeQueue(Peer peer, ChangeGate.Budget budget, LongSupplier clock, int maxChannels) {
        this.peer = peer;
        this.budget = budget;
        this.clock = clock;
        this.maxChannels = maxChannels;
    }

    /** Queues a state change behind the previous ones; runs it at once when none is pending. */
    CompletableFuture<Void> serially(Supplier<CompletionStage<?>> change) {
        // The new tail is in place before the change runs, so a change asked for from inside it (a close the
        // change itself caused) queues behind it rather than running first.
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletionStage<Void> previous = tail;
        tail = next;
        Async.then(peer.executor(), previous, x -> change.get()).whenComplete((v, e) -> next.complete(null));
        return next;
    }

    /** A change the client asked for: counted by the gate while it waits (back-pressure), then queued. */
    void clientChange(Supplier<CompletionStage<?>> change) {
        ChangeGate g = gate();
        g.queued(peer);
        CompletableFuture<Void> queued = serially(change);
        if (queued.isDone()) {
            g.done(peer); // one node: complete at once, never waits
        } else {
            queued.whenCompleteAsync((v, e) -> g.done(peer), peer.executor());
        }
    }

    /** Whether a frame must be refused unread: the connection already holds the most changes it may. */
    boolean full() {
        return gate != null && gate.full();
    }

    /** Takes a subscribe or unsubscribe from max_subscription_changes_per_second; false when the rate is spent. */
    boolean tryChange() {
        return gate().tryChange(clock.getAsLong(), ChangeGate.burst(budget.changesPerSecond(), maxChannels));
    }

    int changesPerSecond() {
        return budget.changesPerSecond();
    }

    private ChangeGate gate() {
        if (gate == null) {
            gate = new ChangeGate(budget, ChangeGate.burst(budget.changesPerSecond(), maxChannels), clock.getAsLong());
        }
        return gate;
    }
}
