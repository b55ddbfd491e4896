package dev.parley.presence;

import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import dev.parley.store.presence.UserPresenceStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a user's aggregate into what their friends may see: the user's privacy settings applied, read
 * from the Redis mirror ({@link PresenceKeys#settingsKey}); on a miss (never set, expired, Redis emptied)
 * from Cassandra's {@code user_presence} row, which then refills the mirror. A user Redis knows no last
 * seen for (emptied since) gets the one persisted in Cassandra. When the settings cannot be read at all
 * the publish fails and is retried: never publish what the user may have hidden.
 */
final class FriendView {

    /**
     * Writes the mirror only if there is none, both fields and the expiry in one step: a mirror
     * persistence-service wrote meanwhile is newer than what was read from Cassandra, and a half-written
     * mirror (one field; the other would read as its default) could show a hidden user.
     */
    private static final String REFILL = "if redis.call('EXISTS', KEYS[1]) == 0 then "
            + "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]); "
            + "redis.call('EXPIRE', KEYS[1], ARGV[5]) end return 0";

    private final StatefulRedisConnection<String, String> redis;
    private final UserPresenceStore persisted;

    FriendView(StatefulRedisConnection<String, String> redis, UserPresenceStore persisted) {
        this.redis = redis;
        this.persisted = persisted;
    }

    CompletionStage<byte[]> payload(Aggregate aggregate) {
        UUID user = aggregate.user();
        String key = PresenceKeys.settingsKey(user);
        return redis.async().hgetall(key).thenCompose(mirror -> {
            boolean needsLastSeen = aggregate.lastSeen() == null && !aggregate.online();
            if (!mirror.isEmpty() && !needsLastSeen) {
                return CompletableFuture.completedFuture(aggregate.payload(PresencePrivacy.fromHash(mirror)));
            }
            return persisted.find(user).thenCompose(row -> {
                Aggregate shown = needsLastSeen ? aggregate.withLastSeen(row.lastSeen()) : aggregate;
                if (!mirror.isEmpty()) {
                    return CompletableFuture.completedFuture(shown.payload(PresencePrivacy.fromHash(mirror)));
                }
                return refill(key, row.privacy()).thenApply(v -> shown.payload(row.privacy()));
            });
        });
    }

    private CompletionStage<Void> refill(String key, PresencePrivacy privacy) {
        Map<String, String> hash = privacy.toHash();
        return redis.async().<Long>eval(REFILL, ScriptOutputType.INTEGER, new String[] {key},
                        PresenceKeys.VISIBILITY, hash.get(PresenceKeys.VISIBILITY),
                        PresenceKeys.SHOW_LAST_SEEN, hash.get(PresenceKeys.SHOW_LAST_SEEN),
                        Long.toString(PresenceKeys.SETTINGS_MIRROR_TTL.toSeconds()))
                .thenApply(done -> null);
    }
}
