package dev.switchboard.server.engine;

import java.util.List;

/** One page of online user ids in id order; {@code nextCursor} is null on the last page. */
public record UserPage(List<String> ids, int total, String nextCursor) {}
