package dev.parley.broker.typing;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.broker.topics.TopicPublishHandler;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Topic;
import dev.parley.protocol.typing.TypingIndicator;
import dev.parley.protocol.typing.TypingThrottle;
import dev.parley.protocol.typing.TypingState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's typing update on {@code users/{to}/typing} or {@code groups/{id}/typing}. The publish itself
 * never reaches anyone (a client could otherwise claim to be someone else): it is checked (payload on the
 * HiveMQ thread, rate limit in memory, recipient or membership asynchronously), acknowledged, and the
 * broker's own {@link TypingIndicator}, naming the connection's user, goes to the recipients' own
 * {@code users/{id}/typing}. Nothing is stored.
 */
final class TypingHandler<T extends Topic> implements TopicPublishHandler<T> {

    private static final Logger LOG = LoggerFactory.getLogger(TypingHandler.class);

    /** Who is told, or why nobody is. */
    sealed interface Recipients {
        record To(List<UUID> users) implements Recipients {
        }

        record Refused(AckReasonCode code, String reason) implements Recipients {
        }
    }

    /** Where one kind of typing topic points. */
    interface Audience<T extends Topic> {
        /** A refusal that needs no I/O, as a reason string; empty when fine. */
        Optional<String> refuseAtOnce(ClientIdentity sender, T topic);

        ConversationId conversation(ClientIdentity sender, T topic);

        /** Set for group conversations. */
        UUID groupId(T topic);

        CompletionStage<Recipients> recipients(ClientIdentity sender, T topic);
    }

    private final Audience<T> audience;
    private final TypingThrottle limiter;
    private final TypingRelay relay;
    private final Duration timeout;
    private final Clock clock;

    TypingHandler(Audience<T> audience, TypingThrottle limiter, TypingRelay relay, Duration timeout, Clock clock) {
        this.audience = audience;
        this.limiter = limiter;
        this.relay = relay;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void handle(ClientIdentity sender, T topic, PublishInboundInput input, PublishInboundOutput output) {
        TypingState state;
        try {
            state = TypingState.parse(input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)));
        } catch (InvalidPayloadException e) {
            LOG.debug("Refused typing update from {} on {}: {}", sender.clientId(), topic.name(), e.getMessage());
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        Optional<String> refusal = audience.refuseAtOnce(sender, topic);
        if (refusal.isPresent()) {
            output.preventPublishDelivery(AckReasonCode.TOPIC_NAME_INVALID, refusal.get());
            return;
        }
        ConversationId conversation = audience.conversation(sender, topic);
        Instant now = clock.instant();
        if (!limiter.admit(sender.clientId(), conversation.value(), state, now)) {
            // MQTT 5 has no "message rate too high" for PUBACK (0x96 is DISCONNECT-only): 0x97 is the closest.
            output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, "message rate too high: at most one typing"
                    + " indicator per " + limiter.interval().toMillis() + " ms per conversation is forwarded ("
                    + "\"paused\" right after \"typing\" always is); this one was dropped");
            return;
        }
        Async<PublishInboundOutput> async = output.async(timeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR, "typing indicator not forwarded: its recipients could not be"
                        + " checked within " + timeout.toMillis() + " ms");
        audience.recipients(sender, topic).whenComplete((recipients, error) -> {
            try {
                if (error != null) {
                    LOG.warn("Typing update from {} on {} not forwarded: recipients not readable ({})",
                            sender.clientId(), topic.name(), error.toString());
                    output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "typing indicator not forwarded:"
                            + " its recipients could not be checked just now");
                } else if (recipients instanceof Recipients.Refused refused) {
                    LOG.debug("Refused typing update from {} on {}: {}", sender.clientId(), topic.name(),
                            refused.reason());
                    output.preventPublishDelivery(refused.code(), refused.reason());
                } else {
                    output.preventPublishDelivery();
                    relay.deliver(((Recipients.To) recipients).users(), new TypingIndicator(conversation.value(),
                            sender.userId(), audience.groupId(topic), state, now));
                }
            } catch (RuntimeException alreadyAnswered) {
                // The timeout fallback answered first; a typing update that late is not worth delivering.
                LOG.debug("Typing update from {} on {} finished after its timeout", sender.clientId(), topic.name());
            } finally {
                async.resume();
            }
        });
    }
}
