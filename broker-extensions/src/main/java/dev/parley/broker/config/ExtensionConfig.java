package dev.parley.broker.config;

import dev.parley.store.CassandraSettings;
import java.util.Objects;

/**
 * Everything the extension is configured with: what {@code conf/parley.properties} says, or what an
 * embedding program (tests, the dev launcher) passes to the extension's constructor.
 *
 * @param cassandra where messages are stored and at which consistency
 * @param redis     the Redis that holds connection routing and presence
 * @param health    where the readiness/liveness endpoint listens
 * @param auth      how clients are authenticated (the access token secret)
 * @param messaging this node's name and the message pipeline's timing
 */
public record ExtensionConfig(CassandraSettings cassandra, RedisSettings redis, HealthSettings health,
                              AuthSettings auth, MessagingSettings messaging) {

    public ExtensionConfig {
        Objects.requireNonNull(cassandra, "cassandra");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(messaging, "messaging");
    }
}
