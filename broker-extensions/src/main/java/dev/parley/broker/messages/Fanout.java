package dev.parley.broker.messages;

import dev.parley.broker.nodes.NodeChannel;
import dev.parley.protocol.Payloads;
import dev.parley.store.messages.StoredMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live delivery of stored messages to every node. HiveMQ CE nodes do not share subscriptions, and a
 * user's devices may be connected to any node, so the node that stored a message publishes it to its
 * own clients and tells the other nodes through Redis ({@value #CHANNEL}), which publish it to theirs.
 * The owner sends in seq order on one connection and each node handles the channel's messages one by
 * one, so every device still receives a conversation in seq order. A lost notification is a delay, not
 * a loss: the message is stored and catch-up brings it.
 */
final class Fanout implements AutoCloseable {

    static final String CHANNEL = "parley:deliveries";
    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

    /**
     * One stored message for the devices of {@code users}; for a system message also an event for
     * {@code notified} (the members and whoever the change was about).
     */
    record Delivery(StoredMessage message, List<UUID> users, List<UUID> notified) {
    }

    private final EnvelopeDelivery local;
    private final NodeChannel otherNodes;

    Fanout(String nodeId, EnvelopeDelivery local, StatefulRedisConnection<String, String> redis,
           StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.local = local;
        this.otherNodes = new NodeChannel(CHANNEL, nodeId, redis, subscriptions, this::onDelivery);
    }

    /** To every device of these users, on every node. */
    void toUsers(StoredMessage message, List<UUID> users) {
        toUsers(message, users, List.of());
    }

    /** To every device of {@code users}, and a system message's event to every device of {@code notified}. */
    void toUsers(StoredMessage message, List<UUID> users, List<UUID> notified) {
        Delivery delivery = new Delivery(message, users, notified);
        deliverHere(delivery);
        otherNodes.announce(new String(Payloads.toJson(delivery), StandardCharsets.UTF_8)).whenComplete((receivers, error) -> {
            if (error != null) {
                LOG.warn("Message {} (seq {} of {}) not announced to the other broker nodes: {}; their devices get it"
                        + " by catch-up", message.messageId(), message.seq(), message.conversationId(), error.toString());
            }
        });
    }

    /** A 1:1 message: the recipient's devices and the sender's (the sending device learns id and seq). */
    void direct(StoredMessage message) {
        toUsers(message, message.recipient().equals(message.sender())
                ? List.of(message.recipient()) : List.of(message.recipient(), message.sender()));
    }

    /** Another node's delivery. */
    private void onDelivery(String body) {
        Delivery delivery;
        try {
            delivery = Payloads.fromJson(body.getBytes(StandardCharsets.UTF_8), Delivery.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed delivery on {}: {}", CHANNEL, e.getMessage());
            return;
        }
        deliverHere(delivery);
    }

    private void deliverHere(Delivery delivery) {
        local.publishTo(delivery.users(), delivery.message());
        if (delivery.notified() != null && !delivery.notified().isEmpty()) {
            local.announceChange(delivery.notified(), delivery.message());
        }
    }

    @Override
    public void close() {
        otherNodes.close();
    }
}
