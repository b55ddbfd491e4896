package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.DeviceLogouts;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells the broker nodes that a device logged out, so that a connection it still has open is closed at
 * once instead of living until its token expires (contract: {@link DeviceLogouts}). Called after the
 * device's row is revoked; the logout answers only after Redis took the message.
 */
@ApplicationScoped
class LogoutBroadcast {

    private static final Logger LOG = Logger.getLogger(LogoutBroadcast.class);

    private final StatefulRedisConnection<String, String> redis;
    private final Duration timeout;

    LogoutBroadcast(StatefulRedisConnection<String, String> redis, AuthConfig config) {
        this.redis = redis;
        this.timeout = config.logoutRedisTimeout();
    }

    /** Fails with 503 change-not-propagated when Redis does not confirm in time (the logout itself is stored). */
    CompletionStage<Void> loggedOut(ClientIdentity device) {
        return redis.async().publish(DeviceLogouts.CHANNEL, DeviceLogouts.message(device)).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .<Void>thenApply(brokers -> null)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.warnf("Device %s of user %s: logout stored, but the broker nodes were not told (Redis: %s);"
                            + " a connection it has open stays until its token expires", device.deviceId(),
                            device.userId(), cause.toString());
                    throw ProblemException.of(ProblemType.CHANGE_NOT_PROPAGATED, "The logout is stored (the device's "
                            + "tokens are refused), but a connection it still has open to the broker may stay until "
                            + "its token expires: Redis did not confirm in time. Retry the same request (retrying is safe).");
                });
    }
}
