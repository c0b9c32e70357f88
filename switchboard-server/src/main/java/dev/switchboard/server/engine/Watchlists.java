package dev.switchboard.server.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's reverse index of watchlists: watched user id → the users signed in here watching it. Watching is by
 * user, so every connection of a watcher is told (PROTOCOL.md §5.10). Online/offline events about a user are
 * published on its {@link Topic.Kind#WATCHERS} topic, which this node listens to while anyone here watches it.
 */
final class Watchlists {
    private final String appId;
    private final Broker broker;
    private final ConcurrentHashMap<String, Set<String>> watchers = new ConcurrentHashMap<>();

    Watchlists(String appId, Broker broker) {
        this.appId = appId;
        this.broker = broker;
    }

    /** Replaces what {@code watcher} watches; the stage completes when every new topic is listened to. */
    CompletionStage<Void> replace(String watcher, List<String> previous, List<String> current) {
        if (previous != null) {
            for (String id : previous) {
                if (!current.contains(id)) {
                    unwatch(watcher, id);
                }
            }
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String id : current) {
            watchers.compute(id, (k, set) -> {
                if (set == null) {
                    set = ConcurrentHashMap.newKeySet();
                    ready.add(broker.interest(Topic.watchers(appId, k), true).toCompletableFuture());
                }
                set.add(watcher);
                return set;
            });
        }
        return ready.isEmpty() ? Async.DONE : CompletableFuture.allOf(ready.toArray(new CompletableFuture[0]));
    }

    /** Forgets every entry of {@code watcher}'s list. */
    void removeWatcher(String watcher, List<String> watched) {
        if (watched != null) {
            for (String id : watched) {
                unwatch(watcher, id);
            }
        }
    }

    /** Forgets that anyone here watches {@code watched}. */
    void removeWatched(String watched) {
        if (watchers.remove(watched) != null) {
            broker.interest(Topic.watchers(appId, watched), false);
        }
    }

    Set<String> watchersOf(String watched) {
        Set<String> s = watchers.get(watched);
        return s == null ? Set.of() : s;
    }

    private void unwatch(String watcher, String watched) {
        watchers.computeIfPresent(watched, (k, set) -> {
            set.remove(watcher);
            if (set.isEmpty()) {
                broker.interest(Topic.watchers(appId, k), false);
                return null;
            }
            return set;
        });
    }
}
