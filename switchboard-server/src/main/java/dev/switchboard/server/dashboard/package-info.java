/**
 * The operator's dashboard at {@code /dashboard}: its static page (from the jar's {@code dashboard/} resources),
 * its JSON endpoints behind a bearer token ({@link dev.switchboard.server.dashboard.Dashboard} routes and is the
 * error boundary), the per-second message samples for the chart ({@code Throughput}), and the debug console's
 * live feed ({@code ConsoleFeed}), pushed as server-sent events through the edge's {@code StreamSink}.
 * {@code Dashboard} implements the edge's HTTP port ({@code HttpPort}: an {@code HttpCall} in, an {@code HttpReply}
 * out, whole or streamed); no Netty here.
 */
package dev.switchboard.server.dashboard;
