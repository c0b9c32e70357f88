/**
 * Incoming webhooks (PROTOCOL.md §7): checks {@code X-Pusher-Key} and {@code X-Pusher-Signature} (HMAC-SHA256
 * hex of the exact body bytes, compared in constant time) and reads the body into typed events.
 */
package dev.switchboard.sdk.webhook;
