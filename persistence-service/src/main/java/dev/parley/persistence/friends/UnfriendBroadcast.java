package dev.parley.persistence.friends;

import dev.parley.persistence.problems.ChangePropagation;
import dev.parley.protocol.presence.Unfriendings;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Tells the broker nodes that two users are no longer friends, so each drops the subscriptions their devices
 * hold to the other's presence at once (contract: {@link Unfriendings}). Called after the friendship rows
 * are gone; the request answers only after Redis took the message.
 */
@ApplicationScoped
class UnfriendBroadcast {

    private final StatefulRedisConnection<String, String> redis;
    private final ChangePropagation propagation;

    UnfriendBroadcast(StatefulRedisConnection<String, String> redis, ChangePropagation propagation) {
        this.redis = redis;
        this.propagation = propagation;
    }

    /** Fails with 503 change-not-propagated when Redis does not confirm in time (the friendship is ended). */
    CompletionStage<Void> unfriended(UUID me, UUID other) {
        return propagation.bounded(redis.async().publish(Unfriendings.CHANNEL, Unfriendings.message(me, other))
                        .<Void>thenApply(brokers -> null),
                "Users " + me + " and " + other + ": friendship ended",
                "The friendship is ended (neither of you can subscribe to the other's presence again), but a device"
                        + " already subscribed may keep seeing presence until it reconnects: Redis did not confirm in time.");
    }
}
