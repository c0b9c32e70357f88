package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Bans;
import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.ConnectionQuota;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserData;
import java.util.function.LongSupplier;

/**
 * The ports of a node alone, over one set of {@link LocalFacts} in this process's memory: every fact is here only
 * once besides the engine's own indexes, and every stage is already complete. Alone, nothing is decided outside a
 * call, so {@link #start} has nothing to start.
 */
public final class LocalState implements SharedState {
    private final LocalChannelState channels;
    private final LocalOnlineUsers users;
    private final LocalInboxes inboxes;
    private final LocalUserData userData;
    private final LocalQuota quota;
    private final LocalHeldLeaves heldLeaves;
    private final LocalBans bans;
    private final LocalChannelWindows windows;

    public LocalState(LongSupplier clock) {
        LocalFacts facts = new LocalFacts(clock);
        this.channels = new LocalChannelState(facts);
        this.users = new LocalOnlineUsers(facts);
        this.inboxes = new LocalInboxes(facts);
        this.userData = new LocalUserData(facts, inboxes);
        this.quota = new LocalQuota(facts);
        this.heldLeaves = new LocalHeldLeaves(facts);
        this.bans = new LocalBans(facts);
        this.windows = new LocalChannelWindows(clock);
    }

    @Override
    public void start(Transitions transitions) {
        // Alone, nothing is decided outside a call.
    }

    @Override
    public ChannelState channels() {
        return channels;
    }

    @Override
    public OnlineUsers users() {
        return users;
    }

    @Override
    public UserData userData() {
        return userData;
    }

    @Override
    public Inboxes inboxes() {
        return inboxes;
    }

    @Override
    public ConnectionQuota quota() {
        return quota;
    }

    @Override
    public HeldLeaves heldLeaves() {
        return heldLeaves;
    }

    @Override
    public Bans bans() {
        return bans;
    }

    @Override
    public ChannelWindows windows() {
        return windows;
    }

    @Override
    public void close() {}
}
