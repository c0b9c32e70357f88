package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One occupied channel: its subscribers grouped by the event loop that owns them (so a publish is one task
 * per loop, not one per socket) and, for presence channels, the roster of distinct users.
 * Membership changes happen inside {@code ConcurrentHashMap.compute} on the app's channel map, which
 * serialises them per channel; fan-out iterates the concurrent sets without any lock.
 */
final class Channel {
    final ChannelName name;
    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();
    private volatile int subscriptions;
    /** user id → member; guarded by {@code this}. Insertion order is join order. */
    private final Map<String, Member> members;
    /** Throttles subscription_count broadcasts on big channels (PROTOCOL.md §2.9). */
    volatile long lastCountBroadcastMillis;

    Channel(ChannelName name) {
        this.name = name;
        this.members = name.isPresence() ? new LinkedHashMap<>() : null;
    }

    /** A presence member: the user_info of its first socket and how many sockets hold it here. */
    static final class Member {
        final String userInfoJson;
        int sockets;

        Member(String userInfoJson) {
            this.userInfoJson = userInfoJson;
        }
    }

    /** Called inside compute. Returns true when the user id is a new member (presence only). */
    boolean add(Connection c, String memberId, String userInfoJson) {
        Lane lane = lanes.computeIfAbsent(c.peer().executor(), Lane::new);
        lane.sockets.add(c);
        lane.changed();
        subscriptions++;
        if (members == null) {
            return false;
        }
        synchronized (this) {
            Member m = members.get(memberId);
            if (m == null) {
                m = new Member(userInfoJson);
                members.put(memberId, m);
                m.sockets = 1;
                return true;
            }
            m.sockets++;
            return false;
        }
    }

    /** Called inside compute. Returns true when the user's last socket left (presence only). */
    boolean remove(Connection c, String memberId) {
        Lane lane = lanes.get(c.peer().executor());
        if (lane == null || !lane.sockets.remove(c)) {
            return false;
        }
        lane.changed();
        subscriptions--;
        if (members == null || memberId == null) {
            return false;
        }
        synchronized (this) {
            Member m = members.get(memberId);
            if (m != null && --m.sockets == 0) {
                members.remove(memberId);
                return true;
            }
            return false;
        }
    }

    boolean isEmpty() {
        return subscriptions == 0;
    }

    int subscriptionCount() {
        return subscriptions;
    }

    synchronized boolean hasMember(String userId) {
        return members != null && members.containsKey(userId);
    }

    synchronized int memberCount() {
        return members == null ? 0 : members.size();
    }

    /** user id → user_info JSON, in join order. */
    synchronized Map<String, String> roster() {
        Map<String, String> copy = new LinkedHashMap<>();
        if (members != null) {
            members.forEach((id, m) -> copy.put(id, m.userInfoJson));
        }
        return copy;
    }

    synchronized List<String> memberIds() {
        return members == null ? List.of() : new ArrayList<>(members.keySet());
    }

    /**
     * Hands the frame to every subscriber except {@code except}: one task per event loop, writing the same
     * frame to all of its sockets without flushing, then one flush of the lane per burst (see {@link Lane}).
     */
    void fanOut(Frame frame, Connection except, DeliveryCounter counter) {
        for (Lane lane : lanes.values()) {
            if (lane.sockets.isEmpty()) {
                continue;
            }
            lane.loop.execute(() -> lane.write(frame, except, counter));
        }
    }

    /**
     * This channel's subscribers on one event loop. Fan-out tasks write without flushing; the first of a burst
     * queues one flush task behind whatever the loop already has queued. Idle, that flush runs right after
     * the write (no added latency); under load, the fan-out tasks queued before it have all written by then,
     * so each socket sends their frames in one system call (one writev) instead of one write per frame.
     *
     * <p>The loop walks a plain array snapshot of the sockets, rebuilt only when membership changed since the
     * last fan-out ({@code version}, bumped inside the channel's compute), not the concurrent set itself: a
     * big channel's deliveries then cost no hash-table traversal. A socket that joins while a snapshot is
     * being taken is picked up by the next one (the concurrent set's iteration was just as weakly consistent).
     * Everything but {@code sockets} and {@code version} is only touched on the loop.
     */
    private static final class Lane implements Runnable {
        private static final Connection[] NONE = new Connection[0];
        final Executor loop;
        final Set<Connection> sockets = ConcurrentHashMap.newKeySet();
        private volatile int version;
        private int snapshotVersion = -1;
        private Connection[] snapshot = NONE;
        private boolean flushQueued;

        Lane(Executor loop) {
            this.loop = loop;
        }

        /** Called inside the channel's compute (serialised), after a socket joined or left. */
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        void changed() {
            version++;
        }

        private Connection[] snapshot() {
            int v = version;
            if (v != snapshotVersion) {
                snapshot = sockets.toArray(NONE);
                snapshotVersion = v;
            }
            return snapshot;
        }

        void write(Frame frame, Connection except, DeliveryCounter counter) {
            int n = 0;
            for (Connection c : snapshot()) {
                if (c != except) {
                    c.peer().write(frame);
                    n++;
                }
            }
            counter.delivered(n, frame.size());
            if (!flushQueued) {
                flushQueued = true;
                loop.execute(this);
            }
        }

        /** The burst's flush. */
        @Override
        public void run() {
            flushQueued = false;
            for (Connection c : snapshot()) {
                c.peer().flush();
            }
        }
    }

    /** Receives the number of sockets a fan-out task wrote to, for metrics. */
    interface DeliveryCounter {
        void delivered(int recipients, int bytes);
    }
}
