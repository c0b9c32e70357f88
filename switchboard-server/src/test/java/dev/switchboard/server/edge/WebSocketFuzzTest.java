package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.FuzzFrames;
import dev.switchboard.server.testing.FuzzTries;
import dev.switchboard.server.testing.LeakWatch;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.Waits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of WebSocket message handling: the protocol decoder alone, then one real server
 * (port 0) fed generated and mutated Pusher frames, and raw frames with any opcode, flags and payload, over a
 * hand-written socket. After each input a {@code pusher:ping} must be answered (no hang, no silent drop); bad
 * JSON or an unknown event gets a {@code pusher:error} first; a socket the server closes gets a close frame with
 * a code. A bystander client on another channel must keep receiving, and Netty's leak detector (PARANOID) must
 * report nothing. Inputs per property: {@code jqwik.tries.default} (2000 in the test command, 200000 with
 * {@code -P fuzz}).
 */
class WebSocketFuzzTest {
    static final String QUERY = "/app/app-key" + RawSocket.PUSHER_JS_QUERY;
    static final String PING = "{\"event\":\"pusher:ping\",\"data\":{}}";
    static final byte[] PING_FRAME = RawWebSocket.frame(0x80 | RawWebSocket.TEXT, true, PING.getBytes(StandardCharsets.UTF_8));
    /** Close codes a raw frame may earn: protocol error, unsupported data, bad UTF-8, policy, too big. */
    static final Set<Integer> RAW_CLOSES = Set.of(1000, 1002, 1003, 1007, 1008, 1009);

    static LeakWatch leaks;
    static Switchboard server;
    static RawWebSocket victim;
    static RawSocket bystander;
    static SwitchboardClient sdk;
    static final String BYSTANDER_CHANNEL = "bystander-" + UUID.randomUUID();
    static int ticks;
    static final AtomicLong decoded = new AtomicLong();
    static final AtomicLong textFrames = new AtomicLong();
    static final AtomicLong rawFrames = new AtomicLong();
    static final AtomicLong closes = new AtomicLong();

