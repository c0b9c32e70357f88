package dev.switchboard.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one decoding of a request target's text (the WebSocket URL's app key, the HTTP API's path segments and
 * query), so that a name is looked up under one spelling whichever client sent it. Percent-escapes and raw bytes
 * are read together as UTF-8: browsers and pusher-http-node escape a non-ASCII character, pusher-js in Node sends
 * it as raw UTF-8 bytes, and both must find the same app. A request target arrives with one char per byte, as
 * the HTTP decoder reads the request line; a char above U+00FF (only a Java caller can pass one) stands for its
 * own UTF-8 bytes. Bytes that are not UTF-8 are refused rather than guessed at.
 */
public final class RequestPaths {
    private RequestPaths() {}

    /** Why a target cannot be decoded; the message is meant for the client. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message, null);
        }
    }

    /**
     * {@code raw} percent-decoded and read as UTF-8; with {@code plusIsSpace} (query components, as form encoders
     * such as pusher-http-java's URIBuilder write them) {@code +} is a space.
     *
     * @throws Malformed for a broken escape or bytes that are not UTF-8
     */
    public static String decode(String raw, boolean plusIsSpace) {
        if (isPlainAscii(raw, plusIsSpace)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new Malformed("Malformed percent-encoding in request URI");
                }
                out.write((hi << 4) | lo);
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
                i++;
            } else if (c <= 0xFF) {
                out.write(c);
                i++;
            } else {
                int cp = raw.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("Request URI is not UTF-8 (escaped or raw)");
        }
    }

    private static boolean isPlainAscii(String s, boolean plusIsSpace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c >= 0x80 || plusIsSpace && c == '+') {
                return false;
            }
        }
        return true;
    }
}
