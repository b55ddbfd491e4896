package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.ChangePropagation;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.DeviceLogouts;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;

/**
 * Tells the broker nodes that a device logged out, so that a connection it still has open is closed at
 * once instead of living until its token expires (contract: {@link DeviceLogouts}). Called after the
 * device's row is revoked; the logout answers only after Redis took the message.
 */
@ApplicationScoped
class LogoutBroadcast {

    private final StatefulRedisConnection<String, String> redis;
    private final ChangePropagation propagation;

    LogoutBroadcast(StatefulRedisConnection<String, String> redis, ChangePropagation propagation) {
        this.redis = redis;
        this.propagation = propagation;
    }

    /** Fails with 503 change-not-propagated when Redis does not confirm in time (the logout itself is stored). */
    CompletionStage<Void> loggedOut(ClientIdentity device) {
        return propagation.bounded(redis.async().publish(DeviceLogouts.CHANNEL, DeviceLogouts.message(device))
                        .<Void>thenApply(brokers -> null),
                "Device " + device.deviceId() + " of user " + device.userId() + ": logout stored (a connection it has"
                        + " open stays until its token expires)",
                "The logout is stored (the device's tokens are refused), but a connection it still has open to the"
                        + " broker may stay until its token expires: Redis did not confirm in time.");
    }
}
