package dev.parley.presence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** presence-bridge's settings; application.properties documents each key and its default. */
@ConfigMapping(prefix = "parley.presence")
interface PresenceConfig {

    /** Off: the service runs (health, metrics) but consumes nothing; for tests of the HTTP endpoints only. */
    @WithDefault("true")
    boolean enabled();

    /** The broker's MQTT listener. */
    @WithDefault("tcp://127.0.0.1:1883")
    String mqttUri();

    /** This bridge's name among the bridges: give each its own, stable across restarts. */
    @WithDefault("bridge-1")
    String instance();

    /** File holding the broker's access token secret (the same file the broker and persistence-service read). */
    Optional<String> tokenSecretFile();

    @WithDefault("1h")
    Duration deviceLease();

    @WithDefault("1s")
    Duration publishInterval();

    @WithDefault("5s")
    Duration sweepInterval();

    @WithDefault("1h")
    Duration sessionExpiry();

    @WithDefault("1h")
    Duration tokenLifetime();
}
