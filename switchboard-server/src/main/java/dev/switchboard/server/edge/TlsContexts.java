package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS: one {@link SslContext} from the configured PEM files, used by every new connection, and
 * replaced whole on {@link #reload()} (SIGHUP, or a changed file seen by {@link #watch}). A connection keeps
 * the engine it was made with, so a reload drops nobody; only handshakes after it use the new certificate. A
 * reload that fails (a half-written file, a key that does not match) keeps the old context and says why.
 *
 * <p>OpenSSL (BoringSSL through netty-tcnative) when it loads, as it is cheaper per handshake and per byte
 * than the JDK's engine (BENCHMARKS.md, "TLS"); {@code tls_provider} forces one.
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private final Path cert;
    private final Path key;
    private final SslProvider provider;
    private final EdgeCounters counters;
    private volatile SslContext current;
    /** Modification times and sizes of the two files when last loaded; watcher thread only. */
    private String loadedStamp;
    private ScheduledFuture<?> watcher;

    /** Loads the files now; an {@link IllegalStateException} saying why when they cannot be used. */
    TlsContexts(ServerConfig config, EdgeCounters counters) {
        this.cert = Path.of(config.tlsCert());
        this.key = Path.of(config.tlsKey());
        this.counters = counters;
        this.provider = provider(config.tlsProvider());
        this.loadedStamp = stamp();
        try {
            this.current = build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot use tls_cert " + cert + " and tls_key " + key + ": " + describe(e), e);
        }
    }

    private static SslProvider provider(String setting) {
        switch (setting) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls_provider is openssl but netty-tcnative cannot be loaded: "
                            + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            default:
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
    }

    private SslContext build() throws IOException {
        // Read both files before building, so a missing one is named rather than reported as a parse error.
        if (!Files.isReadable(cert)) {
            throw new IOException("cannot read " + cert);
        }
        if (!Files.isReadable(key)) {
            throw new IOException("cannot read " + key);
        }
        return SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(provider).build();
    }

    /** "openssl" or "jdk". */
    public String providerLabel() {
        return provider == SslProvider.JDK ? "jdk" : "openssl";
    }

    /** The handler for a new connection, with the context current right now. */
    SslHandler newHandler(Channel ch) {
        SslHandler h = current.newHandler(ch.alloc());
        h.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                counters.tlsHandshakeFailures.increment();
            }
        });
        return h;
    }

    /**
     * Loads the files again for new handshakes; true when the new context is in use. On any thread: the swap
     * is one volatile write, and connections being set up use whichever context they read.
     */
    public synchronized boolean reload() {
        String stamp = stamp();
        try {
            SslContext next = build();
            current = next;
            loadedStamp = stamp;
            counters.tlsReloads.increment();
            log.info("TLS certificate reloaded from {} ({}); open connections keep theirs", cert, providerLabel());
            return true;
        } catch (IOException | RuntimeException e) {
            counters.tlsReloadFailures.increment();
            // Remember the stamp even so: a broken file is reported once, not at every check until it is fixed.
            loadedStamp = stamp;
            log.error("TLS certificate reload from {} and {} failed, keeping the previous one: {}", cert, key, describe(e));
            return false;
        }
    }

    /** Checks the files every {@code seconds} on {@code executor} and reloads when either changed. */
    void watch(ScheduledExecutorService executor, int seconds) {
        if (seconds <= 0) {
            return;
        }
        watcher = executor.scheduleWithFixedDelay(() -> {
            String now = stamp();
            boolean changed;
            synchronized (this) {
                changed = !now.equals(loadedStamp);
            }
            if (changed) {
                reload();
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    void stop() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }

    private String stamp() {
        return stampOf(cert) + "|" + stampOf(key);
    }

    private static String stampOf(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p);
        } catch (IOException e) {
            return "missing";
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /**
     * Whether an exception is a TLS failure of the peer (not TLS, a bad record, a refused handshake): a
     * client's problem, logged at debug, not ours to warn about with a stack trace.
     */
    static boolean isPeerTlsFailure(Throwable cause) {
        return cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }
}
