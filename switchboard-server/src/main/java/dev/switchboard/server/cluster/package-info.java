/**
 * The single seam between one node and a cluster ({@link dev.switchboard.server.cluster.Adapter}) and its
 * implementations. The engine never asks whether it is alone.
 */
package dev.switchboard.server.cluster;
