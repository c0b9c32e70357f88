package dev.switchboard.server.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Channel resume (docs/users.md, "Channel resume"): the recent events of a channel that keeps a window, each with its
 * sequence in the channel, and, per signed-in user and channel, how many of the user's connections subscribe to it
 * and, once its last one was lost, the position noted for it. Both live with the channel (on Redis, in its slot), so
 * an append and a note are each one step there. The engine decides nothing about order: the sequence an append gets
 * is the event's place, and a connection that resumes gets exactly the kept events after its user's noted position.
 *
 * <p>A node may die (kill -9) holding users' places: in a cluster the implementation notes for each of them what that
 * node had taken for delivery ({@link #taking}) once the node is found dead, and a connection of such a user that
 * subscribes elsewhere before then waits in {@link #hold} until it is known whether the other node's connection is
 * alive (nothing to resume) or dead (its place is claimed). Every call may fail (a resume then gets nothing
 * replayed; a publish still goes out, without a place, when it is known not to have gone out: see
 * {@link #appendAndPublish}).
 */
public interface ChannelWindows {

    /** How much one window keeps: the newest {@code maxEvents}, none older than {@code maxAgeMillis}. */
    record Limits(int maxEvents, long maxAgeMillis) {}

    /** One kept event and its place in the channel. */
    record Kept(long sequence, String event, String data) {}

    /**
     * The kept events after a position, in order; {@code lost}: how many after it are no longer kept (the window no
     * longer covers the gap); {@code head}: the channel's latest sequence (0: none yet).
     */
    record Replay(List<Kept> events, long lost, long head) {}

    /**
     * What {@link #hold} found: {@code noted}, the position noted when the user's last connection to the channel was
     * lost ({@link #NONE} when there is none to resume from: nothing noted, expired, or another connection of the
     * user still subscribes), now claimed; {@code head}, the channel's latest sequence.
     */
    record Held(long noted, long head) {}

    long NONE = -1;

    /** Keeps the event without publishing it; completes with its sequence (1, 2, …), older ones trimmed. */
    default CompletionStage<Long> append(String appId, String channel, String event, String data, Limits limits) {
        return appendAndPublish(appId, channel, event, data, limits, null, null, null);
    }

    /**
     * Keeps the event and has it published in the order of the sequences the channel's events get, so that every
     * subscriber on every node receives the channel's events in the order a resume replays them (two HTTP publishes
     * racing each other included): a connection lost at any point has then missed exactly the events after its place.
     * One node calls {@code here} with the sequence, one call at a time per channel and in sequence order, never under
     * a lock (the caller publishes the frame through its broker there). A cluster publishes {@code frame} (except to
     * {@code exceptSocketId}) to every node, this one included, in the step that keeps it, and never calls
     * {@code here}. Completes with the sequence; fails with {@link StateUnavailableException} when nothing was kept or
     * published (the caller then publishes the event live, without a place). {@code frame} and {@code here} null:
     * kept only.
     */
    CompletionStage<Long> appendAndPublish(String appId, String channel, String event, String data, Limits limits,
                                           Frame frame, String exceptSocketId, java.util.function.LongConsumer here);

    /** The kept events with a sequence above {@code after}. */
    CompletionStage<Replay> after(String appId, String channel, long after, Limits limits);

    /**
     * A connection subscribes to the channel: counted for {@code userId} (null: not signed in, nothing counted). The
     * user's first connection there claims the noted position (it is forgotten); any other finds none. While the
     * user's only other connections there are on other nodes that may have died without a word, the hold completes
     * once that is settled: a node alive (its connection still subscribed when this one came) gives none; a dead one,
     * once cleaned up, gives the place it noted for the user. The wait is bounded (a node timeout and two heartbeats
     * on Redis), then none; the engine holds the subscription's live events meanwhile. {@code keepMillis}: how long
     * a place noted for the user without its node's help (its node died) is kept.
     */
    CompletionStage<Held> hold(String appId, String channel, String userId, long keepMillis);

    /**
     * This node is about to hand the windowed event at {@code sequence} to its local subscribers. Where a node can die
     * leaving its users' places unnoted (a cluster), the implementation first records, when this node holds a
     * signed-in subscriber of the channel, that it took the event for delivery, and completes once that is written:
     * the engine fans the event out then (also when it failed), in the order the events were handed here. Completes at
     * once where there is nothing to write.
     */
    CompletionStage<Void> taking(String appId, String channel, long sequence);

    /**
     * A connection of {@code userId} that {@link #hold}s the channel leaves it. When it is the user's last one and it
     * was {@code lost} (closed without unsubscribing), {@code position} (the last sequence it was written) is noted
     * for {@code keepMillis}; an explicit unsubscribe notes nothing.
     */
    CompletionStage<Void> release(String appId, String channel, String userId, long position, boolean lost,
                                  long keepMillis);
}
