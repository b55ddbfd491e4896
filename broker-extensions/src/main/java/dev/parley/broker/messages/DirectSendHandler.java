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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's publish to {@code users/{to}/messages}: validated on the HiveMQ thread (no I/O), then
 * sequenced and stored asynchronously; the PUBACK waits for the store and carries the outcome. The
 * raw publish is never delivered: recipients get the stored envelope instead.
 */
final class DirectSendHandler implements TopicPublishHandler<Topic.UserMessages> {

    private static final Logger LOG = LoggerFactory.getLogger(DirectSendHandler.class);

    private final DirectMessagePipeline pipeline;
    private final Duration ackTimeout;

    DirectSendHandler(DirectMessagePipeline pipeline, Duration ackTimeout) {
        this.pipeline = pipeline;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public void handle(ClientIdentity sender, Topic.UserMessages to, PublishInboundInput input,
                       PublishInboundOutput output) {
        String clientId = sender.clientId();
        if (to.user().equals(sender.userId())) {
            output.preventPublishDelivery(AckReasonCode.TOPIC_NAME_INVALID,
                    "you cannot send a message to yourself; publish to users/{recipient}/messages");
            return;
        }
        OutgoingMessage message;
        try {
            message = OutgoingMessage.parse(input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)));
        } catch (InvalidPayloadException e) {
            LOG.debug("Refused message from {} to {}: {}", clientId, to.user(), e.getMessage());
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }

        Async<PublishInboundOutput> async = output.async(ackTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR,
                "message not confirmed as stored within " + ackTimeout.toMillis() + " ms: retry the send with the same clientMsgId");
        pipeline.send(sender, to.user(), message).whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    LOG.error("Send of {} from {} to {} failed unexpectedly", message.clientMsgId(), clientId, to.user(), error);
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
            case UNKNOWN_RECIPIENT -> AckReasonCode.TOPIC_NAME_INVALID;
            case BAD_CLIENT_MSG_ID -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
            case NOT_STORED -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
        };
    }
}
