package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.RawSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a node's delivery mark costs in Redis (channel resume across kill -9, docs/users.md): one {@code SET} per
 * windowed event per node holding a signed-in subscriber of the channel, none for a node whose subscribers there are
 * anonymous. Counted with {@code INFO commandstats} after {@code CONFIG RESETSTAT}, over {@value #EVENTS} publishes
 * through node 2 to a subscriber on node 1 (the append script's {@code INCR} counts the publishes).
 */
class WindowMarkCostTest {
    private static final int EVENTS = 50;

    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private static final AppConfig APP = AppConfig.defaults(ClusterExtension.APP_ID, ClusterExtension.APP_KEY,
            ClusterExtension.APP_SECRET);

    private static long calls(String stats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The commands Redis ran while {@value #EVENTS} events went to {@code socket} on {@code channel}. */
    private static String publishing(RawSocket socket, String channel) {
        socket.send(ClientFrames.subscribePrivate(APP, socket.socketId(), channel));
        socket.awaitEvent("pusher_internal:subscription_succeeded");
        cluster.http(2).trigger(channel, "order", "first");
        eventually().until(() -> socket.events("order").size() == 1);
        cluster.redis().command("CONFIG", "RESETSTAT");
        for (int i = 0; i < EVENTS; i++) {
            cluster.http(2).trigger(channel, "order", "e" + i);
        }
        eventually().until(() -> socket.events("order").size() == EVENTS + 1);
        return cluster.redis().command("INFO", "commandstats");
    }

    @Test
    void aNodeWithASignedInSubscriberWritesOneMarkPerEvent() {
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("cost");
        String stats = publishing(cluster.rawUser(1, Map.of("id", uniqueChannel("payer"))), channel);
        assertThat(calls(stats, "incr")).isEqualTo(EVENTS);
        assertThat(calls(stats, "set")).isEqualTo(EVENTS);
    }

    @Test
    void aNodeWithOnlyAnonymousSubscribersWritesNone() {
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("cost");
        String stats = publishing(cluster.raw(1), channel);
        assertThat(calls(stats, "incr")).isEqualTo(EVENTS);
        assertThat(calls(stats, "set")).isZero();
    }
}
