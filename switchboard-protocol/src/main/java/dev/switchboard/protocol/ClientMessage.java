package dev.switchboard.protocol;

/**
 * A frame received from a client, already validated for shape by {@link WireCodec#decode}. Field types
 * are checked there, so the engine only decides what the message means.
 */
public sealed interface ClientMessage {

    record Ping() implements ClientMessage {}

    record Pong() implements ClientMessage {}

    /** {@code auth} and {@code channelData} are null when absent. */
    record Subscribe(String channel, String auth, String channelData) implements ClientMessage {}

    record Unsubscribe(String channel) implements ClientMessage {}

    /** {@code auth} and {@code userData} exactly as received; userData is signed as that raw string. */
    record Signin(String auth, String userData) implements ClientMessage {}

    /**
     * A {@code client-*} event. {@code dataJson} is the data value as JSON text, relayed untouched
     * (an object stays an object, a string stays a string); null when the client sent no data.
     */
    record ClientEvent(String event, String channel, String dataJson) implements ClientMessage {}

    /** Any other well-formed event name (including unknown {@code pusher:} events). */
    record Unknown(String event) implements ClientMessage {}

    /** A frame that is not a JSON object with the fields its event needs. */
    record Malformed(String reason) implements ClientMessage {}
}
