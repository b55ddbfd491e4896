package dev.parley.broker.health;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletionStage;

/** PING on the extension's own Redis connection. */
public final class RedisCheck implements ReadinessCheck {

    private final StatefulRedisConnection<String, String> connection;

    public RedisCheck(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public CompletionStage<?> probe() {
        return connection.async().ping();
    }
}
