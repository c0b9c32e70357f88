package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.Apps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The user inbox on one node: kept while offline, handed over once at the next sign-in, in order. */
class InboxTest {
    private static final String ANN = "{\"id\":\"ann\"}";

    private static String userEvent(String event, String data) {
        return "{\"event\":\"" + event + "\",\"channel\":\"#server-to-user-ann\",\"data\":\"" + data + "\"}";
    }

    @Test
    void offlineEventsArriveInOrderRightAfterSigninSuccessAndOnlyOnce() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("userInboxTtlSeconds", 60)))) {
            for (int i = 1; i <= 3; i++) {
                f.appEngine().trigger("#server-to-user-ann", "status", "s" + i, null);
            }
            Inboxes.Inbox inbox = EngineFixture.now(f.appEngine().inbox("ann", true));
            assertThat(inbox.count()).isEqualTo(3);
            assertThat(inbox.events()).extracting(Inboxes.KeptEvent::data).containsExactly("s1", "s2", "s3");
            assertThat(EngineFixture.now(f.appEngine().user("ann")).inboxCount()).isEqualTo(3);

            EngineFixture.Client first = f.connect();
            first.signin(ANN);
            first.awaitFrame(userEvent("status", "s3"));
            List<String> frames = first.peer.frames;
            int success = indexOf(frames, "pusher:signin_success");
            assertThat(frames.subList(success + 1, success + 4))
                    .containsExactly(userEvent("status", "s1"), userEvent("status", "s2"), userEvent("status", "s3"));
            assertThat(EngineFixture.now(f.appEngine().inbox("ann", false)).count()).isZero();

            // Online now: a send goes live, nothing is kept, and a second connection gets no replay.
            f.appEngine().trigger("#server-to-user-ann", "status", "live", null);
            first.awaitFrame(userEvent("status", "live"));
            EngineFixture.Client second = f.connect();
            second.signin(ANN);
            second.awaitFrame("signin_success");
            second.drain();
            assertThat(second.peer.received("\"status\"")).isFalse();
            assertThat(first.peer.count("\"s1\"")).isEqualTo(1);
            assertThat(EngineFixture.now(f.appEngine().inbox("ann", false)).count()).isZero();
        }
    }

    @Test
    void expiredEventsAreNotDeliveredAndTheOldestIsDroppedPastTheLimit() {
        AtomicLong now = new AtomicLong(1_000_000);
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("userInboxTtlSeconds", 10, "userInboxMaxEvents", 2)),
                now::get)) {
            f.appEngine().trigger("#server-to-user-ann", "old", "o", null);
            now.addAndGet(11_000);
            f.appEngine().trigger("#server-to-user-ann", "a", "1", null);
            f.appEngine().trigger("#server-to-user-ann", "b", "2", null);
            f.appEngine().trigger("#server-to-user-ann", "c", "3", null);
            Inboxes.Inbox inbox = EngineFixture.now(f.appEngine().inbox("ann", true));
            assertThat(inbox.events()).extracting(Inboxes.KeptEvent::event).containsExactly("b", "c");
            assertThat(inbox.oldestMillis()).isEqualTo(1_011_000L);

            EngineFixture.Client c = f.connect();
            c.signin(ANN);
            c.awaitFrame(userEvent("c", "3"));
            assertThat(c.peer.received("\"old\"")).isFalse();
            assertThat(c.peer.received("\"a\"")).isFalse();
        }
    }

    @Test
    void offByDefaultKeepsNothing() {
        try (EngineFixture f = new EngineFixture()) {
            f.appEngine().trigger("#server-to-user-ann", "status", "s1", null);
            assertThat(EngineFixture.now(f.appEngine().inbox("ann", false)).count()).isZero();
            EngineFixture.Client c = f.connect();
            c.signin(ANN);
            c.awaitFrame("signin_success");
            c.drain();
            assertThat(c.peer.received("\"status\"")).isFalse();
        }
    }

    @Test
    void clearingAndErasingLeaveNoInbox() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("userInboxTtlSeconds", 60)))) {
            f.appEngine().trigger("#server-to-user-ann", "a", "1", null);
            f.appEngine().trigger("#server-to-user-bob", "b", "2", null);
            f.appEngine().trigger("#server-to-user-bob", "b", "3", null);
            assertThat(EngineFixture.now(f.appEngine().clearInbox("ann"))).isEqualTo(1);
            assertThat(EngineFixture.now(f.appEngine().inbox("ann", false)).count()).isZero();
            UserErasure erased = EngineFixture.now(f.appEngine().deleteUser("bob"));
            assertThat(erased.inboxEventsErased()).isEqualTo(2);
            assertThat(erased.connectionsClosed()).isZero();
            assertThat(EngineFixture.now(f.appEngine().inbox("bob", false)).count()).isZero();
            assertThat(EngineFixture.now(f.appEngine().user("bob"))).isNull();
        }
    }

    private static int indexOf(List<String> frames, String fragment) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no frame with " + fragment + " in " + frames);
    }
}
