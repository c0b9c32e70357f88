package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.SharedState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What a state reported through its {@link SharedState.Transitions}, one line per call. */
public final class RecordedTransitions implements SharedState.Transitions {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final AtomicInteger count = new AtomicInteger();
    /** What the engine would do when told to reconnect its clients (close them: their leaves and sign-outs). */
    public volatile Runnable onReconnectAll = () -> { };

    private void add(String s) {
        calls.add(s);
        count.incrementAndGet();
    }

    @Override
    public void memberRemoved(String appId, String channel, String userId) {
        add("memberRemoved " + appId + " " + channel + " " + userId);
    }

    @Override
    public void channelVacated(String appId, String channel) {
        add("channelVacated " + appId + " " + channel);
    }

    @Override
    public void subscriptionCountChanged(String appId, String channel, int count) {
        add("subscriptionCount " + appId + " " + channel + " " + count);
    }

    @Override
    public void userOffline(String appId, String userId) {
        add("userOffline " + appId + " " + userId);
    }

    @Override
    public void reconnectAll() {
        add("reconnectAll");
        onReconnectAll.run();
    }
}
