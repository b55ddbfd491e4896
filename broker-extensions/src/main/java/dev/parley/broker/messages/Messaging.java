package dev.parley.broker.messages;

import dev.parley.broker.DaemonThreads;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.broker.topics.PublishDispatch;
import dev.parley.protocol.Topic;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.broker.groups.Rosters;
import dev.parley.broker.push.PushHandoff;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.ConversationLeases;
import dev.parley.store.messages.MessageStore;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The message feature, assembled: 1:1 and group sends, catch-up, group changes into group histories,
 * and what it must close.
 */
public final class Messaging implements AutoCloseable {

    /** Lease timings: renew at most every 15 s per active conversation, never write in the last 10 s. */
    static final Duration LEASE_TTL = Duration.ofSeconds(30);
    static final Duration RENEW_BEFORE = Duration.ofSeconds(15);
    static final Duration WRITE_MARGIN = Duration.ofSeconds(10);

    private final ScheduledExecutorService sequencing;
    /** How long a node waits for the owner of a conversation to answer a forwarded send. */
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final OwnerForwarding forwarding;
    private final Fanout fanout;
    private final SendHandler<Topic.UserMessages> directSends;
    private final SendHandler<Topic.GroupMessages> groupSends;
    private final CatchUpHandler catchUp;
    private final GroupChangeFeed groupChanges;

    /**
     * @param users      who exists (recipients of 1:1 sends), cached; shared with the features that need the same
     * @param nodeId     this node's stable name in conversation leases
     * @param ackTimeout how long a sender's PUBACK may wait for the store before it gets an error
     */
    public Messaging(CqlSession session, String keyspace, MessageStore messages, Rosters rosters, UserDirectory users,
                     StatefulRedisConnection<String, String> redis,
                     StatefulRedisPubSubConnection<String, String> redisSubscriptions, String nodeId, Duration ackTimeout,
                     PublishService publishService, Supplier<PublishBuilder> publishBuilder, Clock clock) {
        // Lane steps only hand work to the driver and HiveMQ; two threads keep them moving.
        this.sequencing = Executors.newScheduledThreadPool(2, DaemonThreads.named("parley-sequencer"));
        ConversationIndex index = new ConversationIndex(session, keyspace);
        EnvelopeDelivery delivery = new EnvelopeDelivery(publishService, publishBuilder);
        this.fanout = new Fanout(nodeId, delivery, redis, redisSubscriptions);
        Audiences audiences = new Audiences(fanout, rosters, new PushHandoff(redis, keyspace, sequencing));
        ConversationSequencer sequencer = new ConversationSequencer(messages, new ConversationLeases(session, keyspace),
                index, new SequencerSettings(nodeId, LEASE_TTL, RENEW_BEFORE, WRITE_MARGIN), clock, sequencing);
        this.forwarding = new OwnerForwarding(nodeId, redis, redisSubscriptions, FORWARD_TIMEOUT,
                submission -> sequencer.submit(submission, audiences));
        MessagePipeline pipeline = new MessagePipeline(
                users, sequencer,
                audiences, delivery, forwarding);
        this.directSends = SendHandler.direct(pipeline, ackTimeout);
        this.groupSends = SendHandler.group(pipeline, ackTimeout);
        this.catchUp = new CatchUpHandler(index, messages, rosters, delivery);
        this.groupChanges = new GroupChangeFeed(redis, keyspace, nodeId, pipeline::post,
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-group-changes")));
        sequencing.scheduleWithFixedDelay(sequencer::forgetIdle, 1, 1, TimeUnit.MINUTES);
        groupChanges.start();
    }

    /** Sends (1:1 and group) and catch-up, each on its kind of topic. */
    public void register(PublishDispatch.Builder topics) {
        topics.on(Topic.UserMessages.class, directSends)
                .on(Topic.GroupMessages.class, groupSends)
                .on(Topic.UserSync.class, catchUp);
    }

    @Override
    public void close() {
        groupChanges.close();
        fanout.close();
        forwarding.close();
        sequencing.shutdown();
        try {
            sequencing.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
