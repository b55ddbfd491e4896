package dev.parley.persistence.groups;

import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.persistence.problems.ChangePropagation;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Tells the broker about stored group changes, through the Redis contract of {@link GroupChannels}:
 * first the roster version key (the broker reloads a stale roster before the next group message, which
 * is what makes a leave effective at once, DESIGN invariant 7), then the change on the deployment's
 * changes stream (system message and member events). Called only after Cassandra stored the change, and the REST call
 * returns only after Redis confirmed both, so a 2xx means the broker knows.
 */
@ApplicationScoped
class GroupChangePublisher {

    private final StatefulRedisConnection<String, String> redis;
    private final String stream;
    private final ChangePropagation propagation;

    @jakarta.inject.Inject
    GroupChangePublisher(StatefulRedisConnection<String, String> redis, CassandraConfig cassandra,
                         ChangePropagation propagation) {
        this(redis, cassandra.keyspace(), propagation);
    }

    /** @param keyspace the deployment's Cassandra keyspace, which names its changes stream */
    GroupChangePublisher(StatefulRedisConnection<String, String> redis, String keyspace, ChangePropagation propagation) {
        this.redis = redis;
        this.stream = GroupChannels.changesStream(keyspace);
        this.propagation = propagation;
    }

    /** Raises the roster version to the change's and appends the change; for a change that was stored now. */
    CompletionStage<Void> announce(GroupChange change) {
        String json = new String(Payloads.toJson(change), StandardCharsets.UTF_8);
        return bounded(raiseVersion(change.groupId(), change.rosterVersion())
                .thenCompose(raised -> redis.async().xadd(stream,
                        XAddArgs.Builder.maxlen(GroupChannels.MAX_CHANGES).approximateTrimming(),
                        Map.of(GroupChannels.CHANGE_FIELD, json)))
                .thenApply(entryId -> (Void) null), change.groupId());
    }

    /**
     * Raises the roster version only. For an idempotent repeat: the change it repeats was announced
     * before (or its announcement failed and this repairs the part that enforces membership); a second
     * change event would show the members a second system message.
     */
    CompletionStage<Void> confirm(UUID groupId, long rosterVersion) {
        return bounded(raiseVersion(groupId, rosterVersion).thenApply(raised -> (Void) null), groupId);
    }

    private CompletionStage<Long> raiseVersion(UUID groupId, long rosterVersion) {
        return redis.async().<Long>eval(GroupChannels.RAISE_ROSTER_VERSION, ScriptOutputType.INTEGER,
                new String[] {GroupChannels.rosterVersionKey(groupId)}, Long.toString(rosterVersion));
    }

    private CompletionStage<Void> bounded(CompletionStage<Void> redisWork, UUID groupId) {
        return propagation.bounded(redisWork, "Group " + groupId + ": change stored", "The change is stored, but"
                + " members' devices may not see it until it is propagated: Redis did not confirm it in time.");
    }
}
