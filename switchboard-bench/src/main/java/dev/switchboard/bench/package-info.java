/**
 * {@code switchboard-bench}: a load generator for any Pusher-compatible server (Switchboard, soketi, …).
 *
 * <p>It owns the WebSocket client fleet ({@link dev.switchboard.bench.ClientFleet}), the open-loop HTTP
 * publisher ({@link dev.switchboard.bench.HttpPublisher}), the readings of the server process from
 * {@code /proc} ({@link dev.switchboard.bench.ProcStats}), one class per scenario, and the reports
 * (JSON, a Markdown table appended to {@code BENCHMARKS.md}, an SVG chart). It never parses a delivered
 * event as JSON: subscribers find the timestamp by scanning the frame bytes
 * ({@link dev.switchboard.bench.FrameScan}) so the client stays cheaper than the server it measures.
 */
package dev.switchboard.bench;
