package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Classification by anchored prefix (PROTOCOL.md §2.1) and the name rules of §2.2. */
class ChannelNameTest {

    @ParameterizedTest(name = "{0} -> {1}, cache={2}")
    @CsvSource({
            "my-channel, PUBLIC, false",
            "cache-x, PUBLIC, true",
            "private-x, PRIVATE, false",
            "private-cache-x, PRIVATE, true",
            "private-encrypted-x, PRIVATE_ENCRYPTED, false",
            "private-encrypted-cache-x, PRIVATE_ENCRYPTED, true",
            "presence-x, PRESENCE, false",
            "presence-cache-x, PRESENCE, true",
            "#server-to-user-42, SERVER_TO_USER, false",
            // Prefixes are anchored: look-alikes are ordinary public channels.
            "xprivate-a, PUBLIC, false",
            "xpresence-a, PUBLIC, false",
            "public-cache-x, PUBLIC, false",
            "my-private-encrypted-x, PUBLIC, false",
            "private, PUBLIC, false",
            "presence, PUBLIC, false",
            "cache, PUBLIC, false",
            // 'cache-' after the type prefix only; a 'cache-' elsewhere is not a cache channel.
            "private-x-cache-y, PRIVATE, false",
            "presence-cached, PRESENCE, false",
            "private-encrypted-cachex, PRIVATE_ENCRYPTED, false",
            "cache-private-x, PUBLIC, true",
            "server-to-user-42, PUBLIC, false",
    })
    void classifiesByAnchoredPrefix(String name, ChannelType type, boolean cache) {
        ChannelName channel = ChannelName.of(name);
        assertThat(channel.value()).isEqualTo(name);
        assertThat(channel.type()).isEqualTo(type);
        assertThat(channel.cache()).isEqualTo(cache);
        assertThat(channel.toString()).isEqualTo(name);
    }

    @Test
    void serverToUserChannelExposesItsUserId() {
        assertThat(ChannelName.of("#server-to-user-42").serverToUserId()).isEqualTo("42");
        assertThat(ChannelName.of("#server-to-user-a@b.c").serverToUserId()).isEqualTo("a@b.c");
        assertThat(ChannelName.of("private-42").serverToUserId()).isNull();
    }

    @Test
    void onlyPresenceTypesArePresence() {
        assertThat(ChannelName.of("presence-a").isPresence()).isTrue();
        assertThat(ChannelName.of("presence-cache-a").isPresence()).isTrue();
        assertThat(ChannelName.of("private-a").isPresence()).isFalse();
        assertThat(ChannelName.of("xpresence-a").isPresence()).isFalse();
    }

    @Test
    void authAndClientEventRulesPerType() {
        assertThat(ChannelType.PUBLIC.requiresAuth()).isFalse();
        assertThat(ChannelType.SERVER_TO_USER.requiresAuth()).isFalse();
        assertThat(ChannelType.PRIVATE.requiresAuth()).isTrue();
        assertThat(ChannelType.PRIVATE_ENCRYPTED.requiresAuth()).isTrue();
        assertThat(ChannelType.PRESENCE.requiresAuth()).isTrue();

        assertThat(ChannelType.PUBLIC.allowsClientEvents()).isFalse();
        assertThat(ChannelType.SERVER_TO_USER.allowsClientEvents()).isFalse();
        assertThat(ChannelType.PRIVATE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PRESENCE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PRIVATE_ENCRYPTED.allowsClientEvents()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "my-channel", "private-A_z0-9=@,.;", "presence-room.1", "cache-x",
            "private-encrypted-cache-x", "#server-to-user-42", "#server-to-user-a_b-c=d@e,f.g;h"})
    void acceptsNamesOfTheAllowedAlphabet(String name) {
        assertThat(ChannelName.problem(name, 164)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"my channel", "private-a#b", "#other", "#server-to-user", "a/b", "a:b",
            "ü", "a\nb", "private-a*", "a+b", "a!", "a'b", "a\"b", "#server-to-user-", "#server-to-user-a b",
            "#server-to-user-a#b"})
    void rejectsNamesOutsideTheAllowedAlphabet(String name) {
        assertThat(ChannelName.problem(name, 164)).isNotNull();
    }

    @Test
    void rejectsMissingNames() {
        assertThat(ChannelName.problem(null, 164)).isNotNull();
        assertThat(ChannelName.problem("", 164)).isNotNull();
    }

    @Test
    void hashIsOnlyAllowedAsTheServerToUserPrefix() {
        assertThat(ChannelName.problem("#server-to-user-1", 164)).isNull();
        assertThat(ChannelName.problem("x#server-to-user-1", 164)).isNotNull();
        assertThat(ChannelName.problem("#private-x", 164)).isNotNull();
        assertThat(ChannelName.problem("#", 164)).isNotNull();
    }

    @Test
    void lengthLimitIncludesThePrefix() {
        String atLimit = "private-" + "a".repeat(164 - "private-".length());
        assertThat(atLimit).hasSize(164);
        assertThat(ChannelName.problem(atLimit, 164)).isNull();
        assertThat(ChannelName.problem(atLimit + "a", 164)).isNotNull().contains("164");
        assertThat(ChannelName.problem(atLimit + "a", 200)).isNull();
    }

    @Test
    void userIdsFollowTheChannelAlphabet() {
        assertThat(ChannelName.isValidUserId("42")).isTrue();
        assertThat(ChannelName.isValidUserId("a-b_c=d@e,f.g;h")).isTrue();
        assertThat(ChannelName.isValidUserId(null)).isFalse();
        assertThat(ChannelName.isValidUserId("")).isFalse();
        assertThat(ChannelName.isValidUserId("a b")).isFalse();
        assertThat(ChannelName.isValidUserId("a#b")).isFalse();
        assertThat(ChannelName.isValidUserId("a".repeat(200))).isTrue();
        assertThat(ChannelName.isValidUserId("a".repeat(201))).isFalse();
    }
}
