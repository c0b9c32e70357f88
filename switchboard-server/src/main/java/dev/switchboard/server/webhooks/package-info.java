/**
 * Webhooks (PROTOCOL.md §7): turns engine events into signed, batched HTTP POSTs to each app's configured
 * targets. The engine-facing {@link dev.switchboard.server.webhooks.WebhookDispatcher} only enqueues; one
 * dedicated thread owns all state (leave delays, batches, queues, retries) and the JDK HTTP client sends
 * asynchronously, so no event loop ever waits for a receiver. Sealed batches go through one
 * {@link dev.switchboard.server.webhooks.DeliveryLane} per (app, URL) and are kept in a
 * {@link dev.switchboard.server.webhooks.WebhookQueue} until delivered or given up: memory, the one-node
 * {@link dev.switchboard.server.webhooks.WebhookJournal}, or Redis streams (in {@code cluster.redis}, behind this
 * package's interface, so that this package knows no Redis). The queue is the truth about what is owed; a lane's
 * memory is its working copy (docs/webhooks.md, "Durability").
 */
package dev.switchboard.server.webhooks;
