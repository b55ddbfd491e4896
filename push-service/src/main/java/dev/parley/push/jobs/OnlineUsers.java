package dev.parley.push.jobs;

import dev.parley.protocol.presence.PresenceKeys;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which users have a device online, from the presence hashes presence-bridge maintains
 * ({@link PresenceKeys}). One HGET per user, pipelined on the shared connection, so a 200-member
 * group costs one round trip's worth of waiting.
 */
final class OnlineUsers {

    private final StatefulRedisConnection<String, String> redis;

    OnlineUsers(StatefulRedisConnection<String, String> redis) {
        this.redis = redis;
    }

    CompletionStage<Set<UUID>> among(List<UUID> users) {
        List<CompletableFuture<String>> statuses = new ArrayList<>(users.size());
        for (UUID user : users) {
            statuses.add(redis.async().hget(PresenceKeys.key(user), PresenceKeys.STATUS).toCompletableFuture());
        }
        return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Set<UUID> online = new HashSet<>();
            for (int i = 0; i < users.size(); i++) {
                if (PresenceKeys.ONLINE.equals(statuses.get(i).join())) {
                    online.add(users.get(i));
                }
            }
            return online;
        });
    }
}
