package dev.parley.broker.startup;

/**
 * The extension cannot start. The message is what HiveMQ logs as the reason: it names the
 * dependency, where it was looked for, and what to do about it.
 */
public final class StartupException extends Exception {

    public StartupException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public StartupException(String reason) {
        super(reason);
    }
}
