package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Broker;
import org.junit.jupiter.api.BeforeEach;

/** The broker contract on the one-node implementation: everything is delivered here, at once. */
class LocalBrokerContractTest extends BrokerContract {

    @BeforeEach
    void startBroker() {
        LocalBroker broker = new LocalBroker();
        broker.start(deliveredA);
        a = broker;
        b = broker;
    }

    @Override
    protected long receivedFromOthers(Broker broker) {
        return 0;
    }
}
