package dev.switchboard.server.edge;

/**
 * The open end of a streamed answer (server-sent events: the dashboard's live streams), implemented by the edge
 * over the socket that asked. Thread-safe; never blocks.
 */
public interface StreamSink {
    /**
     * Queues {@code text} for the client. False when the stream is closed; a client that does not keep up
     * has the text dropped (true is still returned: the stream goes on) so that a slow page costs no memory.
     */
    boolean send(String text);

    boolean isOpen();

    /** Ends the response and closes the connection. */
    void close();
}
