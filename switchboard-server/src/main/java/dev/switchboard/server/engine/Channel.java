package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One channel with subscribers on this node: its local sockets grouped by the event loop that owns them (so a
 * publish is one task per loop, not one per socket). Who the members are and how many subscribe over the cluster
 * is the {@link ChannelState}'s business; this is only what delivery needs. Membership changes happen inside
 * {@code ConcurrentHashMap.compute} on the app's channel map, which serialises them per channel; fan-out walks
 * each lane's array of sockets without any lock.
 */
final class Channel {
    private static final Lane[] NO_LANES = new Lane[0];
    private final ChannelName name;
    /**
     * One lane per event loop that has subscribers here, in a short array (there are at most as many loops as
     * cores) searched by identity: a one-subscriber channel then costs a one-element array, not a hash map.
     * Replaced, never mutated, inside compute; fan-out reads it without a lock. A lane stays until the
     * channel is dropped, as it did in the map: at most one per loop, and a flush it queued stays valid.
     */
    private volatile Lane[] lanes = NO_LANES;
    private volatile int subscriptions;
    /** Throttles subscription_count broadcasts on big channels (PROTOCOL.md §2.9). */
    private volatile long lastCountBroadcastMillis;
    /** Completes once the broker delivers this channel's frames from every node to this one. */
    private final CompletionStage<Void> ready;
    /**
     * The fan-out of the last windowed event whose delivery mark ({@link ChannelWindows#taking}) was still being
     * written, guarded by {@code this}: each later one goes after it, so a mark written late never lets a newer event
     * of the channel overtake an older one.
     */
    private java.util.concurrent.CompletableFuture<?> afterMarks = java.util.concurrent.CompletableFuture
            .completedFuture(null);

    Channel(ChannelName name, CompletionStage<Void> ready) {
        this.name = name;
        this.ready = ready;
    }

    CompletionStage<Void> ready() {
        return ready;
    }

    /**
     * Whether a subscription_count may go out now, at most one per {@code minIntervalMillis} (0: always); when it
     * may, now is recorded as the last one.
     */
    boolean countDue(long now, long minIntervalMillis) {
        if (minIntervalMillis > 0 && now - lastCountBroadcastMillis < minIntervalMillis) {
            return false;
        }
        lastCountBroadcastMillis = now;
        return true;
    }

