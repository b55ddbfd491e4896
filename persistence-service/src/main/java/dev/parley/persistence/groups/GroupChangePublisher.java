package dev.parley.persistence.groups;

import dev.parley.persistence.cassandra.CassandraConfig;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells the broker about stored group changes, through the Redis contract of {@link GroupChannels}:
 * first the roster version key (the broker reloads a stale roster before the next group message, which
 * is what makes a leave effective at once, DESIGN invariant 7), then the change on the deployment's
 * changes stream (system message and member events). Called only after Cassandra stored the change, and the REST call
 * returns only after Redis confirmed both, so a 2xx means the broker knows.
 */
@ApplicationScoped
class GroupChangePublisher {

    private static final Logger LOG = Logger.getLogger(GroupChangePublisher.class);

    private final StatefulRedisConnection<String, String> redis;
    private final String stream;
    private final Duration timeout;

    @jakarta.inject.Inject
    GroupChangePublisher(StatefulRedisConnection<String, String> redis, CassandraConfig cassandra,
                         @ConfigProperty(name = "parley.groups.redis-timeout", defaultValue = "2s") Duration timeout) {
        this(redis, cassandra.keyspace(), timeout);
    }

    /** @param keyspace the deployment's Cassandra keyspace, which names its changes stream */
    GroupChangePublisher(StatefulRedisConnection<String, String> redis, String keyspace, Duration timeout) {
        this.redis = redis;
        this.stream = GroupChannels.changesStream(keyspace);
        this.timeout = timeout;
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

    /**
     * Bounded by the configured timeout (Lettuce's own default is a minute), and any Redis failure
     * becomes the one 503 a client can act on: the change is stored, retrying the request is safe.
     */
    private CompletionStage<Void> bounded(CompletionStage<Void> redisWork, UUID groupId) {
        return redisWork.toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.warnf("Group %s: change stored, but Redis did not confirm it: %s", groupId, cause.toString());
                    throw ProblemException.of(ProblemType.CHANGE_NOT_PROPAGATED, "The change is stored, but "
                            + "members' devices may not see it until it is propagated: Redis did not confirm it in "
                            + "time. Retry the same request (retrying is safe).");
                });
    }
}
