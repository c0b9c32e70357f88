package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.cluster.BansContract;
import dev.switchboard.server.cluster.ChannelWindowsContract;
import dev.switchboard.server.cluster.ChannelStateContract;
import dev.switchboard.server.cluster.ConnectionQuotaContract;
import dev.switchboard.server.cluster.HeldLeavesContract;
import dev.switchboard.server.cluster.InboxesContract;
import dev.switchboard.server.cluster.OnlineUsersContract;
import dev.switchboard.server.cluster.UserDataContract;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.testing.RedisClusterServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The state ports' contracts on two nodes sharing one real Redis Cluster (three masters, three replicas): every
 * script must find its keys in one slot (Redis refuses CROSSSLOT; the link refuses it before sending) and every
 * plain command must reach its slot's master.
 */
class RedisClusterStateContractTest {
    private static RedisClusterServer redis;
    private final RedisNodes nodes = new RedisNodes();

    @BeforeAll
    static void startRedis() {
        redis = RedisClusterServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    /**
     * The default heartbeat (and its 2 s command timeout): liveness is RedisClusterFailoverTest's, and a busy machine
     * must not turn a slow reply into an outage mid-test.
     */
    private SharedState node() {
        return nodes.start(redis, 1000, 5000).state();
    }

    @Nested
    class ChannelStatePort extends ChannelStateContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class OnlineUsersPort extends OnlineUsersContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class UserDataPort extends UserDataContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class InboxesPort extends InboxesContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class ConnectionQuotaPort extends ConnectionQuotaContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class HeldLeavesPort extends HeldLeavesContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class BansPort extends BansContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }
    }

    @Nested
    class ChannelWindowsPort extends ChannelWindowsContract {
        private RedisCluster nodeA;

        /** A short lease: the tests with a killed node wait for its cleanup. */
        @Override
        protected void startNodes() {
            nodeA = nodes.start(redis, 200, 2000);
            use(nodeA.state(), nodes.start(redis, 200, 2000).state());
        }

        @Override
        protected void crashA() {
            nodeA.crash();
        }
    }
}
