package dev.switchboard.server.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * One connection's places in its channels' orders: in each presence channel's membership order
 * ({@link PresenceView}) and in each channel that keeps a window ({@link ResumeView}, channel resume). Made at the
 * connection's first such join (most sockets never make one); touched only on its loop.
 */
final class ChannelViews {
    /** Presence channel → its view; null while none. */
    private Map<String, PresenceView> presence;
    /** Windowed channel → its view; null while none. */
    private Map<String, ResumeView> resumes;

    /** A join begins: before the socket is in the channel's lanes, so that what comes meanwhile is held, not lost. */
    void joining(String channel, PresenceView member, ResumeView resume) {
        if (member != null) {
            if (presence == null) {
                presence = new HashMap<>(2);
            }
            presence.put(channel, member);
        }
        if (resume != null) {
            if (resumes == null) {
                resumes = new HashMap<>(2);
            }
            resumes.put(channel, resume);
        }
    }

    /** The roster at {@code position} was just sent: what was held for the presence channel follows it. */
    void rosterSent(String channel, long position, Peer peer) {
        PresenceView view = presence == null ? null : presence.get(channel);
        if (view != null) {
            view.rosterSent(position, peer);
        }
    }

    /** The socket is out of the channel: its views go; the resume view, if any, is returned. */
    ResumeView drop(String channel) {
        dropPresence(channel);
        return resumes == null ? null : resumes.remove(channel);
    }

    /** Windowed channels → views; null while none. */
    Map<String, ResumeView> resumes() {
        return resumes;
    }

    /**
     * A member_added or member_removed: written when news to the roster sent; held while the roster is on its way;
     * dropped when the socket is no member (or the roster holds it); OVERFLOW (the view dropped) past the hold's bound.
     */
    ResumeView.Offer membership(String channel, Frame frame) {
        PresenceView view = presence == null ? null : presence.get(channel);
        if (view == null) {
            return ResumeView.Offer.DROP;
        }
        if (view.pending()) {
            if (view.hold(frame)) {
                return ResumeView.Offer.HELD;
            }
            dropPresence(channel);
            return ResumeView.Offer.OVERFLOW;
        }
        return view.isNews(frame) ? ResumeView.Offer.WRITE : ResumeView.Offer.DROP;
    }

    /** A channel event at its place in the channel's window (ResumeView#offer); WRITE off windowed channels. */
    ResumeView.Offer sequenced(String channel, Frame frame) {
        ResumeView view = resumes == null ? null : resumes.get(channel);
        return view == null ? ResumeView.Offer.WRITE : view.offer(frame);
    }

    private void dropPresence(String channel) {
        if (presence != null && presence.remove(channel) != null && presence.isEmpty()) {
            presence = null;
        }
    }
}
