package dev.parley.presence;

import dev.parley.store.presence.UserPresenceStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jboss.logging.Logger;

/** Starts the {@link PresenceBridge} with the application and stops it with it. */
@ApplicationScoped
class PresenceBridgeService {

    private static final Logger LOG = Logger.getLogger(PresenceBridgeService.class);

    private final PresenceConfig config;
    private final StatefulRedisConnection<String, String> redis;
    private final RedisClient redisClient;
    private final UserPresenceStore persisted;
    private StatefulRedisPubSubConnection<String, String> signals;
    private volatile PresenceBridge bridge;

    PresenceBridgeService(PresenceConfig config, StatefulRedisConnection<String, String> redis, RedisClient redisClient,
                          UserPresenceStore persisted) {
        this.config = config;
        this.redis = redis;
        this.redisClient = redisClient;
        this.persisted = persisted;
    }

    void start(@Observes StartupEvent event) throws MqttException {
        if (!config.enabled()) {
            LOG.info("presence-bridge consumes no presence: parley.presence.enabled=false");
            return;
        }
        PresenceSettings settings = settings();
        signals = redisClient.connectPubSub();
        bridge = new PresenceBridge(settings, redis, signals, persisted, Clock.systemUTC());
        bridge.start();
    }

    /** For the readiness check: empty when the bridge is connected and subscribed, else why not. */
    Optional<String> brokerProblem() {
        PresenceBridge running = bridge;
        return running == null ? Optional.of("not started") : running.brokerProblem();
    }

    void stop(@Observes ShutdownEvent event) {
        if (bridge != null) {
            bridge.close();
        }
        if (signals != null) {
            signals.close();
        }
    }

    private PresenceSettings settings() {
        String file = config.tokenSecretFile().orElseThrow(() -> fail("parley.presence.token-secret-file is not set:"
                + " point it at the broker's access token secret (./parley up: .parley/secrets/token-secret)"));
        String secret;
        try {
            secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw fail("parley.presence.token-secret-file '" + file + "' cannot be read (" + e.getClass().getSimpleName()
                    + "): point it at the broker's access token secret");
        }
        return new PresenceSettings(config.mqttUri(), config.instance(), secret, config.deviceLease(),
                config.publishInterval(), config.sweepInterval(), config.sessionExpiry(), config.tokenLifetime());
    }

    private static IllegalStateException fail(String message) {
        LOG.error("presence-bridge cannot start. " + message);
        return new IllegalStateException("presence-bridge cannot start. " + message);
    }
}
