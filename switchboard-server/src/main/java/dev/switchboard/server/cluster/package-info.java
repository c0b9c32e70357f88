/**
 * Implementations of the engine's cluster seam ({@link dev.switchboard.server.engine.Broker},
 * {@link dev.switchboard.server.engine.SharedState}, {@link dev.switchboard.server.engine.ClusterNode}), bundled
 * as a {@link dev.switchboard.server.cluster.Cluster}: the local one-node case here, the Redis one in
 * {@code cluster.redis}. The engine never asks whether it is alone.
 */
package dev.switchboard.server.cluster;
