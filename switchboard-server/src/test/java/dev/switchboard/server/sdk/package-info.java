/**
 * End-to-end tests of {@code switchboard-sdk} against the real server: every SDK method over HTTP, with raw
 * {@code java.net.http.WebSocket} clients that subscribe and sign in with the SDK's auth answers and check
 * what actually arrives. They live here because the SDK module must not depend on the server.
 */
package dev.switchboard.server.sdk;
