package dev.switchboard.server.api;

/** One HTTP API request as the edge received it: method, raw URI (path and query, still encoded), body. */
public record ApiRequest(String method, String uri, byte[] body) {}