    @BeforeContainer
    static void start() throws IOException {
        leaks = LeakWatch.start();
        server = Switchboard.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0",
                "--worker-threads=2", "--set", "app.max_channels_per_connection=-1"}, Map.of()));
        sdk = SwitchboardClient.builder().appId("app-id").key("app-key").secret("app-secret")
                .host("127.0.0.1").port(server.port()).build();
        bystander = RawSocket.open(server.port(), "app-key");
        bystander.socketId();
        bystander.send(ClientFrames.subscribe(BYSTANDER_CHANNEL, ""));
        bystander.awaitEvent("pusher_internal:subscription_succeeded");
        victim = openVictim();
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            bystanderStillReceives();
            assertThat(bystander.events("pusher:error")).isEmpty();
            // Every input was answered by design, none by the boundary that catches bugs.
            assertThat(server.edgeCounters().handlerErrors.sum()).as("unexpected errors at the edge").isZero();
        } finally {
            if (victim != null) {
                victim.close();
            }
            bystander.close();
            server.close();
            System.out.printf("WebSocketFuzzTest: %d decoded, %d text frames and %d raw frames sent to a live server"
                    + " (%d closed by it)%n", decoded.get(), textFrames.get(), rawFrames.get(), closes.get());
            leaks.assertNoLeaks();
            leaks.stop();
        }
        FuzzTries.assertRan("decode", decoded.get());
        FuzzTries.assertRan("text frames", textFrames.get());
        FuzzTries.assertRan("raw frames", rawFrames.get());
    }

    // ---------------------------------------------------------------- the decoder alone

    @Property
    void decodeNeverThrowsAndNamesWhatIsWrong(@ForAll("texts") String text) {
        decoded.incrementAndGet();
        ClientMessage m = WireCodec.decode(text);
        assertThat(m).isNotNull();
        if (m instanceof ClientMessage.Malformed bad) {
            assertThat(bad.reason()).isNotBlank().hasSizeLessThan(200);
        }
    }

    // ---------------------------------------------------------------- text frames through a live server

    // No shrinking for the socket properties: they share one live socket, so a replay is not the same experiment.
    @Property(shrinking = ShrinkingMode.OFF)
    void everyTextFrameIsAnsweredAndBadOnesGetAPusherError(@ForAll("texts") String text) throws IOException {
        textFrames.incrementAndGet();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // What the server decodes: the text after the UTF-8 round trip (a lone surrogate becomes '?').
        ClientMessage expected = WireCodec.decode(new String(bytes, StandardCharsets.UTF_8));
        victim.sendTogether(RawWebSocket.frame(0x80 | RawWebSocket.TEXT, true, bytes), PING_FRAME);
        Answer a = answer(expected instanceof ClientMessage.Ping ? 2 : 1);
        assertThat(a.closeCode).as("a text frame must not close the socket: %s", text).isNull();
        if (expected instanceof ClientMessage.Malformed || expected instanceof ClientMessage.Unknown) {
            assertThat(a.errors).as("pusher:error for %s", text).isPositive();
        }
        everySoOften(textFrames.get());
    }

    // ---------------------------------------------------------------- raw frames through a live server

    record RawFrame(int firstByte, boolean masked, byte[] payload) {
        int opcode() {
            return firstByte & 0x0f;
        }

        boolean fin() {
            return (firstByte & 0x80) != 0;
        }

        @Override
        public String toString() {
            return String.format("RawFrame[b0=0x%02x masked=%s payload=%d bytes]", firstByte, masked, payload.length);
        }
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void everyRawFrameIsAnsweredOrClosedWithACode(@ForAll("rawFrames") RawFrame f) throws IOException {
        rawFrames.incrementAndGet();
        // One write: a server that closes after a fatal frame has then read the ping too, and closes with FIN. Data
        // left unread in its socket would make the kernel reset the connection, and the close frame could be lost.
        victim.sendTogether(RawWebSocket.frame(f.firstByte(), f.masked(), f.payload()), PING_FRAME);
        Answer a = answer(isPing(f) ? 2 : 1);
        if (a.closeCode != null) {
            if (f.opcode() == RawWebSocket.CLOSE && f.fin() && (f.firstByte() & 0x70) == 0 && f.masked()) {
                // Our own close: echoed with our status, or refused with a protocol/UTF-8 error when it was invalid.
                assertThat(a.closeCode).as("close code after %s", f).isBetween(1000, 4999);
            } else {
                assertThat(a.closeCode).as("close code after %s", f).isIn(RAW_CLOSES).isNotEqualTo(1000);
            }
        } else if (f.opcode() == RawWebSocket.BINARY && f.fin() && (f.firstByte() & 0x70) == 0 && f.masked()) {
            assertThat(a.errors).as("binary frames get a pusher:error").isPositive();
        }
        everySoOften(rawFrames.get());
    }

    static boolean isPing(RawFrame f) {
        if (f.opcode() != RawWebSocket.TEXT || !f.fin() || (f.firstByte() & 0x70) != 0 || !f.masked()) {
            return false;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(f.payload())).toString();
            return WireCodec.decode(text) instanceof ClientMessage.Ping;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<String> texts() {
        return FuzzFrames.anyText();
    }

    @Provide
    Arbitrary<RawFrame> rawFrames() {
        return Arbitraries.randomValue(WebSocketFuzzTest::rawFrame);
    }

    private static final int[] OPCODES = {RawWebSocket.TEXT, RawWebSocket.TEXT, RawWebSocket.TEXT, RawWebSocket.TEXT,
            RawWebSocket.BINARY, RawWebSocket.BINARY, 0, 0, RawWebSocket.CLOSE, RawWebSocket.PING, RawWebSocket.PONG};
    private static final int[] RESERVED_OPCODES = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15};
    private static final int[] ODD_FLAGS = {0x00, 0x90, 0xA0, 0xC0, 0x40};

    static RawFrame rawFrame(java.util.Random r) {
        int opcode = r.nextInt(12) == 0 ? RESERVED_OPCODES[r.nextInt(RESERVED_OPCODES.length)]
                : OPCODES[r.nextInt(OPCODES.length)];
        int flags = r.nextInt(10) < 8 ? 0x80 : ODD_FLAGS[r.nextInt(ODD_FLAGS.length)];
        byte[] payload;
        switch (r.nextInt(3)) {
            case 0:
                payload = new byte[r.nextInt(201)];
                r.nextBytes(payload);
                break;
            case 1:
                payload = FuzzFrames.anyText(r).getBytes(StandardCharsets.UTF_8);
                break;
            default:
                payload = new byte[2];
                r.nextBytes(payload);
        }
        return new RawFrame(flags | opcode, r.nextInt(20) != 0, payload);
    }

    // ---------------------------------------------------------------- the exchange

    /** What came back for one input: pusher:errors seen, and the close code if the server closed. */
    record Answer(int errors, Integer closeCode) {}

    /** Reads until {@code pongs} pusher:pong frames or the server's close; a hang fails on the read timeout. */
    static Answer answer(int pongs) throws IOException {
        int errors = 0;
        while (true) {
            RawWebSocket.Frame f;
            try {
                f = victim.read();
            } catch (java.net.SocketException e) {
                f = null;
            }
            if (f == null) {
                victim.close();
                victim = openVictim();
                throw new AssertionError("The server dropped the socket without a close frame");
            }
            if (f.opcode() == RawWebSocket.CLOSE) {
                closes.incrementAndGet();
                int code = f.closeCode();
                assertThat(code).as("the close frame carries a code").isPositive();
                victim.close();
                victim = openVictim();
                return new Answer(errors, code);
            }
            if (f.opcode() != RawWebSocket.TEXT) {
                continue;
            }
            JsonNode frame = WireCodec.parse(f.text());
            String event = frame.path("event").asText();
            if (event.equals("pusher:error")) {
                errors++;
            } else if (event.equals("pusher:pong") && --pongs == 0) {
                return new Answer(errors, null);
            }
        }
    }

    static RawWebSocket openVictim() throws IOException {
        RawWebSocket ws = RawWebSocket.connect(server.port(), QUERY);
        RawWebSocket.Frame hello = ws.read();
        assertThat(hello.text()).contains("pusher:connection_established");
        return ws;
    }

    static void everySoOften(long n) {
        if (n % 500 == 0) {
            bystanderStillReceives();
        }
    }

    /** The bystander, subscribed before the fuzzing started, gets the next tick and was never closed. */
    static void bystanderStillReceives() {
        String event = "tick-" + (++ticks);
        sdk.trigger(BYSTANDER_CHANNEL, event, Map.of("n", ticks));
        Waits.eventually().until(() -> !bystander.events(event).isEmpty());
        assertThat(bystander.closeCode()).isNull();
    }
}
