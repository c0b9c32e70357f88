package dev.switchboard.server.cluster;

import org.junit.jupiter.api.BeforeEach;

/** The shared-state contract on the one-node implementation: both "nodes" are the one in-memory state. */
class LocalStateContractTest extends SharedStateContract {

    @BeforeEach
    void startState() {
        LocalState state = new LocalState(System::currentTimeMillis);
        state.start(transitionsA);
        a = state;
        b = state;
    }
}
