package dev.switchboard.server.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One connection's state changes (subscribe, unsubscribe, sign-in, close), one at a time: each waits for the one
 * before, so their answers from the shared state apply in the order the client asked. On one node each is complete
 * at once and nothing waits. Only touched on the connection's executor ({@code peer}'s). One field: every socket
 * has one, so the peer and the gate are the connection's and come with each call.
 */
final class ChangeQueue {
    private CompletionStage<Void> tail = Async.DONE;

    /** Queues a state change behind the previous ones; runs it at once when none is pending. */
    CompletableFuture<Void> serially(Peer peer, Supplier<CompletionStage<?>> change) {
        // The new tail is in place before the change runs, so a change asked for from inside it (a close the
        // change itself caused) queues behind it rather than running first.
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletionStage<Void> previous = tail;
        tail = next;
        Async.then(peer.executor(), previous, x -> change.get()).whenComplete((v, e) -> next.complete(null));
        return next;
    }

    /** A change the client asked for: counted by the gate while it waits (back-pressure), then queued. */
    void clientChange(Peer peer, ChangeGate gate, Supplier<CompletionStage<?>> change) {
        gate.queued(peer);
        CompletableFuture<Void> queued = serially(peer, change);
        if (queued.isDone()) {
            gate.done(peer); // one node: complete at once, never waits
        } else {
            queued.whenCompleteAsync((v, e) -> gate.done(peer), peer.executor());
        }
    }
}
