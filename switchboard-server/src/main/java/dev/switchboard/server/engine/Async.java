package dev.switchboard.server.engine;

import dev.switchboard.server.logging.RateLimitedLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuing on a socket's event loop after the shared state answered. On one node every stage is already
 * complete, so the continuation runs inline and the one-node path costs no extra task; a clustered node's stage
 * completes on a Redis thread and the continuation hops back to the loop, where the connection's state lives.
 */
final class Async {
    private static final Logger log = LoggerFactory.getLogger(Async.class);
    /** Continuations run per subscribe and per sign-in: one bug must not log once per client. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private Async() {}

    /** The failure itself, out of the {@link java.util.concurrent.CompletionException} a dependent stage wraps it in. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Runs {@code then} with the stage's value on {@code loop} (inline when already complete; the caller is on the
     * loop) and returns a stage that completes after it and after whatever stage it returns. A failure is logged,
     * never thrown at the caller: the state port's writes do not fail, so one here is a bug to see, not to spread.
     */
    static <T> CompletionStage<Void> then(Executor loop, CompletionStage<T> stage,
                                          Function<T, CompletionStage<?>> then) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return run(then, f.join());
        }
        return f.handleAsync((value, failure) -> {
            if (failure != null) {
                limitedLog.error("call-failed", "Shared state call failed", failure);
                return DONE;
            }
            return run(then, value);
        }, orInline(loop)).thenCompose(Function.identity());
    }

    /**
     * The loop, or the answering thread once the loop has stopped (shutdown): nothing else touches the
     * connection any more, and a decision already made in the shared state must still send its events.
     */
    private static Executor orInline(Executor loop) {
        return task -> {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException stopped) {
                task.run();
            }
        };
    }

    private static <T> CompletionStage<Void> run(Function<T, CompletionStage<?>> then, T value) {
        try {
            CompletionStage<?> next = then.apply(value);
            return next == null ? DONE : next.handle((v, e) -> {
                if (e != null) {
                    limitedLog.error("continuation-failed", "Shared state continuation failed", e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            limitedLog.error("continuation-failed", "Shared state continuation failed", e);
            return DONE;
        }
    }
}
