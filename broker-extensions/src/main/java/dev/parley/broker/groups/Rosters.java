package dev.parley.broker.groups;

import dev.parley.protocol.groups.GroupChannels;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.groups.GroupStore.Roster;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group rosters as the broker enforces them. A roster is cached, and every lookup first reads the
 * group's roster version from Redis (one GET, no Cassandra read): persistence-service raises that
 * version before a membership change returns, so a lookup that starts after a leave or join returned
 * always sees it (invariant 7). When Redis cannot answer, the roster is read from Cassandra, the
 * truth, rather than trusted from the cache.
 */
public final class Rosters {

    private static final Logger LOG = LoggerFactory.getLogger(Rosters.class);
    private static final int MAX_CACHED = 20_000;

    private final GroupStore groups;
    private final StatefulRedisConnection<String, String> redis;
    private final Map<UUID, Roster> cached = new ConcurrentHashMap<>();

    public Rosters(GroupStore groups, StatefulRedisConnection<String, String> redis) {
        this.groups = groups;
        this.redis = redis;
    }

    /** The group's current roster; empty when there is no such group. */
    public CompletionStage<Optional<Roster>> current(UUID groupId) {
        Roster known = cached.get(groupId);
        if (known == null) {
            return load(groupId);
        }
        return redis.async().get(GroupChannels.rosterVersionKey(groupId))
                .handle((version, error) -> {
                    if (error != null) {
                        LOG.warn("Roster version of group {} not readable from Redis ({}): reading the roster from"
                                + " Cassandra", groupId, error.toString());
                        return -1L;
                    }
                    return version == null ? 0L : parse(groupId, version);
                })
                .toCompletableFuture()
                .thenCompose(version -> version >= 0 && version <= known.version()
                        ? CompletableFuture.completedFuture(Optional.of(known))
                        : load(groupId));
    }

    private CompletionStage<Optional<Roster>> load(UUID groupId) {
        return groups.roster(groupId).thenApply(roster -> {
            if (cached.size() >= MAX_CACHED) {
                cached.clear();
            }
            roster.ifPresentOrElse(r -> cached.merge(groupId, r, (a, b) -> a.version() >= b.version() ? a : b),
                    () -> cached.remove(groupId));
            return roster.map(r -> cached.getOrDefault(groupId, r));
        });
    }

    private static long parse(UUID groupId, String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            LOG.warn("Roster version of group {} in Redis is not a number ('{}'): reading the roster from Cassandra",
                    groupId, version);
            return -1L;
        }
    }
}
