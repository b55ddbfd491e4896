package dev.parley.persistence.presence;

import dev.parley.persistence.problems.ChangePropagation;
import dev.parley.persistence.problems.Problem;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import dev.parley.store.friends.FriendStore;
import dev.parley.store.presence.UserPresenceStore;
import dev.parley.store.users.UserStore;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Presence over REST. Reads the hash presence-bridge maintains per user ({@link PresenceKeys}), falling back
 * to the last seen it persists in Cassandra when Redis has nothing for the user (e.g. after a flush). Who
 * may ask: the user themself (who sees the truth) and their friends (who see what the user's privacy
 * settings allow, as on {@code presence/{id}}); anyone else gets a 403, an unknown user a 404.
 *
 * <p>Settings ({@code PUT /v1/me/presence}) are written to Cassandra, the truth, and mirrored into Redis for
 * presence-bridge, which is then signalled to republish what friends see (the contract is in
 * {@link PresenceKeys}).
 */
@ApplicationScoped
public class Presence {

    private static final Logger LOG = Logger.getLogger(Presence.class);

    /** The user's true presence. */
    private record Truth(boolean online, Instant lastSeen) {
    }

    private final StatefulRedisConnection<String, String> redis;
    private final UserStore users;
    private final FriendStore friends;
    private final UserPresenceStore persisted;
    private final ChangePropagation propagation;
    private final Clock clock = Clock.systemUTC();

    Presence(StatefulRedisConnection<String, String> redis, UserStore users, FriendStore friends,
             UserPresenceStore persisted, ChangePropagation propagation) {
        this.redis = redis;
        this.users = users;
        this.friends = friends;
        this.persisted = persisted;
        this.propagation = propagation;
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
        return allowed.thenCompose(v -> read(user)).thenApply(read -> {
            PresencePrivacy privacy = me.equals(user) ? PresencePrivacy.DEFAULT : read.row().privacy();
            return new PresenceView(privacy.friendSeesOnline(read.truth().online()) ? PresenceKeys.ONLINE
                    : PresenceKeys.OFFLINE, privacy.friendSeesLastSeen() ? read.truth().lastSeen() : null);
        });
    }

    public CompletionStage<OwnPresenceView> own(UUID me) {
        return read(me).thenApply(read -> ownView(read.row().privacy(), read.truth()));
    }

    /**
     * Replaces the caller's settings. The Redis mirror is dropped first, so that whatever fails later,
     * presence-bridge never keeps an old mirror: without one it reads Cassandra.
     */
    public CompletionStage<OwnPresenceView> update(UUID me, PresenceSettingsBody body) {
        PresencePrivacy privacy = validate(body);
        String key = PresenceKeys.settingsKey(me);
        return redis.async().del(key)
                .thenCompose(n -> persisted.saveSettings(me, privacy, clock.instant()))
                .thenCompose(v -> propagation.bounded(redis.async().hset(key, privacy.toHash())
                        .thenCompose(n -> redis.async().expire(key, PresenceKeys.SETTINGS_MIRROR_TTL))
                        .thenCompose(ok -> redis.async().publish(PresenceKeys.SETTINGS_CHANGED, me.toString())),
                        "Presence settings of " + me + " stored", "The settings are stored, but friends may see the"
                                + " change only with your next presence change: Redis did not confirm it in time."))
                .thenCompose(receivers -> {
                    if (receivers == 0) {
                        LOG.infof("Presence settings of %s saved; no presence-bridge listening: friends see them with"
                                + " the user's next presence change", me);
                    }
                    return own(me);
                });
    }

    private static PresencePrivacy validate(PresenceSettingsBody body) {
        if (body == null) {
            throw ProblemException.invalidField("body", "is required: {visibility, showLastSeen}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!PresenceKeys.VISIBLE.equals(body.visibility()) && !PresenceKeys.INVISIBLE.equals(body.visibility())) {
            errors.add(new Problem.FieldError("visibility", "must be visible or invisible"));
        }
        if (body.showLastSeen() == null) {
            errors.add(new Problem.FieldError("showLastSeen", "is required: true or false"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new PresencePrivacy(PresenceKeys.INVISIBLE.equals(body.visibility()), body.showLastSeen());
    }

    private static OwnPresenceView ownView(PresencePrivacy privacy, Truth truth) {
        return new OwnPresenceView(privacy.visibility(), privacy.showLastSeen(),
                truth.online() ? PresenceKeys.ONLINE : PresenceKeys.OFFLINE, truth.lastSeen());
    }

    private record Read(Truth truth, UserPresenceStore.Row row) {
    }

    /** Redis and Cassandra side by side: the Cassandra row holds the settings and the persisted last seen. */
    private CompletionStage<Read> read(UUID user) {
        CompletableFuture<Map<String, String>> hash = redis.async().hgetall(PresenceKeys.key(user)).toCompletableFuture();
        return persisted.find(user).thenCombine(hash, (row, h) -> new Read(truth(h, row.lastSeen()), row));
    }

    /** Anything but a well-formed hash reads as offline, so a bridge bug never breaks the endpoint. */
    private static Truth truth(Map<String, String> hash, Instant persistedLastSeen) {
        if (hash == null || hash.isEmpty()) {
            return new Truth(false, persistedLastSeen);
        }
        boolean online = PresenceKeys.ONLINE.equals(hash.get(PresenceKeys.STATUS));
        Instant lastSeen = null;
        String text = hash.get(PresenceKeys.LAST_SEEN);
        if (text != null) {
            try {
                lastSeen = Instant.parse(text);
            } catch (DateTimeParseException e) {
                LOG.warnf("Presence hash has an unreadable %s '%s'; answering without it", PresenceKeys.LAST_SEEN, text);
            }
        }
        return new Truth(online, lastSeen == null ? persistedLastSeen : lastSeen);
    }
}
