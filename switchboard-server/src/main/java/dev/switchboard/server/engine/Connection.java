package dev.switchboard.server.engine;

/** SKELETON — being implemented on main; signatures are the contract. One client socket's protocol state. */
public final class Connection {
    public String socketId() { throw new UnsupportedOperationException(); }

    public AppEngine app() { throw new UnsupportedOperationException(); }

    /** Null when not signed in. */
    public String userId() { throw new UnsupportedOperationException(); }

    /** A text frame from the client; call on the peer's executor. Decodes with WireCodec and answers. */
    public void onText(String text) { throw new UnsupportedOperationException(); }

    /** The socket closed; the edge calls this exactly once, on the peer's executor. */
    public void onClose() { throw new UnsupportedOperationException(); }
}
