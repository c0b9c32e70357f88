package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;

import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.WebhookChurn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks once per cluster (issue 20): users leave a presence channel (and sign out) on one node and come back on
 * another, inside the leave delay and after it; the receiver's member, user and channel webhooks alternate and end
 * true. A leave held on one node is cancelled by a return decided on another (docs/webhooks.md).
 */
class ClusterWebhookOrderTest {
    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    @Test
    void leavesAndReturnsAcrossNodesGiveAlternatingWebhooksThatEndTrue() {
        try (WebhookChurn churn = new WebhookChurn(ClusterExtension.APP_KEY, cluster.auth(),
                cluster.nodes().stream().map(n -> n.port()).toList(), cluster.webhooks(),
                uniqueChannel("presence-hooks"), 3)) {
            churn.run(6, 3);
        }
    }
}
