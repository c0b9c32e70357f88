package dev.switchboard.server.apps;

import dev.switchboard.server.testing.TcpProxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SQL statements a node sends its database, read off the wire between them (a {@link TcpProxy} in
 * front of the real server), so that the count does not depend on the code it checks. PostgreSQL: each
 * {@code Execute} or simple {@code Query} message of the frontend protocol; MySQL/MariaDB: each
 * {@code COM_QUERY} or {@code COM_STMT_EXECUTE} command packet. A connection's own set-up (a few statements per
 * new pooled connection) is counted too: callers allow for it.
 */
final class StatementCounter {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int COM_QUERY = 0x03;
    private static final int COM_STMT_EXECUTE = 0x17;

    private final Dialect dialect;
    private final AtomicLong statements = new AtomicLong();

    StatementCounter(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Count on every connection {@code relay} carries from now on. */
    StatementCounter watch(TcpProxy relay) {
        relay.observeClientBytes(() -> dialect == Dialect.POSTGRESQL ? new PgStream() : new MariaDbStream());
        return this;
    }

    long count() {
        return statements.get();
    }

    /** Buffers bytes until whole messages can be read; subclasses consume what they can. */
    private abstract static class Stream implements TcpProxy.BytesObserver {
        private byte[] pending = new byte[0];

        @Override
        public void accept(byte[] buf, int length) {
            byte[] all = new byte[pending.length + length];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(buf, 0, all, pending.length, length);
            int used = consume(all);
            pending = java.util.Arrays.copyOfRange(all, used, all.length);
        }

        /** Reads the whole messages at the start of {@code b}; returns the bytes used. */
        abstract int consume(byte[] b);
    }

    /** Untyped start-up messages (SSL or GSS request, then the startup packet), then typed ones. */
    private final class PgStream extends Stream {
        private boolean started;

        @Override
        int consume(byte[] b) {
            int at = 0;
            while (true) {
                if (!started) {
                    if (b.length - at < 8) {
                        return at;
                    }
                    int len = int32(b, at);
                    int code = int32(b, at + 4);
                    if (b.length - at < len) {
                        return at;
                    }
                    at += len;
                    started = code != SSL_REQUEST && code != GSSENC_REQUEST;
                } else {
                    if (b.length - at < 5) {
                        return at;
                    }
                    char type = (char) b[at];
                    int len = int32(b, at + 1);
                    if (b.length - at < 1 + len) {
                        return at;
                    }
                    if (type == 'E' || type == 'Q') {
                        statements.incrementAndGet();
                    }
                    at += 1 + len;
                }
            }
        }
    }

    /** Packets: 3-byte little-endian length, a sequence number, the payload; a command starts sequence 0. */
    private final class MariaDbStream extends Stream {
        @Override
        int consume(byte[] b) {
            int at = 0;
            while (b.length - at >= 4) {
                int len = (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
                int seq = b[at + 3] & 0xFF;
                if (b.length - at < 4 + len) {
                    return at;
                }
                if (seq == 0 && len > 0) {
                    int command = b[at + 4] & 0xFF;
                    if (command == COM_QUERY || command == COM_STMT_EXECUTE) {
                        statements.incrementAndGet();
                    }
                }
                at += 4 + len;
            }
            return at;
        }
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
