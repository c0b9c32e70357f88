package dev.switchboard.sdk;

/** The answer of a call that returns nothing but success ({@code terminateUserConnections}). */
public record Ack(int status) {}
