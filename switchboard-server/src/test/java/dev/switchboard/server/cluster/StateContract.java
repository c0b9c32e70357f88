package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.SharedState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the state ports' contracts (one suite per port: {@link ChannelStateContract},
 * {@link OnlineUsersContract}, {@link UserDataContract}, {@link InboxesContract}, {@link ConnectionQuotaContract}, {@link BansContract},
 * {@link HeldLeavesContract}), each run against every implementation: {@code LocalStateContractTest},
 * {@code RedisStateContractTest}, {@code RedisClusterStateContractTest}. Two "nodes" {@link #a} and {@link #b}: two
 * instances sharing one store where the implementation is clustered, the same instance where it is the one-node
 * case — either way each transition must be decided exactly once. A suite reaches the port it is about, and the
 * others where a test needs them to set up or look (a sign-in before a user's snapshot), through the nodes' bundles.
 */
public abstract class StateContract {
    protected static final String APP = "app-1";

    /** Node A's and node B's state (the same object for a one-node implementation), started. */
    protected SharedState a;
    protected SharedState b;
    protected final RecordedTransitions transitionsA = new RecordedTransitions();
    protected final RecordedTransitions transitionsB = new RecordedTransitions();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    /** Makes the implementation's two nodes and hands them to {@link #use}. */
    protected abstract void startNodes();

    /** Node A and node B (the same object for a one-node implementation), each started with its transitions. */
    protected final void use(SharedState nodeA, SharedState nodeB) {
        a = nodeA;
        b = nodeB;
        a.start(transitionsA);
        if (b != a) {
            b.start(transitionsB);
        }
    }

    @BeforeEach
    void startState() {
        startNodes();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the calls concurrently from a pool and waits for all their stages. */
    protected <T> List<T> concurrently(List<Supplier<CompletionStage<T>>> calls) {
        List<CompletableFuture<T>> started = new ArrayList<>();
        for (Supplier<CompletionStage<T>> call : calls) {
            started.add(CompletableFuture.supplyAsync(call, pool).thenCompose(s -> s));
        }
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : started) {
            out.add(await(f));
        }
        return out;
    }
}
