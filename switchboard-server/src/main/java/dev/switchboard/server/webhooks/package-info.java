/**
 * Webhooks (PROTOCOL.md §7): turns engine events into signed, batched HTTP POSTs to each app's configured
 * targets. The engine-facing {@link dev.switchboard.server.webhooks.WebhookDispatcher} only enqueues; one
 * dedicated thread owns all state (leave delays, batches, queues, retries) and the JDK HTTP client sends
 * asynchronously, so no event loop ever waits for a receiver.
 */
package dev.switchboard.server.webhooks;
