package dev.parley.store;

/** The keyspace's schema cannot be used by this build; the message says what to do. */
public final class SchemaException extends RuntimeException {
    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
