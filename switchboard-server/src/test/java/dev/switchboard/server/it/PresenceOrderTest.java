package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;

import dev.switchboard.server.testing.PresenceBurst;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent joins on one node without Redis (issue 20): clients subscribing to one presence channel at the same
 * moment never get a member_added for a member already in their own roster, nor a membership event before it,
 * and every roster ends true. Checked over every frame of the run by {@code PresenceHistory}.
 */
class PresenceOrderTest {
    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    @Test
    void concurrentSubscribeBurstsNeverRepeatAMemberTheRosterHolds() {
        try (PresenceBurst burst = new PresenceBurst(server.app().key(), server.auth(), List.of(server.port()),
                uniqueChannel("presence-burst"))) {
            burst.run(8, 4, false);
        }
    }

    @Test
    void burstsWithLeavesAndReturningUsersKeepEveryRosterASetThatEndsTrue() {
        try (PresenceBurst burst = new PresenceBurst(server.app().key(), server.auth(), List.of(server.port()),
                uniqueChannel("presence-churn")) ) {
            burst.run(10, 6, true);
        }
    }
}
