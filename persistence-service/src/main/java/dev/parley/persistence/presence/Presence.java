package dev.parley.persistence.presence;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.store.friends.FriendStore;
import dev.parley.store.users.UserStore;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Reads presence from the hash presence-bridge maintains per user ({@link PresenceKeys}). Who may ask:
 * the user themself and their friends (the same people who may subscribe to {@code presence/{id}} over
 * MQTT); anyone else gets a 403, an unknown user a 404.
 */
@ApplicationScoped
public class Presence {

    private static final Logger LOG = Logger.getLogger(Presence.class);
    private static final PresenceView NEVER_SEEN = new PresenceView(PresenceKeys.OFFLINE, null);

    private final StatefulRedisConnection<String, String> redis;
    private final UserStore users;
    private final FriendStore friends;

    Presence(StatefulRedisConnection<String, String> redis, UserStore users, FriendStore friends) {
        this.redis = redis;
        this.users = users;
        this.friends = friends;
    }

    public CompletionStage<PresenceView> of(UUID me, UUID user) {
        CompletionStage<Void> allowed = me.equals(user) ? CompletableFuture.completedFuture(null)
                : users.find(user).thenCompose(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("There is no user with id " + user);
                    }
                    return friends.areFriends(me, user);
                }).thenAccept(friend -> {
                    if (!friend) {
                        throw ProblemException.of(ProblemType.NOT_A_FRIEND,
                                "Only " + user + " and their friends may see their presence");
                    }
                });
        return allowed.thenCompose(v -> redis.async().hgetall(PresenceKeys.key(user))).thenApply(Presence::view);
    }

    /** Anything but a well-formed hash reads as offline, so a bridge bug never breaks the endpoint. */
    private static PresenceView view(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return NEVER_SEEN;
        }
        String status = PresenceKeys.ONLINE.equals(hash.get(PresenceKeys.STATUS)) ? PresenceKeys.ONLINE
                : PresenceKeys.OFFLINE;
        Instant lastSeen = null;
        String text = hash.get(PresenceKeys.LAST_SEEN);
        if (text != null) {
            try {
                lastSeen = Instant.parse(text);
            } catch (DateTimeParseException e) {
                LOG.warnf("Presence hash has an unreadable %s '%s'; answering without it", PresenceKeys.LAST_SEEN, text);
            }
        }
        return new PresenceView(status, lastSeen);
    }
}
