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
import java.nio.ByteBuffer;
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
                m.text(), m.clientMsgId(), m.sentAt());
    }

    /** To every device of the recipient and of the sender (the sending device included: it learns id and seq). */
    void deliverDirect(StoredMessage message) {
        byte[] json = Payloads.toJson(envelopeOf(message));
        publish(new Topic.UserMessages(message.recipient()), message, json);
        if (!message.recipient().equals(message.sender())) {
            publish(new Topic.UserMessages(message.sender()), message, json);
        }
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
