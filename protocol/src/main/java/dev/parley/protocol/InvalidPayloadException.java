package dev.parley.protocol;

/** A client's payload broke the wire format; the message is the reason string the client gets. */
public final class InvalidPayloadException extends Exception {
    public InvalidPayloadException(String message) {
        super(message);
    }
}
