/**
 * Multi-node tests: three Switchboard processes on one real {@code redis-server}, each started by the test on
 * free ports ({@link dev.switchboard.server.testing.ClusterExtension}), driven by the official Java client and
 * HTTP library spread over the nodes. Events are counted, and watched for a quiet period after the expected
 * one, so that "exactly once per cluster" is shown rather than "at least once".
 */
package dev.switchboard.server.multinode;
