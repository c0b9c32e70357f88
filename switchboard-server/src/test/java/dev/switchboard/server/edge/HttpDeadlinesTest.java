package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.TrustedProxies;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The deadlines before the upgrade that PreUpgradeBoundsTest (defaults, a real process) does not reach: a
 * keep-alive connection idle between requests, a body that stops (no minimum rate, so the body's own deadline
 * closes it), a well-behaved keep-alive client that keeps being served, and how HttpConnections counts addresses.
 */
class HttpDeadlinesTest {

    @Test
    void anIdleKeepAliveConnectionClosesAndAStalledBodyGets408() throws Exception {
        try (EdgeFixture server = EdgeFixture.start("--http-idle-timeout-seconds=1", "--http-body-timeout-seconds=1",
                "--http-body-min-bytes-per-second=0");
             Socket idle = new Socket("127.0.0.1", server.port());
             Socket stalled = new Socket("127.0.0.1", server.port())) {
            OutputStream out = idle.getOutputStream();
            out.write("GET /up HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = readUntilClosed(idle.getInputStream(), Duration.ofSeconds(10));
            assertThat(first).startsWith("HTTP/1.1 200").contains("\"ok\":true");

            stalled.getOutputStream().write(("POST /apps/app-id/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(stalled.getInputStream(), Duration.ofSeconds(10))).startsWith("HTTP/1.1 408");
            assertThat(server.server().edgeCounters().httpTimeoutIdle.sum()).isEqualTo(1);
            assertThat(server.server().edgeCounters().httpTimeoutBody.sum()).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.server().openSockets() == 0);
        }
    }

    @Test
    void aKeepAliveClientThatKeepsAskingIsServed() throws Exception {
        try (EdgeFixture server = EdgeFixture.start("--http-idle-timeout-seconds=2");
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            for (int i = 0; i < 4; i++) {
                s.getOutputStream().write("GET /up HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[4096];
                int n = s.getInputStream().read(buf);
                assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
                // Pacing, not waiting: the client idles half the idle timeout between requests, as a real one would.
                Thread.sleep(1000);
            }
        }
    }

    @Test
    void addressesAreCountedByPeerByIpv6SlashSixtyFourAndNotForTrustedProxies() throws Exception {
        HttpConnections c = new HttpConnections(10, 2, TrustedProxies.parse("10.0.0.0/8"), -1);
        InetSocketAddress a = addr("192.0.2.1");
        Object s1 = c.admit(a);
        Object s2 = c.admit(a);
        assertThat(c.admit(a)).isEqualTo(HttpConnections.Refusal.ADDRESS);
        assertThat(c.admit(addr("192.0.2.2"))).isInstanceOf(HttpConnections.Slot.class);
        // Two hosts of one /64 are one address; another /64 is another.
        c.admit(addr("2001:db8:0:1::1"));
        c.admit(addr("2001:db8:0:1::2"));
        assertThat(c.admit(addr("2001:db8:0:1:ffff::3"))).isEqualTo(HttpConnections.Refusal.ADDRESS);
        assertThat(c.admit(addr("2001:db8:0:2::1"))).isInstanceOf(HttpConnections.Slot.class);
        // A trusted proxy carries many clients: only the node's cap applies.
        for (int i = 0; i < 3; i++) {
            assertThat(c.admit(addr("10.1.2.3"))).isInstanceOf(HttpConnections.Slot.class);
        }
        assertThat(c.open()).isEqualTo(9);
        assertThat(c.admit(addr("192.0.2.8"))).isInstanceOf(HttpConnections.Slot.class);
        assertThat(c.admit(addr("192.0.2.9"))).isEqualTo(HttpConnections.Refusal.NODE);
        c.release((HttpConnections.Slot) s1);
        c.release((HttpConnections.Slot) s2);
        assertThat(c.admit(a)).isInstanceOf(HttpConnections.Slot.class);
    }

    @Test
    void theCapsStayUnderTheOpenFileLimit() {
        HttpConnections c = new HttpConnections(4096, 256, TrustedProxies.parse(""), 1024);
        assertThat(c.maxNode()).isEqualTo(512);
        assertThat(c.maxPerAddress()).isEqualTo(256);
        HttpConnections small = new HttpConnections(4096, 256, TrustedProxies.parse(""), 256);
        assertThat(small.maxNode()).isEqualTo(128);
        assertThat(small.maxPerAddress()).as("half the node's, so one address cannot fill it").isEqualTo(64);
    }

    private static InetSocketAddress addr(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    }

    private static String readUntilClosed(InputStream in, Duration within) throws Exception {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[4096];
        long end = System.nanoTime() + within.toNanos();
        int n;
        while ((n = in.read(buf)) > 0) {
            b.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            assertThat(System.nanoTime()).as("closed within " + within).isLessThan(end);
        }
        return b.toString();
    }
}
