/**
 * The cluster seam on Redis (Lettuce): {@link dev.switchboard.server.cluster.redis.RedisBroker} (pub/sub routed by
 * interest, frames crossing already encoded), {@link dev.switchboard.server.cluster.redis.RedisState} (the shared
 * state, every transition decided by one Lua script on one slot: channels and presence in
 * {@link dev.switchboard.server.cluster.redis.RedisChannels}, users, inboxes and watchlists in
 * {@link dev.switchboard.server.cluster.redis.RedisUsers}), per-node shares written through
 * {@link dev.switchboard.server.cluster.redis.NodeShare} with a local
 * {@link dev.switchboard.server.cluster.redis.NodeMirror} for write-back and for deciding alone while Redis is away,
 * node leases ({@link dev.switchboard.server.cluster.redis.NodeLeases}) and the fence of a node the cluster declared
 * dead ({@link dev.switchboard.server.cluster.redis.NodeFence}: what it delivers meanwhile;
 * {@link dev.switchboard.server.cluster.redis.NodeRejoin}: how it comes back), bundled as
 * {@link dev.switchboard.server.cluster.redis.RedisCluster}, which also hands out the webhook queue
 * ({@link dev.switchboard.server.cluster.redis.RedisWebhookQueue}: a stream per target, a dead node's batches claimed
 * by the others). The data model and the failure semantics are in
 * docs/cluster.md.
 */
package dev.switchboard.server.cluster.redis;
