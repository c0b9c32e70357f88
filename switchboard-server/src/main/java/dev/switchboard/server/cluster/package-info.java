/**
 * Implementations of the engine's cluster seam ({@link dev.switchboard.server.engine.Broker}, the state ports of
 * {@link dev.switchboard.server.engine.SharedState}, {@link dev.switchboard.server.engine.ClusterNode}), bundled as a
 * {@link dev.switchboard.server.cluster.Cluster}: the local one-node case here, the Redis one in {@code cluster.redis}.
 * The engine never asks whether it is alone.
 *
 * <p>A node alone: one port per job ({@link dev.switchboard.server.cluster.LocalChannelState},
 * {@link dev.switchboard.server.cluster.LocalOnlineUsers}, {@link dev.switchboard.server.cluster.LocalUserData},
 * {@link dev.switchboard.server.cluster.LocalInboxes}, {@link dev.switchboard.server.cluster.LocalQuota},
 * {@link dev.switchboard.server.cluster.LocalHeldLeaves}; {@link dev.switchboard.server.cluster.LocalChannelWindows}, channel
 * resume, keeps its own windows under one lock per channel), the others all over one
 * {@link dev.switchboard.server.cluster.LocalFacts}, so a decision that spans two ports (a sign-in takes the inbox; a
 * join cancels a held leave) is still one step inside the compute of the channel or user it concerns.
 *
 * <p><b>Which copy of a fact is the truth.</b> One node keeps some facts twice, for two jobs:
 * <ul>
 *   <li>The state (here {@code LocalFacts}; on a cluster Redis) is the truth of every cluster-visible fact: who
 *       subscribes to a channel and how many, the presence members and their order, which users are online with
 *       their connections, user_info, watchlists and channels, the connection quota, inboxes, cache events, held
 *       leaves. Every event, webhook and count is emitted from a state port's answer, never from an engine index.</li>
 *   <li>The engine's indexes ({@code LocalChannels} and {@code Channel}, {@code UserRegistry}, {@code Watchlists},
 *       a connection's {@code PresenceView}) are the truth only of this node's sockets: which of them a publish,
 *       a user's event or a watchlist event reaches, and what roster position a connection holds. They follow the
 *       state's decisions and never decide a transition; a count an engine index gives (the connections of an app
 *       on /metrics) is this node's, not the cluster's.</li>
 *   <li>On Redis a node also keeps a {@code NodeMirror}, the truth of its own share: after an outage Redis is
 *       repaired from it (the write-back), and while Redis is away it decides alone (the node then resigns for any
 *       presence or online change it decided so, docs/cluster.md).</li>
 * </ul>
 */
package dev.switchboard.server.cluster;
