package dev.switchboard.server.webhooks;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.AppAuth;
import dev.switchboard.server.testing.SwitchboardExtension;
import dev.switchboard.server.testing.WebhookChurn;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Webhooks on one node follow the same rule as on a cluster (issue 20): a leave is held in the shared state and
 * confirmed at the end of the leave delay; a return inside it cancels it. Users leave and come back fast and slowly;
 * the webhooks alternate and end true.
 */
class WebhookOrderTest {

    @Test
    void leavesAndReturnsOnOneNodeGiveAlternatingWebhooksThatEndTrue() throws Exception {
        try (Receiver receiver = new Receiver()) {
            AppConfig app = AppConfig.defaults(SwitchboardExtension.APP_ID, SwitchboardExtension.APP_KEY,
                    SwitchboardExtension.APP_SECRET).withWebhooks(List.of(Knobs.hook(receiver.url())));
            ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", 0)
                    .with("webhook_leave_delay_millis", 300).with("webhook_batch_millis", 50).withApps(List.of(app));
            AppAuth auth = new AppAuth(app.id(), app.key(), app.secret(), SwitchboardExtension.ENCRYPTION_MASTER_KEY);
            try (Switchboard node = Switchboard.start(config);
                 WebhookChurn churn = new WebhookChurn(app.key(), auth, List.of(node.port()), receiver,
                         "presence-hooks-one", 3)) {
                churn.run(6, 3);
            }
        }
    }
}
