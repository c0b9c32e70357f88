/**
 * The Pusher Channels wire protocol as data: client and server messages, the one JSON codec, close and
 * error codes, channel names and the signatures. No server dependency: the SDK and the benchmark use it too.
 */
package dev.switchboard.protocol;
