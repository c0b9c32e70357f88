package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;

import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.PresenceBurst;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent joins across three nodes on one Redis (issue 20): bursts of clients spread over the nodes subscribe to
 * one presence channel at the same moment, with leaves and returning users mixed in; every client's roster is a set
 * at every moment and ends true, checked over every frame of the run.
 */
class ClusterPresenceOrderTest {
    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private List<Integer> ports() {
        return cluster.nodes().stream().map(n -> n.port()).toList();
    }

    @Test
    void burstsWithLeavesAndReturningUsersOverThreeNodesKeepEveryRosterASetThatEndsTrue() {
        String channel = uniqueChannel("presence-churn");
        try (PresenceBurst burst = new PresenceBurst(ClusterExtension.APP_KEY, cluster.auth(), ports(), channel)) {
            burst.run(8, 6, true);
        }
    }
}
