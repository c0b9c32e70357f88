package dev.switchboard.sdk;

/**
 * The server answered with a status other than 200, or no answer came at all ({@link #status()} is 0 then).
 * The message carries the status and the server's own error text, never anything secret.
 */
public class SwitchboardException extends RuntimeException {
    private final int status;
    private final String serverMessage;

    public SwitchboardException(int status, String serverMessage) {
        super(status == 0 ? serverMessage : "HTTP " + status + ": " + serverMessage);
        this.status = status;
        this.serverMessage = serverMessage;
    }

    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.serverMessage = message;
    }

    /** The HTTP status, or 0 when the request failed before an answer arrived (connection, timeout). */
    public int status() { return status; }

    /** The error text from the answer's body ({@code error} field of a JSON body, or the body itself). */
    public String serverMessage() { return serverMessage; }
}
