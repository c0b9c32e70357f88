package dev.switchboard.server.engine;

/**
 * A connection as the local indexes and the protocol flows see it: where its frames go, and whether a membership
 * event is news to it. {@link Connection} is the one implementation; the indexes ({@link Channel},
 * {@link UserRegistry}) and the flows name this instead, so that none of them depends on the connection's state or
 * its dispatcher, and the connection can use them without a cycle.
 */
interface Recipient {

    String socketId();

    Peer peer();

    /**
     * A member_added or member_removed of {@code channel}, on the socket's loop; true when written (the lane
     * flushes), false when it is not news to this socket or is held until its roster is sent.
     */
    boolean membership(String channel, Frame frame);

    /**
     * A channel event of {@code channel} with its place in the channel's window ({@link Frame#sequence}), on the
     * socket's loop; true when written. A socket that resumes the channel holds it until its replay is written.
     */
    boolean sequenced(String channel, Frame frame);

    /** Closes the socket with 4009 from any thread (terminate, data deletion). */
    void terminate(String message);

    /** Closes the socket with 4200 from any thread, so that its client reconnects at once (the reconnect endpoint). */
    void reconnect(String message);
}
