/**
 * The Netty edge: one port for WebSocket and HTTP, the upgrade and its Pusher close codes (PROTOCOL.md §1.1, §1.6),
 * the {@link dev.switchboard.server.engine.Peer} over a Netty channel, liveness pings (§1.3), the bounds before the
 * upgrade, and graceful draining. No protocol state lives here: every text frame goes to the engine's session.
 *
 * <p>Where each job lives:
 * <ul>
 *   <li>{@code EdgeServer} binds the ports and shuts them down; {@code ClientPipeline} and {@code MetricsPipeline}
 *       build a socket's pipeline; the handlers read one immutable {@code EdgeContext} (one reference per socket).</li>
 *   <li>HTTP comes in through one port, {@link dev.switchboard.server.edge.HttpPort}: an
 *       {@link dev.switchboard.server.edge.HttpCall} (the target parsed once) in, an
 *       {@link dev.switchboard.server.edge.HttpReply} out, whole or streamed through a
 *       {@link dev.switchboard.server.edge.StreamSink}. One route table ({@code HttpRoutes}) of
 *       {@link dev.switchboard.server.edge.HttpRoute} rows: the API, the dashboard and metrics implement the port
 *       in their own packages (this one imports none of them: the dependency goes their way), {@code /up} is
 *       {@code Health}. {@code HttpRouter} upgrades or routes, {@code HttpResponses} writes the answers.</li>
 *   <li>Before the upgrade: caps at accept ({@code HttpConnections}), deadlines ({@code HttpGuard}), bodies
 *       ({@code JsonHttpObjectAggregator}), in-flight requests for draining ({@code HttpInFlight}).</li>
 *   <li>After it: {@code WebSocketFrameHandler} (frames in, liveness), {@code NettyPeer} (frames out: shared
 *       {@code WireFrame}s, the held lone frame, backpressure and the close handshake), {@code DirectWrites} (sends
 *       straight to the descriptor, the scratch-buffer send), {@code ServerFrames} (encoding).</li>
 *   <li>Per event loop, one {@code LoopSweep} walks the liveness of upgraded sockets and one the deadlines of those
 *       not yet upgraded ({@code LoopSweeps}), instead of a timer per socket.</li>
 * </ul>
 */
package dev.switchboard.server.edge;
