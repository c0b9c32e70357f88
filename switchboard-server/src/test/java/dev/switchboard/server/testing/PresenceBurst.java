package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.pusher.rest.data.PresenceUser;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Concurrent subscribe bursts on one presence channel, over one node or several (issue 20): each round opens
 * {@code perRound} bare WebSockets spread over the nodes, then at one moment they all subscribe while, with leaves
 * on, some of the earlier sockets close or unsubscribe. User ids come from a small pool, so a user can leave and
 * come back on another socket and node, and two live sockets can share a user. Every frame each socket saw is
 * then checked with {@link PresenceHistory} over the whole run: rosters are sets at every moment and end equal to
 * the users of the sockets still subscribed.
 */
public final class PresenceBurst implements AutoCloseable {
    private record Member(String name, String user, RawSocket socket) {}

    private final String appKey;
    private final AppAuth auth;
    private final List<Integer> ports;
    private final String channel;
    private final List<Member> live = new ArrayList<>();
    private final List<Member> gone = new ArrayList<>();
    private final List<AutoCloseable> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService opener = Executors.newCachedThreadPool();

    public PresenceBurst(String appKey, AppAuth auth, List<Integer> ports, String channel) {
        this.appKey = appKey;
        this.auth = auth;
        this.ports = List.copyOf(ports);
        this.channel = channel;
    }

    /**
     * {@code rounds} bursts of {@code perRound} joins; with {@code leaves}, each burst also takes half of the
     * sockets of the round before away at the same moment (closing every other one, unsubscribing the rest).
     * Returns the history of every socket, already checked.
     */
    public PresenceHistory run(int rounds, int perRound, boolean leaves) {
        int pool = perRound * 3;
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            // Opened and authorized side by side: the round's cost is one handshake, not perRound of them.
            List<CompletableFuture<Member>> opening = new ArrayList<>();
            for (int i = 0; i < perRound; i++, n++) {
                int k = n;
                opening.add(CompletableFuture.supplyAsync(() -> new Member("s" + k + "@" + (k % ports.size() + 1),
                        "u" + (k * 7 % pool), RawSocket.open(http, ports.get(k % ports.size()), appKey)), opener));
            }
            List<Member> joining = new ArrayList<>();
            for (CompletableFuture<Member> f : opening) {
                Member m = f.join();
                sockets.add(m.socket());
                joining.add(m);
            }
            List<String> frames = new ArrayList<>();
            for (CompletableFuture<String> f : joining.stream()
                    .map(m -> CompletableFuture.supplyAsync(() -> subscribeFrame(m), opener)).toList()) {
                frames.add(f.join());
            }
            List<Member> leaving = new ArrayList<>();
            if (leaves) {
                for (int i = live.size() - perRound; i < live.size(); i += 2) {
                    if (i >= 0) {
                        leaving.add(live.get(i));
                    }
                }
            }
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < joining.size(); i++) {
                sent.add(joining.get(i).socket().socket().sendText(frames.get(i), true));
            }
            for (int i = 0; i < leaving.size(); i++) {
                Member m = leaving.get(i);
                if (i % 2 == 0) {
                    m.socket().close();
                } else {
                    sent.add(m.socket().socket().sendText(
                            "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}", true));
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            live.removeAll(leaving);
            gone.addAll(leaving);
            live.addAll(joining);
            for (Member m : joining) {
                eventually().until(() -> !m.socket().events("pusher_internal:subscription_succeeded").isEmpty());
            }
        }
        Set<String> truth = truth();
        eventually().atMost(Duration.ofSeconds(10)).until(() -> history().endViolations(channel, truth).isEmpty());
        // A late duplicate or removal would show after the rosters first agree: watch a little longer.
        Waits.throughoutQuietPeriod().until(() -> history().endViolations(channel, truth).isEmpty());
        PresenceHistory h = history();
        h.assertRostersAreSets();
        h.assertRostersEnd(channel, truth);
        if (!h.subscribers(channel).equals(live.stream().map(Member::name).collect(Collectors.toCollection(TreeSet::new)))) {
            throw new AssertionError("subscribed sockets " + h.subscribers(channel) + ", expected those of " + live);
        }
        return h;
    }

    /** The users of the sockets still subscribed. */
    public Set<String> truth() {
        return live.stream().map(Member::user).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every socket's frames so far, replayed; sockets taken away count as unsubscribed after their last frame. */
    public PresenceHistory history() {
        PresenceHistory h = new PresenceHistory();
        for (Member m : live) {
            h.replay(m.name(), m.socket().frames());
        }
        for (Member m : gone) {
            h.replay(m.name(), m.socket().frames());
            h.unsubscribed(m.name(), channel);
        }
        return h;
    }

    private String subscribeFrame(Member m) {
        String answer = auth.channels(new PresenceUser(m.user(), Map.of("n", m.name())))
                .authorize(channel, m.socket().socketId());
        var json = Json.parse(answer);
        return Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel,
                "auth", json.get("auth").asText(), "channel_data", json.get("channel_data").asText())));
    }

    /** Closes every socket the burst opened. */
    @Override
    public void close() {
        opener.shutdownNow();
        for (AutoCloseable s : sockets) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing is best effort; the node may be gone already
            }
        }
    }
}
