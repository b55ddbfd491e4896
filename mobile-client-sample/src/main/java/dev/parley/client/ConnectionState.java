package dev.parley.client;

/** Where the client's connection stands. */
public enum ConnectionState {
    /** A connect attempt is under way. */
    CONNECTING,
    /** Connected and subscribed: sends go out, messages come in. */
    ONLINE,
    /** Not connected; the next attempt is scheduled (backoff). Sends wait in the outbox. */
    OFFLINE,
    /** Stopped for good: closed by the app, or credentials the broker refuses (see the cause). */
    STOPPED
}
