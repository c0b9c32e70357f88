/**
 * Apps, connections, channels, client events, users and watchlists, and the cluster seam they stand on: the
 * {@link dev.switchboard.server.engine.Broker} carries encoded frames to every interested node, the
 * {@link dev.switchboard.server.engine.SharedState} ports decide every cluster-visible transition once. No Netty:
 * sockets are {@link dev.switchboard.server.engine.Peer}s and the edge opens them through
 * {@link dev.switchboard.server.engine.Sessions}; apps come through the
 * {@link dev.switchboard.server.engine.AppLookup} port (apps.AppRegistry implements it).
 *
 * <p>Which file owns what:
 * <ul>
 *   <li>{@code Engine}: the node's apps, the connection handshake, the local end of the broker and the state;
 *       {@code start()} wires it to them, after the constructor. {@code AppEngine}: one app here (its sockets,
 *       its indexes, its flows, the HTTP API's queries and {@code trigger}, the one way the API publishes).
 *       {@code EngineSessions}: the edge's sessions (app by key, the Origin check, the wait for a look-up).</li>
 *   <li>{@code Connection}: one socket's protocol state and the dispatcher of its messages (every
 *       {@code ClientMessage} has a branch; one that has none fails loudly). It applies the flows' outcomes to its
 *       own state; {@code ChangeQueue} runs its changes one at a time behind the {@code ChangeGate};
 *       {@code SubscriptionMaps} keeps its channel map small.</li>
 *   <li>What the engine tells webhooks, metrics and the dashboard: one {@code EngineEvent} record per event,
 *       through {@code EngineListener.on}; the per-delivery count stays {@code EngineListener.delivered}, a
 *       method, so fan-out allocates nothing for it.</li>
 *   <li>The protocol flows, one per app, each made with the ports it uses: {@code Subscriptions} (subscribe,
 *       unsubscribe: a {@code Decision}, then the join or leave), {@code SignIns} (a {@code Verdict}, then the
 *       sign-in's {@code Outcome}; sign-out), {@code ClientEvents} (the checks and the relay), {@code Resumes} (channel resume: a connection's
 *       {@code ResumeView} per windowed channel holds live events until its replay is written; the places and
 *       windows are the {@code ChannelWindows} port's).
 *       {@code Authorizer} is every signature check and its wording. A new client message is a branch in
 *       {@code Connection} and, when it changes state, a flow; a per-subscription limit is {@code Subscriptions}.</li>
 *   <li>What each decision tells others: {@code ChannelTransitions} (occupied, vacated, member events, counts,
 *       for this node's changes and for those decided elsewhere), {@code Watchers} (online/offline to watchers).</li>
 *   <li>Delivery on this node: {@code LocalChannels} and {@code Channel} (lanes per event loop, the fan-out),
 *       {@code UserRegistry}, {@code Watchlists}; they hold {@code Recipient}s, the connection as delivery sees it.</li>
 * </ul>
 */
package dev.switchboard.server.engine;
