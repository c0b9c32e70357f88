package dev.switchboard.server.api;

import java.util.List;
import java.util.Set;

/**
 * One validated event to publish: from {@code POST /events} or one item of {@code POST /batch_events}.
 * {@code data} is the exact string clients will receive; {@code socketId} is null when nobody is excluded.
 */
record Trigger(String name, String data, List<String> channels, String socketId, Set<InfoAttribute> info) {}
