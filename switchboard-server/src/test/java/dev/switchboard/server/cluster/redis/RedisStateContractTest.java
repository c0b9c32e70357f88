package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.BansContract;
import dev.switchboard.server.cluster.ChannelWindowsContract;
import dev.switchboard.server.cluster.ChannelStateContract;
import dev.switchboard.server.cluster.ConnectionQuotaContract;
import dev.switchboard.server.cluster.HeldLeavesContract;
import dev.switchboard.server.cluster.InboxesContract;
import dev.switchboard.server.cluster.OnlineUsersContract;
import dev.switchboard.server.cluster.UserDataContract;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The state ports' contracts on two Redis nodes sharing one real redis-server. */
class RedisStateContractTest {
    private static RedisServer redis;
    private final RedisNodes nodes = new RedisNodes();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.command("FLUSHALL");
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    /**
     * The default heartbeat (and its 2 s command timeout): nothing here tests liveness (RedisFailureTest does), and a
     * busy machine must not turn a slow reply into an outage mid-test.
     */
    private SharedState node() {
        return nodes.start(redis.url(), 1000, 5000).state();
    }

    @Nested
    class ChannelStatePort extends ChannelStateContract {
        @Override
        protected void startNodes() {
            use(node(), node());
        }

        @Test
        void aLostScriptCacheIsRefilledBeforeItCanReorderCommands() {
            redis.command("SCRIPT", "FLUSH");
            // The first script after the flush comes back NOSCRIPT and is re-sent: the node then reloads every script
            // and writes its share back at the next heartbeat.
            await(a.channels().join(APP, "private-x", null, null, 100));
            String[] exists = new String[Script.values().length + 2];
            exists[0] = "SCRIPT";
            exists[1] = "EXISTS";
            for (Script s : Script.values()) {
                exists[s.ordinal() + 2] = s.sha;
            }
            eventually().until(() -> !redis.command(exists).contains(":0"));
            assertThat(await(b.channels().channel(APP, "private-x")).subscriptionCount()).isEqualTo(1);
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

        @Test
        void erasingAUserLeavesNoInboxKeyInRedis() {
            long now = System.currentTimeMillis();
            await(a.inboxes().keepIfOffline(APP, "gone", new Inboxes.KeptEvent("e", "d", now, now + 60_000), 10));
            assertThat(redis.command("KEYS", "*inbox*")).contains("gone");
            await(b.userData().eraseUser(APP, "gone"));
            assertThat(redis.command("KEYS", "*gone*")).isEmpty();
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
            nodeA = nodes.start(redis.url(), 200, 2000);
            use(nodeA.state(), nodes.start(redis.url(), 200, 2000).state());
        }

        @Override
        protected void crashA() {
            nodeA.crash();
        }
    }
}
