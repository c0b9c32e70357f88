/**
 * The Java server SDK for Switchboard and for the hosted Pusher Channels service: an app's backend uses it
 * to trigger events, send to users, terminate a user's connections, query channels and the user data API,
 * to sign the answers of its {@code /pusher/auth} and {@code /pusher/user-auth} endpoints, and (in
 * {@code webhook}) to verify incoming webhooks.
 *
 * <p>One asynchronous core ({@link dev.switchboard.sdk.AsyncSwitchboardClient}) does every HTTP call;
 * {@link dev.switchboard.sdk.SwitchboardClient} is its blocking face and owns the pure signing helpers.
 * Arguments are checked before anything is sent ({@link java.lang.IllegalArgumentException}); any answer
 * other than 200 is a {@link dev.switchboard.sdk.SwitchboardException}. The app secret never appears in a
 * log line, a {@code toString} or an exception message.
 */
package dev.switchboard.sdk;
