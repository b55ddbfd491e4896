package dev.parley.broker.typing;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.broker.nodes.NodeChannel;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.Topic;
import dev.parley.protocol.typing.TypingIndicator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts typing indicators on the recipients' {@code users/{id}/typing}, on every broker node: this node's
 * devices at once, the other nodes' through the Redis channel {@value #CHANNEL} (the same scheme as chat
 * deliveries on {@code parley:deliveries}, a sibling channel so that neither waits behind the other).
 *
 * <p>Ephemeral by construction: QoS 0, not retained, with a message expiry of {@link #STALE} (a queued
 * indicator of a persistent session is gone by the time the device is back), and an announcement older than
 * {@link #STALE} is dropped by the nodes that receive it (Lettuce holds commands while Redis is away and
 * sends them when it returns). If Redis is down, only this node's devices are told.
 */
final class TypingRelay implements AutoCloseable {

    static final String CHANNEL = "parley:typing";
    /** An indicator this old says nothing useful any more. */
    static final Duration STALE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(TypingRelay.class);

    /** What travels between nodes: the indicator and whom it is for. */
    record Announcement(List<UUID> users, TypingIndicator indicator) {
    }

    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;
    private final NodeChannel otherNodes;
    private final Clock clock;
    /** So that a Redis outage gives one WARN line, not one per keystroke. */
    private final AtomicBoolean redisFailing = new AtomicBoolean();

    TypingRelay(String nodeId, PublishService publishService, Supplier<PublishBuilder> publishBuilder,
                StatefulRedisConnection<String, String> redis, StatefulRedisPubSubConnection<String, String> subscriptions,
                Clock clock) {
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
        this.clock = clock;
        this.otherNodes = new NodeChannel(CHANNEL, nodeId, redis, subscriptions, this::onAnnouncement);
    }

    /** To every device of these users, on every node. */
    void deliver(List<UUID> users, TypingIndicator indicator) {
        Announcement announcement = new Announcement(users, indicator);
        deliverHere(announcement);
        otherNodes.announce(new String(Payloads.toJson(announcement), StandardCharsets.UTF_8)).whenComplete((receivers, error) -> {
            if (error == null) {
                if (redisFailing.compareAndSet(true, false)) {
                    LOG.info("Typing indicators reach the other broker nodes again (Redis answers)");
                }
            } else if (redisFailing.compareAndSet(false, true)) {
                LOG.warn("Typing indicators reach this node's devices only: Redis did not take the announcement"
                        + " on {} ({}); said once until it works again", CHANNEL, error.toString());
            } else {
                LOG.debug("Typing indicator of {} in {} not announced to other nodes: {}", indicator.from(),
                        indicator.conversationId(), error.toString());
            }
        });
    }

    /** Another node's indicator. */
    private void onAnnouncement(String body) {
        Announcement announcement;
        try {
            announcement = Payloads.fromJson(body.getBytes(StandardCharsets.UTF_8), Announcement.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed typing announcement on {}: {}", CHANNEL, e.getMessage());
            return;
        }
        if (announcement.indicator() == null || announcement.users() == null) {
            return;
        }
        if (announcement.indicator().at().plus(STALE).isBefore(clock.instant())) {
            LOG.debug("Dropping a typing indicator of {} from {}: older than {} s", announcement.indicator().from(),
                    announcement.indicator().at(), STALE.toSeconds());
            return;
        }
        deliverHere(announcement);
    }

    private void deliverHere(Announcement announcement) {
        byte[] json = Payloads.toJson(announcement.indicator());
        for (UUID user : announcement.users()) {
            String topic = new Topic.UserTyping(user).name();
            publishService.publish(publishBuilder.get()
                    .topic(topic)
                    .qos(Qos.AT_MOST_ONCE)
                    .retain(false)
                    .messageExpiryInterval(STALE.toSeconds())
                    .payload(ByteBuffer.wrap(json))
                    .contentType("application/json")
                    .build()).whenComplete((v, error) -> {
                        if (error != null) {
                            LOG.debug("Typing indicator of {} not published on {}: {}",
                                    announcement.indicator().from(), topic, error.toString());
                        }
                    });
        }
    }

    @Override
    public void close() {
        otherNodes.close();
    }
}
