/**
 * The cluster seam on Redis (Lettuce): {@link dev.switchboard.server.cluster.redis.RedisBroker} (pub/sub routed by
 * interest, frames crossing already encoded), the state ports, each implemented directly and each transition decided
 * by one Lua script on one slot (channels and presence: {@link dev.switchboard.server.cluster.redis.RedisChannels};
 * users online and watchlists: {@link dev.switchboard.server.cluster.redis.RedisUsers}; inboxes:
 * {@link dev.switchboard.server.cluster.redis.RedisInboxes}; the user data API:
 * {@link dev.switchboard.server.cluster.redis.RedisUserData}; the connection quota:
 * {@link dev.switchboard.server.cluster.redis.RedisQuota}; the end of held leaves:
 * {@link dev.switchboard.server.cluster.redis.RedisHeldLeaves}; channel resume's windows and places:
 * {@link dev.switchboard.server.cluster.redis.RedisChannelWindows}, with
 * {@link dev.switchboard.server.cluster.redis.PlaceWaits} for a hold that waits on a node maybe killed and
 * {@link dev.switchboard.server.cluster.redis.NodePlaces} for the places a dead node leaves; wired in
 * {@link dev.switchboard.server.cluster.redis.RedisState}), per-node shares written through
 * {@link dev.switchboard.server.cluster.redis.NodeShare} with a local
 * {@link dev.switchboard.server.cluster.redis.NodeMirror} for write-back and for deciding alone while Redis is away,
 * node leases ({@link dev.switchboard.server.cluster.redis.NodeLeases}) and the fence of a node the cluster declared
 * dead ({@link dev.switchboard.server.cluster.redis.NodeFence}: what it delivers meanwhile;
 * {@link dev.switchboard.server.cluster.redis.NodeRejoin}: how it comes back), bundled as
 * {@link dev.switchboard.server.cluster.redis.RedisCluster}, which also hands out the webhook queue
 * ({@link dev.switchboard.server.cluster.redis.RedisWebhookQueue}: a stream per target, a dead node's batches claimed
 * by the others). The data model and the failure semantics are in docs/cluster.md.
 */
package dev.switchboard.server.cluster.redis;
