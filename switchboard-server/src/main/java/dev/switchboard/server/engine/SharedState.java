package dev.switchboard.server.engine;

/**
 * The state half of the cluster seam, as the ports the engine uses: every fact that decides a cluster-visible
 * transition (first subscriber and last leaver of a channel, first and last connection of a presence member and of
 * a user, the connection quota) and what the HTTP API reads. Each transition is decided by its port, atomically,
 * once per cluster; the engine turns the decisions it gets back into events, webhooks and counts, so each of those
 * happens once. This bundle only hands the ports out and starts and stops them together.
 *
 * <p>Counts are per node underneath: each node reports only its own sockets, so a node that dies or loses its
 * store can be taken out (or written back) without asking anyone. Writes ({@code join}, {@code leave},
 * {@code signIn}, {@code signOut}, {@code reserveConnection}, {@code releaseConnection}) never fail: when the
 * shared store is unreachable an implementation decides from this node's own state and writes it back later.
 * Queries may fail (the HTTP API answers 503 then). Stages may complete on any thread.
 */
public interface SharedState extends AutoCloseable {

    /** Called once, before any port is used, with where transitions decided outside a call go (a dead node). */
    void start(Transitions transitions);

    ChannelState channels();

    OnlineUsers users();

    UserData userData();

    Inboxes inboxes();

    ConnectionQuota quota();

    HeldLeaves heldLeaves();

    Bans bans();

    ChannelWindows windows();

    @Override
    void close();

    /**
     * Transitions decided outside a call of this node, e.g. when another node's lease expired and this node removed
     * its sockets. The engine emits the same events, webhooks and counts as for its own leaves.
     */
    interface Transitions {
        /** A member removed outside the membership order; nobody was told yet. */
        void memberRemoved(String appId, String channel, String userId);

        /**
         * A member removed at {@code position} in the channel's membership order, already published by the state to
         * every node, this one included (its broker delivers it to its sockets in the channel's order): this node
         * tells the webhooks.
         */
        default void memberRemoved(String appId, String channel, String userId, long position) {
            memberRemoved(appId, channel, userId);
        }

        void channelVacated(String appId, String channel);

        void subscriptionCountChanged(String appId, String channel, int count);

        void userOffline(String appId, String userId);

        /**
         * A user gone offline at {@code position} in its own order, already announced by the state to its watchers on
         * every node, this one included: this node tells the webhooks.
         */
        default void userOffline(String appId, String userId, long position) {
            userOffline(appId, userId);
        }

        /**
         * The cluster declared this node dead while it was cut off, and told everyone its members left: every
         * local connection is closed with 4200, so that its client reconnects at once and rejoins through the
         * normal path (and everyone is told it is back) instead of keeping rosters the cluster no longer agrees with.
         */
        void reconnectAll();
    }
}
