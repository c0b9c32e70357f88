package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.ConnectionQuota} must do, run against each implementation
 * ({@link StateContract}): an app's connection quota counts every node.
 */
public abstract class ConnectionQuotaContract extends StateContract {

    @Test
    void connectionQuotaCountsEveryNode() {
        assertThat(await(a.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(b.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(a.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(b.quota().reserveConnection(APP, 3))).isFalse();
        a.quota().releaseConnection(APP);
        eventually().until(() -> await(b.quota().reserveConnection(APP, 3)));
        assertThat(await(a.quota().reserveConnection(APP, 3))).isFalse();
        assertThat(await(a.quota().reserveConnection(APP, -1))).isTrue();
    }
}
