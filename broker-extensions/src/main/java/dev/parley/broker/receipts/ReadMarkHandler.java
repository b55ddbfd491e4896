package dev.parley.broker.receipts;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.broker.groups.Rosters;
import dev.parley.broker.topics.TopicPublishHandler;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.ReadMark;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.Topic;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.Watermarks;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's "read up to N" on its own {@code users/{me}/receipts}: checked (a participant or a group
 * member, a seq that exists), stored as the reader's read watermark, then sent to the other
 * participant's devices and the reader's other devices (so their unread badges clear); in a group, to
 * every member in the next coalesced digest. The raw publish is never delivered.
 */
final class ReadMarkHandler implements TopicPublishHandler<Topic.UserReceipts> {

    private static final Logger LOG = LoggerFactory.getLogger(ReadMarkHandler.class);

    private final MessageStore messages;
    private final Watermarks watermarks;
    private final ReceiptPublisher publisher;
    private final Rosters rosters;
    private final GroupReceiptDigest groups;
    private final Clock clock;
    private final Duration ackTimeout;

    ReadMarkHandler(MessageStore messages, Watermarks watermarks, ReceiptPublisher publisher, Rosters rosters,
                    GroupReceiptDigest groups, Clock clock, Duration ackTimeout) {
        this.messages = messages;
        this.watermarks = watermarks;
        this.publisher = publisher;
        this.rosters = rosters;
        this.groups = groups;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public void handle(ClientIdentity device, Topic.UserReceipts receipts, PublishInboundInput input,
                       PublishInboundOutput output) {
        String clientId = device.clientId();
        UUID reader = device.userId();
        ReadMark mark;
        try {
            mark = ReadMark.parse(input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)));
        } catch (InvalidPayloadException e) {
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        ConversationId conversationId = mark.conversationId();
        if (conversationId.isDirect() && !conversationId.hasParticipant(reader)) {
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "you are not a participant of " + conversationId);
            return;
        }
        Async<PublishInboundOutput> async = output.async(ackTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR, "read receipt not stored in time: publish it again");
        String conversation = conversationId.value();
        isReader(conversationId, reader).thenCompose(member -> {
            if (!member) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "you are not a member of "
                        + conversation + ": only members mark a group's messages read");
                return CompletableFuture.completedFuture(false);
            }
            return messages.lastSeq(conversation).thenCompose(last -> {
                if (mark.upToSeq() > last) {
                    output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, "there is no message "
                            + mark.upToSeq() + " in " + conversation + " (its last is " + last + ")");
                    return CompletableFuture.completedFuture(false);
                }
                return watermarks.advance(Watermarks.Kind.READ, conversation, reader, mark.upToSeq()).thenApply(v -> {
                    output.preventPublishDelivery();
                    return true;
                });
            });
        }).whenComplete((stored, error) -> {
            try {
                if (error != null) {
                    LOG.warn("Read receipt of {} up to {} by {} not stored: {}", conversation, mark.upToSeq(), clientId,
                            error.toString());
                    output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                            "read receipt not stored: publish it again");
                } else if (stored && !conversationId.isDirect()) {
                    groups.read(conversationId, reader, mark.upToSeq());
                } else if (stored) {
                    Receipt receipt = new Receipt(conversation, Receipt.Type.read, mark.upToSeq(), reader, clock.instant());
                    publisher.publish(conversationId.otherParticipant(reader), receipt);
                    publisher.publish(reader, receipt);
                }
            } catch (RuntimeException alreadyAnswered) {
                LOG.debug("Read receipt of {} by {} finished after its ack timeout", conversation, clientId);
            } finally {
                async.resume();
            }
        });
    }

    /** A participant of a 1:1 conversation (checked already), or a member of the group right now. */
    private CompletionStage<Boolean> isReader(ConversationId conversation, UUID reader) {
        Optional<UUID> group = conversation.groupId();
        if (group.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return rosters.current(group.get()).thenApply(roster -> roster.map(r -> r.isMember(reader)).orElse(false));
    }
}
