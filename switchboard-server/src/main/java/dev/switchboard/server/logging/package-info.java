/**
 * Logging shared by every package: {@link dev.switchboard.server.logging.RateLimitedLog}, which keeps warnings that a
 * client, a receiver or the network can cause over and over to one line per interval, with a count.
 */
package dev.switchboard.server.logging;
