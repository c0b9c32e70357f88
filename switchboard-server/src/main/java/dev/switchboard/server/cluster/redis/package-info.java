/**
 * The cluster seam on Redis (Lettuce): {@link dev.switchboard.server.cluster.redis.RedisBroker} (pub/sub routed by
 * interest, frames crossing already encoded), {@link dev.switchboard.server.cluster.redis.RedisState} (every
 * transition decided by one Lua script on one slot, per-node shares, a local mirror for write-back and for deciding
 * alone while Redis is away), node leases, bundled as {@link dev.switchboard.server.cluster.redis.RedisCluster}.
 * The data model and the failure semantics are in docs/cluster.md.
 */
package dev.switchboard.server.cluster.redis;
