package dev.parley.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's one Redis connection (Lettuce connections are thread-safe and pipeline concurrent
 * commands, so one is the recommended shape). Connected eagerly: a service without Redis
 * has nothing to do, and failing at startup with a clear line beats starting and reporting not-ready
 * forever. After startup, Lettuce reconnects by itself and readiness reports the outage meanwhile.
 */
@Singleton
final class RedisConnectionProducer {

    private static final Logger LOG = Logger.getLogger(RedisConnectionProducer.class);

    private final RedisConfig config;
    private final String service;

    RedisConnectionProducer(RedisConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.config = config;
        this.service = service;
    }

    @Produces
    @Singleton
    RedisClient client() {
        RedisURI uri;
        try {
            uri = RedisURI.create(config.uri());
        } catch (IllegalArgumentException e) {
            throw fail(e, config.uri());
        }
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                // While disconnected, fail commands at once instead of queueing them until a timeout:
                // callers (and the readiness probe) learn of the outage immediately.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return client;
    }

    @Produces
    @Singleton
    @Startup
    StatefulRedisConnection<String, String> connection(RedisClient client) {
        String uri = RedisURI.create(config.uri()).toString(); // Lettuce masks the password
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            LOG.infof("Connected to Redis at %s", uri);
            return connection;
        } catch (RuntimeException e) {
            throw fail(e, uri);
        }
    }

    void close(@Disposes StatefulRedisConnection<String, String> connection) {
        // The client's shutdown closes its connections too, and CDI does not order the two disposals.
        if (connection.isOpen()) {
            connection.close();
        }
    }

    void shutdown(@Disposes RedisClient client) {
        // Bounded: a Redis that stopped answering must not hold up the service's shutdown.
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private RedisStartupFailure fail(RuntimeException e, String uri) {
        RedisStartupFailure failure = RedisStartupFailure.describe(service, e, uri);
        LOG.error(failure.getMessage());
        LOG.debug("Redis startup failure detail", e);
        return failure;
    }
}
