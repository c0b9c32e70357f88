package dev.switchboard.server.api;

/**
 * One HTTP API request as the edge received it: method, raw URI (path and query, still encoded), body, and the
 * client's address as the connection limits count it (null when not known: the app look-up is then not limited
 * per address).
 */
public record ApiRequest(String method, String uri, byte[] body, String clientAddress) {

    public ApiRequest(String method, String uri, byte[] body) {
        this(method, uri, body, null);
    }
}
