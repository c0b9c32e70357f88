package dev.switchboard.sdk;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for path segments and query values. The SDK signs exactly the path it sends (encoded);
 * Switchboard accepts a signature over either the raw or the decoded path (PROTOCOL.md §6.2 step 6), and
 * ids that pass {@link Checks} contain nothing that needs encoding anyway.
 */
final class Urls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** RFC 3986 pchar minus '+', which some servers still read as a space. */
    private static final String PATH_SAFE = "-._~!$&'()*,;=:@";
    private static final String QUERY_SAFE = "-._~!$'()*,;:@/?";

    private Urls() {}

    static String pathSegment(String value) {
        return encode(value, PATH_SAFE);
    }

    static String queryValue(String value) {
        return encode(value, QUERY_SAFE);
    }

    private static String encode(String value, String safe) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || safe.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