    /** Called inside compute. */
    void add(Recipient c) {
        Executor loop = c.peer().executor();
        Lane lane = lane(loop);
        if (lane == null) {
            lane = new Lane(loop);
            Lane[] old = lanes;
            Lane[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = lane;
            lanes = grown;
        }
        lane.add(c);
        subscriptions++;
    }

    /** Called inside compute. False when the socket was not here. */
    boolean remove(Recipient c) {
        Lane lane = lane(c.peer().executor());
        if (lane == null || !lane.remove(c)) {
            return false;
        }
        subscriptions--;
        return true;
    }

    private Lane lane(Executor loop) {
        for (Lane lane : lanes) {
            if (lane.loop == loop) {
                return lane;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return subscriptions == 0;
    }

    /** This node's subscribers. */
    int subscriptionCount() {
        return subscriptions;
    }

    /**
     * Hands the frame to every subscriber except {@code except}: one task per event loop, writing the same
     * frame to all of its sockets without flushing, then one flush of the lane per burst (see {@link Lane}).
     */
    void fanOut(Frame frame, Recipient except, DeliveryCounter counter) {
        boolean membership = frame.isMembership();
        for (Lane lane : lanes) {
            if (lane.isEmpty()) {
                continue;
            }
            if (membership) {
                lane.loop.execute(() -> lane.writeMembership(name.value(), frame, except, counter));
            } else if (frame.sequence() > 0) {
                lane.loop.execute(() -> lane.writeSequenced(name.value(), frame, except, counter));
            } else {
                lane.loop.execute(() -> lane.write(frame, except, counter));
            }
        }
    }

    /**
     * A windowed event: fanned out once {@code marked} completes (failed or not: a mark Redis could not write never
     * holds live delivery back) and after every windowed event handed here before it. With nothing pending, at once.
     */
    void fanOutAfter(CompletionStage<?> marked, Frame frame, Recipient except, DeliveryCounter counter) {
        java.util.concurrent.CompletableFuture<?> m = marked.toCompletableFuture();
        synchronized (this) {
            if (afterMarks.isDone() && m.isDone()) {
                fanOut(frame, except, counter);
                return;
            }
            afterMarks = java.util.concurrent.CompletableFuture.allOf(afterMarks, m).handle((v, e) -> {
                fanOut(frame, except, counter);
                return null;
            });
        }
    }

    /**
     * This channel's subscribers on one event loop. Fan-out tasks write without flushing; the first of a burst
     * queues one flush task behind whatever the loop already has queued. Idle, that flush runs right after
     * the write (no added latency); under load, the fan-out tasks queued before it have all written by then,
     * so each socket sends their frames in one system call (one writev) instead of one write per frame.
     *
     * <p>The loop walks a plain array snapshot of the sockets, taken again only when membership changed since
     * the last fan-out ({@code version}, bumped inside the channel's compute after each change), never a hash
     * table. Up to {@link #SMALL} sockets the members are an array, immutable and replaced on each change (a
     * copy of at most eight references): a small lane costs one array and no set. Past {@code SMALL} they move
     * to a concurrent set, so a join or leave stays O(1) however big the channel; a set that shrinks to
     * {@code SMALL / 2} goes back to an array (the gap stops a lane hovering at the boundary from converting on
     * every change). A socket that joins while a snapshot is being taken is picked up by the next one (the set's
     * iteration is weakly consistent). Everything but {@code members} and {@code version} is only touched on the
     * loop.
     */
    private static final class Lane implements Runnable {
        private static final Recipient[] NONE = new Recipient[0];
        private static final Peer[] NO_PEERS = new Peer[0];
        private static final int SMALL = 8;
        /** Peers touched before their flushes, per batch (docs/performance.md, section 9). */
        private static final int FLUSH_BATCH = Math.max(1, Integer.getInteger("switchboard.flushBatch", 128));
        final Executor loop;
        /** A {@code Recipient[]} of at most {@link #SMALL} distinct sockets (never mutated), or a concurrent set. */
        private volatile Object members = NONE;
        private volatile int version;
        private int snapshotVersion;
        /**
         * The members' peers, not the connections: the two passes per burst then touch one object per socket
         * fewer (at 10k sockets each of those is a cache miss, and the passes are most of our own CPU per
         * delivery).
         */
        private Peer[] snapshot = NO_PEERS;
        private boolean flushQueued;
        /** What the last flush's touches returned: kept so that the JIT cannot drop them. */
        private int touched;

        Lane(Executor loop) {
            this.loop = loop;
        }

        /** Called inside the channel's compute (serialised). */
        @SuppressWarnings("unchecked")
        void add(Recipient c) {
            Object m = members;
            if (m instanceof Set<?> set) {
                ((Set<Recipient>) set).add(c);
            } else {
                Recipient[] small = (Recipient[]) m;
                for (Recipient s : small) {
                    if (s == c) {
                        return;
                    }
                }
                if (small.length < SMALL) {
                    Recipient[] grown = Arrays.copyOf(small, small.length + 1);
                    grown[small.length] = c;
                    members = grown;
                } else {
                    Set<Recipient> big = ConcurrentHashMap.newKeySet();
                    big.addAll(Arrays.asList(small));
                    big.add(c);
                    members = big;
                }
            }
            changed();
        }

        /** Called inside the channel's compute (serialised). False when the socket was not here. */
        boolean remove(Recipient c) {
            Object m = members;
            if (m instanceof Set<?> set) {
                if (!set.remove(c)) {
                    return false;
                }
                if (set.size() <= SMALL / 2) {
                    members = set.toArray(NONE);
                }
            } else {
                Recipient[] small = (Recipient[]) m;
                int i = 0;
                while (i < small.length && small[i] != c) {
                    i++;
                }
                if (i == small.length) {
                    return false;
                }
                Recipient[] shrunk = small.length == 1 ? NONE : new Recipient[small.length - 1];
                System.arraycopy(small, 0, shrunk, 0, i);
                System.arraycopy(small, i + 1, shrunk, i, small.length - i - 1);
                members = shrunk;
            }
            changed();
            return true;
        }

        /** After {@code members} changed, so a loop that sees the new version also sees the new members. */
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        private void changed() {
            version++;
        }

        boolean isEmpty() {
            Object m = members;
            return m instanceof Set<?> set ? set.isEmpty() : ((Recipient[]) m).length == 0;
        }

        private Peer[] snapshot() {
            int v = version;
            if (v != snapshotVersion) {
                snapshot = takeSnapshot();
                snapshotVersion = v;
            }
            return snapshot;
        }

        private Peer[] takeSnapshot() {
            Object m = members;
            Recipient[] connections = m instanceof Set<?> set ? set.toArray(NONE) : (Recipient[]) m;
            Peer[] peers = new Peer[connections.length];
            for (int i = 0; i < peers.length; i++) {
                peers[i] = connections[i].peer();
            }
            return peers;
        }

        void write(Frame frame, Recipient except, DeliveryCounter counter) {
            Peer skip = except == null ? null : except.peer();
            int n = 0;
            for (Peer p : snapshot()) {
                if (p != skip) {
                    p.write(frame);
                    n++;
                }
            }
            counter.delivered(n, frame.size());
            if (!flushQueued) {
                flushQueued = true;
                loop.execute(this);
            }
        }

        /**
         * A member_added or member_removed: each connection decides from its roster's position whether the event is
         * news to it ({@link Recipient#membership}), so the walk is over the connections, not the peers. Membership
         * events are one per join or leave, not per published message, so this path is off the fan-out's hot one.
         */
        void writeMembership(String channel, Frame frame, Recipient except, DeliveryCounter counter) {
            writeEach(channel, frame, except, counter, Recipient::membership);
        }

        /**
         * An event of a channel that keeps a window (channel resume): each connection notes its place, or holds the
         * event while its replay is on its way ({@link Recipient#sequenced}). Only channels an app names for resume
         * take this walk over the connections; every other publish stays on {@link #write}.
         */
        void writeSequenced(String channel, Frame frame, Recipient except, DeliveryCounter counter) {
            writeEach(channel, frame, except, counter, Recipient::sequenced);
        }

        /** How one connection takes a frame that it judges for itself; true when it was written. */
        @FunctionalInterface
        interface Judged {
            boolean write(Recipient recipient, String channel, Frame frame);
        }

        /** The walk over the connections (not the peers) of both paths; {@code how} is a method reference: no allocation. */
        @SuppressWarnings("unchecked")
        private void writeEach(String channel, Frame frame, Recipient except, DeliveryCounter counter, Judged how) {
            Object m = members;
            Iterable<Recipient> all = m instanceof Set<?> set ? (Set<Recipient>) set : Arrays.asList((Recipient[]) m);
            int n = 0;
            for (Recipient c : all) {
                if (c != except && how.write(c, channel, frame)) {
                    n++;
                }
            }
            if (n > 0) {
                counter.delivered(n, frame.size());
                if (!flushQueued) {
                    flushQueued = true;
                    loop.execute(this);
                }
            }
        }

        /**
         * The burst's flush, a few peers at a time: first every one of them is touched (their loads overlap), then
         * each flushes (mostly one system call each, which would otherwise follow its own cache misses).
         */
        @Override
        public void run() {
            flushQueued = false;
            Peer[] peers = snapshot();
            int batch = FLUSH_BATCH;
            int sink = 0;
            for (int from = 0; from < peers.length; from += batch) {
                int to = Math.min(peers.length, from + batch);
                for (int i = from; i < to; i++) {
                    sink += peers[i].touch();
                }
                for (int i = from; i < to; i++) {
                    peers[i].flush();
                }
            }
            touched = sink;
        }
    }

    /** Receives the number of sockets a fan-out task wrote to, for metrics. */
    interface DeliveryCounter {
        void delivered(int recipients, int bytes);
    }
}
