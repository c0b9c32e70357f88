package dev.switchboard.sdk.webhook;

/** A webhook that was not signed by this app, or whose body cannot be read. Answer such a request with 401/400. */
public class InvalidWebhookException extends RuntimeException {
    public InvalidWebhookException(String message) {
        super(message);
    }
}
