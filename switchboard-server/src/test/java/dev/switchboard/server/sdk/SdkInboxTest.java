package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sdk.Inbox;
import dev.switchboard.sdk.UserData;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.testing.Apps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user inbox through the Java SDK against the real server: read, hand-over at sign-in, clear, erase. */
class SdkInboxTest extends SdkServer {

    @Override
    AppConfig app() {
        return Apps.with(Map.of("id", APP_ID, "key", KEY, "secret", SECRET, "userInboxTtlSeconds", 300));
    }

    @Test
    void keptWhileOfflineReadByTheSdkThenHandedOverAtSignIn() {
        client.sendToUser("ann", "order", Map.of("status", "cooking"));
        client.sendToUser("ann", "order", Map.of("status", "on its way"));
        Inbox inbox = client.getInbox("ann", true);
        assertThat(inbox.count()).isEqualTo(2);
        assertThat(inbox.events()).extracting(Inbox.Event::data)
                .containsExactly("{\"status\":\"cooking\"}", "{\"status\":\"on its way\"}");
        assertThat(inbox.oldestMillis()).isLessThanOrEqualTo(inbox.newestMillis());
        assertThat(client.getInbox("ann", false).events()).isEmpty();
        assertThat(client.getUser("ann").orElseThrow().inboxCount()).isEqualTo(2);

        RawSocket s = signedIn(UserData.of("ann"));
        RawSocket.assertEventData(s.awaitEvent("#server-to-user-ann", "order"), "{\"status\":\"cooking\"}");
        assertThat(client.getInbox("ann", false).count()).isZero();
    }

    @Test
    void clearAndDeleteLeaveNothing() {
        client.sendToUser("bob", "x", "1");
        assertThat(client.clearInbox("bob")).isEqualTo(1);
        assertThat(client.getInbox("bob", false).count()).isZero();
        client.sendToUser("bob", "x", "2");
        assertThat(client.deleteUser("bob").inboxEventsErased()).isEqualTo(1);
        assertThat(client.getUser("bob")).isEmpty();
    }
}
