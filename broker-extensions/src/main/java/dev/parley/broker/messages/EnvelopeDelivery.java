package dev.parley.broker.messages;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import dev.parley.protocol.Envelope;
import dev.parley.protocol.EnvelopeProperties;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.Topic;
import dev.parley.store.messages.StoredMessage;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import dev.parley.protocol.groups.GroupChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stored messages as envelopes to the participants' user topics, where every one of their
 * devices is subscribed (offline devices with a persistent session get them queued; catch-up covers
 * the rest). These publishes are the extension's own: they do not pass the publish interceptors.
 */
final class EnvelopeDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeDelivery.class);

    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;

    EnvelopeDelivery(PublishService publishService, Supplier<PublishBuilder> publishBuilder) {
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
    }

    static Envelope envelopeOf(StoredMessage m) {
        return new Envelope(m.messageId(), m.conversationId(), m.seq(), m.sender(), m.recipient(), m.groupId(),
                m.text(), m.clientMsgId(), m.sentAt(),
                m.event() == null ? null : Payloads.fromJson(m.event().getBytes(StandardCharsets.UTF_8), GroupChange.class));
    }

    /** To every device of these users connected to this node (or with a persistent session on it). */
    void publishTo(List<UUID> users, StoredMessage message) {
        byte[] json = Payloads.toJson(envelopeOf(message));
        for (UUID user : users) {
            publish(new Topic.UserMessages(user), message, json);
        }
    }

    /**
     * A system message's change as an event on {@code users/{id}/events} of each user: members learn of
     * joins, leaves and renames there, and so does a user who was removed (who no longer gets the group's
     * messages).
     */
    void announceChange(List<UUID> users, StoredMessage systemMessage) {
        Envelope envelope = envelopeOf(systemMessage);
        byte[] json = Payloads.toJson(new GroupChangedEvent("group.changed", envelope.groupId(),
                envelope.conversationId(), envelope.seq(), envelope.event()));
        for (UUID user : users) {
            publishService.publish(publishBuilder.get()
                    .topic(new Topic.UserEvents(user).name())
                    .qos(Qos.AT_LEAST_ONCE)
                    .payload(ByteBuffer.wrap(json))
                    .contentType("application/json")
                    .build()).whenComplete((v, error) -> {
                        if (error != null) {
                            LOG.warn("Change {} of group {} not announced to user {}: {}", envelope.event().kind(),
                                    envelope.groupId(), user, error.toString());
                        }
                    });
        }
    }

    /** The event on {@code users/{id}/events} for a group change; {@code seq} is its place in the group's history. */
    record GroupChangedEvent(String type, UUID groupId, String conversationId, long seq, GroupChange change) {
    }

    /** The original envelope again, to the one device that retried a send it had no answer for. */
    void redeliverTo(String clientId, StoredMessage message) {
        sendTo(clientId, message.sender(), message).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Could not re-send message {} to client {}: {}", message.messageId(), clientId, error.toString());
            }
        });
    }

    /** One envelope to one device (catch-up, retries), on its user's messages topic. */
    CompletableFuture<PublishToClientResult> sendTo(String clientId, UUID user, StoredMessage message) {
        return publishService.publishToClient(envelopePublish(new Topic.UserMessages(user), message,
                Payloads.toJson(envelopeOf(message))), clientId);
    }

    /** An event to one device, on {@code users/{user}/events}. */
    CompletableFuture<PublishToClientResult> eventTo(String clientId, UUID user, Object event) {
        return publishService.publishToClient(publishBuilder.get()
                .topic(new Topic.UserEvents(user).name())
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(Payloads.toJson(event)))
                .contentType("application/json")
                .build(), clientId);
    }

    private void publish(Topic topic, StoredMessage message, byte[] json) {
        publishService.publish(envelopePublish(topic, message, json)).whenComplete((v, error) -> {
            if (error != null) {
                // Stored already: devices get it by catch-up; this is a delay, not a loss.
                LOG.warn("Live delivery of message {} (seq {} of {}) on {} failed: {}", message.messageId(),
                        message.seq(), message.conversationId(), topic.name(), error.toString());
            }
        });
    }

    private @NotNull Publish envelopePublish(Topic topic, StoredMessage message, byte[] json) {
        return publishBuilder.get()
                .topic(topic.name())
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(json))
                .contentType("application/json")
                .userProperty(EnvelopeProperties.CONVERSATION, message.conversationId())
                .userProperty(EnvelopeProperties.SEQ, Long.toString(message.seq()))
                .userProperty(EnvelopeProperties.FROM, message.sender().toString())
                .build();
    }
}
