package dev.parley.devstack;

/** A dependency could not be started; the message says which and what to do about it. */
public final class DevStackException extends RuntimeException {
    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
