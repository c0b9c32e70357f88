package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every presence and watchlist event each client of a run saw, in the order it saw them, and the invariants
 * of issue 20 checked over the whole history rather than spot-checked at the end (Jepsen-style):
 * <ul>
 * <li>{@link #assertRostersAreSets()}: each client's roster of each presence channel (the
 *     {@code subscription_succeeded} roster, then every member_added / member_removed) is a set at every moment:
 *     no add for a member it holds, no remove for one it lacks, and no membership event before the roster;</li>
 * <li>{@link #assertRostersEnd(String, Set)}: every client still subscribed holds exactly the true set;</li>
 * <li>{@link #assertWatchlistsAlternate()} and {@link #assertWatchlistsEnd(Set)}: per watcher connection and
 *     watched user, online and offline alternate and the last one is true.</li>
 * </ul>
 * Clients are named by the test. Events come either as raw server frames ({@link #frame}, {@link #replay}:
 * a {@link RawSocket}'s {@code frames()}, in arrival order) or through the typed methods. Thread-safe:
 * clients may record from their own threads. Webhook sequences are checked by {@link WebhookHistory}.
 */
public final class PresenceHistory {
    /** What one client saw of one channel, in order; a new roster starts a new subscription. */
    private record Event(Kind kind, Set<String> users) {}

    private enum Kind { ROSTER, ADDED, REMOVED, UNSUBSCRIBED }

    private final Map<String, Map<String, List<Event>>> presence = new LinkedHashMap<>();
    /** Watcher connection → watched user → the states it was told, in order (true = online). */
    private final Map<String, Map<String, List<Boolean>>> watchlists = new LinkedHashMap<>();
    /** Connections that closed: what they were last told may have changed since, and nobody tells them. */
    private final Set<String> closedWatchers = new java.util.HashSet<>();

    /** The roster a {@code subscription_succeeded} gave {@code client} for {@code channel}. */
    public synchronized void roster(String client, String channel, Collection<String> userIds) {
        events(client, channel).add(new Event(Kind.ROSTER, Set.copyOf(userIds)));
    }

    public synchronized void added(String client, String channel, String userId) {
        events(client, channel).add(new Event(Kind.ADDED, Set.of(userId)));
    }

    public synchronized void removed(String client, String channel, String userId) {
        events(client, channel).add(new Event(Kind.REMOVED, Set.of(userId)));
    }

    /** The client unsubscribed or closed: its roster of the channel no longer counts at the end. */
    public synchronized void unsubscribed(String client, String channel) {
        events(client, channel).add(new Event(Kind.UNSUBSCRIBED, Set.of()));
    }

    /** The client closed: none of its rosters, and none of its watchlist states, counts at the end. */
    public synchronized void closed(String client) {
        closedWatchers.add(client);
        presence.getOrDefault(client, Map.of()).values().forEach(l -> l.add(new Event(Kind.UNSUBSCRIBED, Set.of())));
    }

    /** A watchlist state {@code watcher} (a connection) was told for {@code watched}. */
    public synchronized void watched(String watcher, String watched, boolean online) {
        watchlists.computeIfAbsent(watcher, w -> new LinkedHashMap<>())
                .computeIfAbsent(watched, w -> new ArrayList<>()).add(online);
    }

    /** Records every frame of {@code frames} (e.g. {@code RawSocket.frames()}), in that order. */
    public void replay(String client, List<String> frames) {
        frames.forEach(f -> frame(client, f));
    }

    /**
     * Records one raw server frame: subscription_succeeded, member_added, member_removed and watchlist events;
     * anything else is ignored. {@code data} may be a JSON string or an object, as the protocol allows.
     */
    public void frame(String client, String frame) {
        JsonNode json = Json.parse(frame);
        String event = json.path("event").asText();
        String channel = json.path("channel").asText();
        switch (event) {
            case "pusher_internal:subscription_succeeded" -> {
                JsonNode ids = data(json).path("presence").path("ids");
                if (ids.isArray()) { // not a presence channel otherwise
                    List<String> users = new ArrayList<>();
                    ids.forEach(id -> users.add(id.asText()));
                    roster(client, channel, users);
                }
            }
            case "pusher_internal:member_added" -> added(client, channel, data(json).path("user_id").asText());
            case "pusher_internal:member_removed" -> removed(client, channel, data(json).path("user_id").asText());
            case "pusher_internal:watchlist_events" -> data(json).path("events").forEach(e -> {
                boolean online = "online".equals(e.path("name").asText());
                e.path("user_ids").forEach(id -> watched(client, id.asText(), online));
            });
            default -> { }
        }
    }

    private static JsonNode data(JsonNode frame) {
        JsonNode data = frame.path("data");
        return data.isTextual() ? Json.parse(data.textValue()) : data;
    }

    private List<Event> events(String client, String channel) {
        return presence.computeIfAbsent(client, c -> new LinkedHashMap<>())
                .computeIfAbsent(channel, c -> new ArrayList<>());
    }

    /** Fails, naming every broken step, unless each client's roster was a set at every moment. */
    public void assertRostersAreSets() {
        report("presence roster not a set", rosterViolations());
    }

    /** The broken steps of {@link #assertRostersAreSets()}, for the checker's own tests. */
    public synchronized List<String> rosterViolations() {
        List<String> out = new ArrayList<>();
        presence.forEach((client, channels) -> channels.forEach((channel, events) -> {
            Set<String> roster = null;
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                String at = client + " " + channel + " #" + i + ": ";
                switch (e.kind()) {
                    case ROSTER -> roster = new LinkedHashSet<>(e.users());
                    case UNSUBSCRIBED -> roster = null;
                    case ADDED, REMOVED -> {
                        String user = e.users().iterator().next();
                        String name = e.kind() == Kind.ADDED ? "member_added " : "member_removed ";
                        if (roster == null) {
                            out.add(at + name + user + " before subscription_succeeded");
                        } else if (e.kind() == Kind.ADDED && !roster.add(user)) {
                            out.add(at + name + user + " already in the roster " + new TreeSet<>(roster));
                        } else if (e.kind() == Kind.REMOVED && !roster.remove(user)) {
                            out.add(at + name + user + " not in the roster " + new TreeSet<>(roster));
                        }
                    }
                }
            }
        }));
        return out;
    }

    /**
     * Fails unless every client whose last subscription to {@code channel} is still open holds exactly
     * {@code truth} (events replayed from its roster, ignoring steps that were not set operations: those are
     * {@link #assertRostersAreSets()}'s to report).
     */
    public void assertRostersEnd(String channel, Set<String> truth) {
        report("presence roster not true at the end", endViolations(channel, truth));
    }

    public synchronized List<String> endViolations(String channel, Set<String> truth) {
        List<String> out = new ArrayList<>();
        presence.forEach((client, channels) -> {
            Set<String> roster = roster(client, channel);
            if (roster != null && !roster.equals(truth)) {
                out.add(client + " " + channel + " ends with " + new TreeSet<>(roster) + ", true set "
                        + new TreeSet<>(truth));
            }
        });
        return out;
    }

    /** The roster {@code client} holds of {@code channel} now; null when it holds none. */
    public synchronized Set<String> roster(String client, String channel) {
        List<Event> events = presence.getOrDefault(client, Map.of()).get(channel);
        Set<String> roster = null;
        if (events == null) {
            return null;
        }
        for (Event e : events) {
            switch (e.kind()) {
                case ROSTER -> roster = new TreeSet<>(e.users());
                case UNSUBSCRIBED -> roster = null;
                case ADDED -> { if (roster != null) roster.addAll(e.users()); }
                case REMOVED -> { if (roster != null) roster.removeAll(e.users()); }
            }
        }
        return roster;
    }

    /** The clients that hold a roster of {@code channel} now (subscribed and not unsubscribed since). */
    public synchronized Set<String> subscribers(String channel) {
        Set<String> out = new TreeSet<>();
        presence.forEach((client, channels) -> {
            List<Event> events = channels.getOrDefault(channel, List.of());
            for (int i = events.size() - 1; i >= 0; i--) {
                Kind k = events.get(i).kind();
                if (k == Kind.ROSTER) {
                    out.add(client);
                }
                if (k == Kind.ROSTER || k == Kind.UNSUBSCRIBED) {
                    break;
                }
            }
        });
        return out;
    }

    /** Fails unless, per watcher connection and watched user, online and offline alternate. */
    public void assertWatchlistsAlternate() {
        report("watchlist states do not alternate", watchlistViolations());
    }

    public synchronized List<String> watchlistViolations() {
        List<String> out = new ArrayList<>();
        watchlists.forEach((watcher, users) -> users.forEach((user, states) -> {
            for (int i = 1; i < states.size(); i++) {
                if (states.get(i).equals(states.get(i - 1))) {
                    out.add(watcher + " watching " + user + " #" + i + ": " + state(states.get(i)) + " twice in a row "
                            + states.stream().map(PresenceHistory::state).toList());
                }
            }
        }));
        return out;
    }

    /**
     * Fails unless every watcher's last state of every user it was told about is true: online iff in {@code online}
     * (watchers that {@link #closed} are not judged at the end: nobody tells a closed connection anything).
     */
    public void assertWatchlistsEnd(Set<String> online) {
        report("watchlist not true at the end", watchlistEndViolations(online));
    }

    public synchronized List<String> watchlistEndViolations(Set<String> online) {
        List<String> out = new ArrayList<>();
        watchlists.forEach((watcher, users) -> users.forEach((user, states) -> {
            if (closedWatchers.contains(watcher)) {
                return;
            }
            boolean last = states.get(states.size() - 1);
            if (last != online.contains(user)) {
                out.add(watcher + " last told " + user + " is " + state(last) + ": " + states.stream()
                        .map(PresenceHistory::state).toList());
            }
        }));
        return out;
    }

    /** The watched users {@code watcher} was told about (for checking that the initial state came at all). */
    public synchronized Set<String> watchedBy(String watcher) {
        return new TreeSet<>(watchlists.getOrDefault(watcher, Map.of()).keySet());
    }

    private static String state(boolean online) {
        return online ? "online" : "offline";
    }

    static void report(String what, List<String> violations) {
        if (!violations.isEmpty()) {
            int shown = Math.min(violations.size(), 40);
            throw new AssertionError(what + " (" + violations.size() + " violations):\n  "
                    + String.join("\n  ", violations.subList(0, shown))
                    + (shown < violations.size() ? "\n  …" : ""));
        }
    }
}
