package dev.switchboard.server.edge;

/**
 * One HTTP request as the edge read it, its target parsed once: everything a port may read, copied out of Netty's
 * buffers (which are released when the request has been routed).
 *
 * @param method        as sent, e.g. {@code GET}, {@code HEAD} (the edge empties the body of a HEAD's answer)
 * @param path          the request target up to {@code ?}, still percent-encoded: what the edge routes on, and all
 *                      that may be logged (a query carries signatures)
 * @param query         after {@code ?}, still encoded; empty when there is none
 * @param authorization the {@code Authorization} header, or null
 * @param body          never null
 * @param clientAddress the client's address as the connection limits count it (behind a trusted proxy, the
 *                      address it forwarded for); null when not known
 */
public record HttpCall(String method, String path, String query, String authorization, byte[] body,
                       String clientAddress) {}
