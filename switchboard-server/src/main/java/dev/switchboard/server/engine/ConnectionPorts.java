package dev.switchboard.server.engine;

import java.util.function.LongSupplier;

/**
 * What a {@link Connection} uses of its app, made once per app by {@link AppEngine} and shared by its connections:
 * the connection quota, the protocol flows, the listener and the clock, and the node's bounds on waiting
 * changes.
 */
record ConnectionPorts(ConnectionQuota quota, Subscriptions subscriptions, SignIns signIns, ClientEvents clientEvents,
                       Resumes resumes,
                       EngineListener listener, LongSupplier clock, ChangeGate.Budget changeBudget) {}
