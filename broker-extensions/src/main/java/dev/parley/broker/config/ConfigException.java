package dev.parley.broker.config;

/** A configuration value the extension cannot start with; the message names the key and the fix. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
