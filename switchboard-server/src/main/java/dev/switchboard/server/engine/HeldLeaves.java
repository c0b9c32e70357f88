package dev.switchboard.server.engine;

import java.util.concurrent.CompletionStage;

/**
 * The end of a held leave (docs/webhooks.md). A leave or sign-out given a hold ({@link ChannelState#leave},
 * {@link OnlineUsers#signOut}) records its vacancy, member removal or going offline as held in the step that decides
 * it; a join or sign-in anywhere that finds the record cancels it in its own step; the webhooks' leave delay asks
 * here at its end whether to send.
 */
public interface HeldLeaves {

    /** What a held leave is: a channel's vacancy, a member's removal from a channel, a user going offline. */
    enum Hold { VACANCY, REMOVAL, OFFLINE }

    /**
     * The end of a leave's hold, asked by the node whose leave recorded it: true, and the record gone, when no
     * return cancelled it meanwhile (nor a later leave of another node took it over): then, and only then, its
     * webhook is sent. {@code channel} is null for {@link Hold#OFFLINE}, {@code userId} for {@link Hold#VACANCY}.
     */
    CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId);
}
