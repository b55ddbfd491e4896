package dev.parley.protocol.tokens;

/** The token cannot be accepted; the message says why in words fit for the client. */
public final class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) {
        super(message);
    }
}
