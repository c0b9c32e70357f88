/**
 * A small app on Switchboard for the two stories of the users model: food-order tracking (the kitchen advances
 * an order and only its customer's connections get the status, through {@code sendToUser}) and a chat with
 * moderation (presence through sign-in; a moderator bans a user: the server bans and terminates it, so its
 * sign-ins are refused on every node, and the user-auth endpoint refuses its next sign-in too). {@link dev.switchboard.demo.DemoHttp} serves the page and the endpoints
 * a real app needs ({@code /pusher/user-auth}, {@code /pusher/auth}); sessions are in memory, as befits a demo.
 */
package dev.switchboard.demo;
