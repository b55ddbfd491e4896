package dev.parley.broker.messages;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.broker.topics.TopicPublishHandler;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.OutgoingMessage;
import dev.parley.protocol.Topic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's send, a publish to {@code users/{to}/messages} or {@code groups/{id}/messages}: validated
 * on the HiveMQ thread (no I/O), then sequenced and stored asynchronously; the PUBACK waits for the
 * store and carries the outcome. The raw publish is never delivered: the audience gets the stored
 * envelope instead.
 */
final class SendHandler<T extends Topic> implements TopicPublishHandler<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    /** Where a kind of topic sends to. */
    interface Destination<T extends Topic> {
        /** A refusal that needs no I/O (e.g. sending to oneself), as a reason string; empty when fine. */
        Optional<String> refuseAtOnce(ClientIdentity sender, T to);

        CompletionStage<SendOutcome> send(ClientIdentity sender, T to, OutgoingMessage message);
    }

    private final Destination<T> destination;
    private final Duration ackTimeout;

    SendHandler(Destination<T> destination, Duration ackTimeout) {
        this.destination = destination;
        this.ackTimeout = ackTimeout;
    }

    /** 1:1: {@code users/{to}/messages}, to anyone but oneself. */
    static SendHandler<Topic.UserMessages> direct(MessagePipeline pipeline, Duration ackTimeout) {
        return new SendHandler<>(new Destination<>() {
            @Override
            public Optional<String> refuseAtOnce(ClientIdentity sender, Topic.UserMessages to) {
                return to.user().equals(sender.userId())
                        ? Optional.of("you cannot send a message to yourself; publish to users/{recipient}/messages")
                        : Optional.empty();
            }

            @Override
            public CompletionStage<SendOutcome> send(ClientIdentity sender, Topic.UserMessages to, OutgoingMessage m) {
                return pipeline.sendDirect(sender, to.user(), m);
            }
        }, ackTimeout);
    }

    /** Groups: {@code groups/{id}/messages}; membership is checked where the message is sequenced. */
    static SendHandler<Topic.GroupMessages> group(MessagePipeline pipeline, Duration ackTimeout) {
        return new SendHandler<>(new Destination<>() {
            @Override
            public Optional<String> refuseAtOnce(ClientIdentity sender, Topic.GroupMessages to) {
                return Optional.empty();
            }

            @Override
            public CompletionStage<SendOutcome> send(ClientIdentity sender, Topic.GroupMessages to, OutgoingMessage m) {
                return pipeline.sendToGroup(sender, to.group(), m);
            }
        }, ackTimeout);
    }

    @Override
    public void handle(ClientIdentity sender, T to, PublishInboundInput input, PublishInboundOutput output) {
        String clientId = sender.clientId();
        Optional<String> refusal = destination.refuseAtOnce(sender, to);
        if (refusal.isPresent()) {
            output.preventPublishDelivery(AckReasonCode.TOPIC_NAME_INVALID, refusal.get());
            return;
        }
        OutgoingMessage message;
        try {
            message = OutgoingMessage.parse(input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)));
        } catch (InvalidPayloadException e) {
            LOG.debug("Refused message from {} on {}: {}", clientId, to.name(), e.getMessage());
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }

        Async<PublishInboundOutput> async = output.async(ackTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR,
                "message not confirmed as stored within " + ackTimeout.toMillis() + " ms: retry the send with the same clientMsgId");
        destination.send(sender, to, message).whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    LOG.error("Send of {} from {} on {} failed unexpectedly", message.clientMsgId(), clientId, to.name(), error);
                    output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR,
                            "message not stored (internal error); retry the send with the same clientMsgId");
                } else if (outcome instanceof SendOutcome.Accepted) {
                    output.preventPublishDelivery();
                } else {
                    SendOutcome.Refused refused = (SendOutcome.Refused) outcome;
                    output.preventPublishDelivery(reasonCode(refused.reason()), refused.detail());
                }
            } catch (RuntimeException alreadyAnswered) {
                // The timeout fallback has already answered the client; the send itself went on and a
                // retry with the same clientMsgId finds its outcome.
                LOG.debug("Send of {} from {} finished after its ack timeout", message.clientMsgId(), clientId);
            } finally {
                async.resume();
            }
        });
    }

    private static AckReasonCode reasonCode(SendOutcome.Reason reason) {
        return switch (reason) {
            case UNKNOWN_RECIPIENT, UNKNOWN_GROUP -> AckReasonCode.TOPIC_NAME_INVALID;
            case NOT_A_MEMBER -> AckReasonCode.NOT_AUTHORIZED;
            case BAD_CLIENT_MSG_ID -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
            case NOT_STORED -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
        };
    }
}
