package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.config.AppConfig;
import org.junit.jupiter.api.Test;

/** The one place every client signature is checked: verdicts and wording, without a connection. */
class AuthorizerTest {
    private static final AppConfig APP = AppConfig.defaults("app-id", "app-key", "app-secret");
    private static final String SOCKET = "123.456";

    @Test
    void aSubscriptionSignedByTheAppPassesAndAnyOtherIsRefusedSayingWhy() {
        ChannelName channel = ChannelName.of("private-room");
        String good = Signatures.auth("app-key", "app-secret", Signatures.channelString(SOCKET, "private-room"));
        assertThat(Authorizer.subscription(APP, SOCKET, channel, good, null)).isNull();

        assertThat(Authorizer.subscription(APP, SOCKET, channel, "no-colon", null))
                .isEqualTo("Auth value for subscription to " + Names.quote("private-room")
                        + " is invalid: should be of format 'key:signature'");
        assertThat(Authorizer.subscription(APP, SOCKET, channel, "other-key:" + "0".repeat(64), null))
                .isEqualTo("Invalid key in subscription auth to " + Names.quote("private-room") + ": "
                        + Names.quote("other-key"));
        assertThat(Authorizer.subscription(APP, "999.1", channel, good, null))
                .isEqualTo("Invalid signature: Expected HMAC SHA256 hex digest of " + Names.quote("999.1:private-room")
                        + ", but got " + Names.quote(good.substring(good.indexOf(':') + 1)));
    }

    @Test
    void aPresenceSubscriptionSignsItsChannelDataWhenItHasSome() {
        ChannelName channel = ChannelName.of("presence-room");
        String data = "{\"user_id\":\"ann\"}";
        String withData = Signatures.auth("app-key", "app-secret", Signatures.presenceString(SOCKET, "presence-room", data));
        String withoutData = Signatures.auth("app-key", "app-secret", Signatures.channelString(SOCKET, "presence-room"));
        assertThat(Authorizer.subscription(APP, SOCKET, channel, withData, data)).isNull();
        assertThat(Authorizer.subscription(APP, SOCKET, channel, withoutData, null)).isNull();
        assertThat(Authorizer.subscription(APP, SOCKET, channel, withoutData, data)).startsWith("Invalid signature");
    }

    @Test
    void aSignInSignedByTheAppPassesAndAnyOtherIsRefusedSayingWhy() {
        String userData = "{\"id\":\"ann\"}";
        String good = Signatures.auth("app-key", "app-secret", Signatures.userString(SOCKET, userData));
        assertThat(Authorizer.signIn(APP, SOCKET, good, userData)).isNull();

        assertThat(Authorizer.signIn(APP, SOCKET, "nope", userData))
                .isEqualTo("Invalid format: auth must have the format key:signature");
        assertThat(Authorizer.signIn(APP, SOCKET, "other-key:" + "0".repeat(64), userData))
                .isEqualTo("Invalid key in sign-in auth: " + Names.quote("other-key"));
        assertThat(Authorizer.signIn(APP, SOCKET, good, "{\"id\":\"bob\"}"))
                .startsWith("Invalid signature: Expected HMAC SHA256 hex digest of "
                        + Names.quote(Signatures.userString(SOCKET, "{\"id\":\"bob\"}"), Authorizer.SIGNED_STRING_QUOTE_LIMIT));
    }

    @Test
    void anInvalidSignatureQuotesAtMostItsLimitsOfWhatTheClientSent() {
        String huge = "x".repeat(5000);
        String message = Authorizer.signIn(APP, SOCKET, "app-key:" + "f".repeat(64), huge);
        assertThat(message).startsWith("Invalid signature: Expected HMAC SHA256 hex digest of ");
        assertThat(message.length()).isLessThan(Authorizer.SIGNED_STRING_QUOTE_LIMIT + Authorizer.SIGNATURE_QUOTE_LIMIT + 200);
    }
}
