package dev.switchboard.server.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reverse index of watchlists: watched user id → ids of the users watching it. Watching is by user,
 * so every connection of a watcher is told (PROTOCOL.md §5.10).
 */
final class Watchlists {
    private final ConcurrentHashMap<String, Set<String>> watchers = new ConcurrentHashMap<>();

    /** Replaces what {@code watcher} watches. */
    void replace(String watcher, List<String> previous, List<String> current) {
        if (previous != null) {
            for (String id : previous) {
                if (!current.contains(id)) {
                    unwatch(watcher, id);
                }
            }
        }
        for (String id : current) {
            watchers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        }
    }

    /** Forgets every entry of {@code watcher}'s list. Returns how many entries were dropped. */
    int removeWatcher(String watcher, List<String> watched) {
        int n = 0;
        if (watched != null) {
            for (String id : watched) {
                if (unwatch(watcher, id)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Forgets that anyone watches {@code watched}. Returns the watchers that were dropped. */
    Set<String> removeWatched(String watched) {
        Set<String> s = watchers.remove(watched);
        return s == null ? Set.of() : s;
    }

    Set<String> watchersOf(String watched) {
        Set<String> s = watchers.get(watched);
        return s == null ? Set.of() : s;
    }

    private boolean unwatch(String watcher, String watched) {
        boolean[] removed = new boolean[1];
        watchers.computeIfPresent(watched, (k, set) -> {
            removed[0] = set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }
}
