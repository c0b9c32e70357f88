package dev.switchboard.server.engine;

import java.util.List;

/** One page of online user ids in id order; {@code nextCursor} is null on the last page. */
public record UserPage(List<String> ids, int total, String nextCursor) {

    /**
     * The page after {@code cursor} (the last id of the previous page; null or empty for the first) of at most
     * {@code limit} ids (at least one) out of all the online ids, which must be in id order. Every shared-state
     * implementation pages this way, so a cursor means the same on one node and on a cluster.
     */
    public static UserPage of(List<String> sortedIds, String cursor, int limit) {
        int from = 0;
        if (cursor != null && !cursor.isEmpty()) {
            while (from < sortedIds.size() && sortedIds.get(from).compareTo(cursor) <= 0) {
                from++;
            }
        }
        int to = Math.min(sortedIds.size(), from + Math.max(1, limit));
        List<String> page = List.copyOf(sortedIds.subList(from, to));
        String next = to < sortedIds.size() && !page.isEmpty() ? page.get(page.size() - 1) : null;
        return new UserPage(page, sortedIds.size(), next);
    }
}
