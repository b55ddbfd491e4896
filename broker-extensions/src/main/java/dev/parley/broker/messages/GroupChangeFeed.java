package dev.parley.broker.messages;

import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the group changes persistence-service announces on {@link GroupChannels#CHANGES_STREAM} into
 * system messages of the groups' histories. The broker nodes read the stream as one consumer group, so
 * each change is handled by one node; an entry is acknowledged only once its system message is stored,
 * so a node that dies mid-way leaves it pending and another node claims it after {@link #CLAIM_IDLE}.
 * Polled, never blocking a connection other features share.
 */
final class GroupChangeFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupChangeFeed.class);
    static final Duration POLL_EVERY = Duration.ofMillis(200);
    static final Duration CLAIM_IDLE = Duration.ofSeconds(30);
    private static final int BATCH = 50;

    private final RedisAsyncCommands<String, String> redis;
    private final String stream;
    private final Consumer<String> me;
    private final Function<Submission, CompletionStage<SequencerResult>> post;
    private final ScheduledExecutorService executor;
    private volatile boolean groupReady;
    private long polls;

    GroupChangeFeed(StatefulRedisConnection<String, String> redis, String keyspace, String nodeId,
                    Function<Submission, CompletionStage<SequencerResult>> post, ScheduledExecutorService executor) {
        this.redis = redis.async();
        this.stream = GroupChannels.changesStream(keyspace);
        this.me = Consumer.from(GroupChannels.BROKERS_GROUP, nodeId);
        this.post = post;
        this.executor = executor;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::pollOnce, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round, run on the feed's own thread: it may wait (bounded) for Redis and the store. */
    private void pollOnce() {
        try {
            ensureGroup();
            if (polls++ % 150 == 0) {
                // Entries a stopped node took but never acknowledged.
                List<StreamMessage<String, String>> claimed = redis.xautoclaim(stream,
                                XAutoClaimArgs.Builder.xautoclaim(me, CLAIM_IDLE, "0-0").count(BATCH))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS).getMessages();
                handle(claimed);
            }
            // Our own pending entries first (a store failure left them), then new ones.
            handle(read(XReadArgs.StreamOffset.from(stream, "0")));
            handle(read(XReadArgs.StreamOffset.lastConsumed(stream)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Group changes from {} not read: {}; trying again in {} ms", stream,
                    e.toString(), POLL_EVERY.toMillis());
            groupReady = false;
        }
    }

    private void ensureGroup() throws Exception {
        if (groupReady) {
            return;
        }
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GroupChannels.BROKERS_GROUP,
                    XGroupCreateArgs.Builder.mkstream()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof RedisBusyException)) {
                throw e;
            }
            // BUSYGROUP: another node (or an earlier start) created it.
        }
        groupReady = true;
    }

    private List<StreamMessage<String, String>> read(XReadArgs.StreamOffset<String> offset) throws Exception {
        return redis.xreadgroup(me, XReadArgs.Builder.count(BATCH), offset).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** In stream order, one after another: changes of one group must enter its history in order. */
    private void handle(List<StreamMessage<String, String>> entries) throws Exception {
        for (StreamMessage<String, String> entry : entries) {
            if (entry.getBody() == null || entry.getBody().isEmpty()) {
                continue; // a pending entry whose body was trimmed from the stream
            }
            String json = entry.getBody().get(GroupChannels.CHANGE_FIELD);
            GroupChange change;
            try {
                change = Payloads.fromJson(json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8),
                        GroupChange.class);
            } catch (IllegalArgumentException e) {
                LOG.warn("Dropping malformed group change {} on {}: {}", entry.getId(), stream,
                        e.getMessage());
                ack(entry);
                continue;
            }
            SequencerResult result = post.apply(GroupChanges.submission(change, entry.getId()))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (result instanceof SequencerResult.Stored || result instanceof SequencerResult.Duplicate) {
                ack(entry);
            } else if (result instanceof SequencerResult.Failed failed
                    && failed.kind() == SequencerResult.Kind.NO_SUCH_GROUP) {
                LOG.warn("Group change {} ({} of group {}) names a group that does not exist: dropped", entry.getId(),
                        change.kind(), change.groupId());
                ack(entry);
            } else {
                LOG.warn("Group change {} ({} of group {} by user {}) not stored yet: {}; retrying", entry.getId(),
                        change.kind(), change.groupId(), change.actor(), result);
                return; // keep the group's order: later entries wait for this one
            }
        }
    }

    private void ack(StreamMessage<String, String> entry) throws Exception {
        redis.xack(stream, GroupChannels.BROKERS_GROUP, entry.getId()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
