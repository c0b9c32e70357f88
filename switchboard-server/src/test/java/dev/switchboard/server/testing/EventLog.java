package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateEncryptedChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Records everything the Java client reports for one channel. It implements the widest listener interfaces
 * so the client accepts it for public, private, encrypted and presence channels alike.
 */
public final class EventLog implements PresenceChannelEventListener, PrivateEncryptedChannelEventListener {
    private final List<PusherEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> authFailures = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> decryptionFailures = new CopyOnWriteArrayList<>();
    private final List<User> joined = new CopyOnWriteArrayList<>();
    private final List<User> left = new CopyOnWriteArrayList<>();
    private volatile boolean subscribed;
    private volatile Set<User> initialMembers;

    @Override
    public void onEvent(PusherEvent event) {
        events.add(event);
    }

    @Override
    public void onError(String message, Exception e) {
        errors.add(message);
    }

    @Override
    public void onSubscriptionSucceeded(String channelName) {
        subscribed = true;
    }

    @Override
    public void onAuthenticationFailure(String message, Exception e) {
        authFailures.add(message);
    }

    @Override
    public void onDecryptionFailure(String event, String reason) {
        decryptionFailures.add(event + ": " + reason);
    }

    @Override
    public void onUsersInformationReceived(String channelName, Set<User> users) {
        initialMembers = Set.copyOf(users);
    }

    @Override
    public void userSubscribed(String channelName, User user) {
        joined.add(user);
    }

    @Override
    public void userUnsubscribed(String channelName, User user) {
        left.add(user);
    }

    public boolean subscribed() { return subscribed; }

    public List<PusherEvent> events() { return List.copyOf(events); }

    public List<PusherEvent> named(String eventName) {
        return events.stream().filter(e -> eventName.equals(e.getEventName())).collect(Collectors.toList());
    }

    /** Waits for the first event with that name and returns it. */
    public PusherEvent awaitEvent(String eventName) {
        eventually().until(() -> !named(eventName).isEmpty());
        return named(eventName).get(0);
    }

    public List<String> authFailures() { return List.copyOf(authFailures); }

    public List<String> errors() { return List.copyOf(errors); }

    public List<String> decryptionFailures() { return List.copyOf(decryptionFailures); }

    /** The roster from {@code subscription_succeeded}; null until it arrived. */
    public Set<User> initialMembers() { return initialMembers; }

    public Set<String> initialMemberIds() {
        Set<User> members = initialMembers;
        return members == null ? null : members.stream().map(User::getId).collect(Collectors.toSet());
    }

    public List<String> joinedIds() { return joined.stream().map(User::getId).collect(Collectors.toList()); }

    public List<String> leftIds() { return left.stream().map(User::getId).collect(Collectors.toList()); }

    public List<User> joined() { return List.copyOf(joined); }
}
