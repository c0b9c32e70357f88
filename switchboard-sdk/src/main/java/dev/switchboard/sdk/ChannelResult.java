package dev.switchboard.sdk;

/** {@code GET /channels/{name}}: whether the channel is occupied, and the attributes asked for. */
public record ChannelResult(int status, String channel, ChannelInfo info) {

    public boolean occupied() {
        return Boolean.TRUE.equals(info.occupied());
    }

    static ChannelResult from(String channel, Transport.Answer answer) {
        return new ChannelResult(answer.status(), channel, ChannelInfo.from(answer.json()));
    }
}
