package dev.switchboard.protocol;

/** The kind of a channel, decided by its name's prefix (PROTOCOL.md §2.1). */
public enum ChannelType {
    PUBLIC, PRIVATE, PRIVATE_ENCRYPTED, PRESENCE, SERVER_TO_USER;

    /** Private, encrypted and presence channels need a signature to subscribe. */
    public boolean requiresAuth() {
        return this == PRIVATE || this == PRIVATE_ENCRYPTED || this == PRESENCE;
    }

    /**
     * Client events are relayed on private and presence channels (and their cache kinds), not on encrypted ones: a
     * client cannot encrypt for them (PROTOCOL.md §8), so whatever it sends there is junk to every member.
     */
    public boolean allowsClientEvents() {
        return this == PRIVATE || this == PRESENCE;
    }
}
