package dev.switchboard.server.cluster;

import org.junit.jupiter.api.Nested;

/** The state ports' contracts on the one-node implementation: both "nodes" are the one in-memory state. */
class LocalStateContractTest {

    private static LocalState alone() {
        return new LocalState(System::currentTimeMillis);
    }

    @Nested
    class ChannelStatePort extends ChannelStateContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class OnlineUsersPort extends OnlineUsersContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class UserDataPort extends UserDataContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class InboxesPort extends InboxesContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class ConnectionQuotaPort extends ConnectionQuotaContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class HeldLeavesPort extends HeldLeavesContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class BansPort extends BansContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }

    @Nested
    class ChannelWindowsPort extends ChannelWindowsContract {
        @Override
        protected void startNodes() {
            LocalState state = alone();
            use(state, state);
        }
    }
}
