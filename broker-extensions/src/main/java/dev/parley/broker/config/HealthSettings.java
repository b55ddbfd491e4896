package dev.parley.broker.config;

import java.util.Objects;

/**
 * @param bind address the health endpoint listens on
 * @param port its port; 0 turns the endpoint off
 */
public record HealthSettings(String bind, int port) {

    public HealthSettings {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("health port " + port + " is not a TCP port (0 turns it off)");
        }
    }

    public boolean enabled() {
        return port != 0;
    }

    public String address() {
        return bind + ":" + port;
    }
}
