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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's "read up to N" on its own {@code users/{me}/receipts}: checked (a participant or a group
 * member, a seq that exists), stored as the reader's read watermark, then sent to the other
 * participant's devices and the reader's other devices (so their unread badges clear); in a group, to
 * every member in the next coalesced digest. A mark at or below the stored watermark is answered
 * Success and sent to no one: watermarks only move forward, on the wire too. The raw publish is never
 * delivered.
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
    /** Per conversation and reader, the last read mark being stored on this node (see {@link #advance}). */
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

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
                return advance(conversationId, reader, mark.upToSeq()).thenApply(advanced -> {
                    output.preventPublishDelivery();
                    return advanced;
                });
            });
        }).whenComplete((advanced, error) -> {
            try {
                if (error != null) {
                    LOG.warn("Read receipt of {} up to {} by {} not stored: {}", conversation, mark.upToSeq(), clientId,
                            error.toString());
                    output.preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                            "read receipt not stored: publish it again");
                }
            } catch (RuntimeException alreadyAnswered) {
                LOG.debug("Read receipt of {} by {} finished after its ack timeout", conversation, clientId);
            } finally {
                async.resume();
            }
        });
    }

    /**
     * Stores the reader's read watermark if {@code upToSeq} raises it, and only then tells the other
     * participant's and the reader's devices (a group: the next digest); true if it did. The watermark
     * write alone cannot tell (its write timestamp keeps a smaller value from winning, silently), so the
     * stored value is read first. Marks of one reader in one conversation are handled one after another
     * on this node, the receipt published before the next mark is looked at, so of two at once (two
     * devices, or a device that reads 7 then 3 quickly) only one that raises the watermark is published:
     * a read of 3 after 7 would otherwise reach the sender as "read up to 3". Two of the reader's
     * devices on different nodes marking at the same moment may each publish theirs, in either order;
     * devices keep the highest watermark they have heard.
     */
    private CompletionStage<Boolean> advance(ConversationId conversationId, UUID reader, long upToSeq) {
        String conversation = conversationId.value();
        String key = conversation + "|" + reader;
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CompletableFuture<?> previous = inFlight.put(key, result);
        (previous == null ? CompletableFuture.completedFuture(null) : previous.handle((v, e) -> null))
                .thenCompose(ignored -> watermarks.of(Watermarks.Kind.READ, conversation))
                .thenCompose(stored -> upToSeq <= stored.getOrDefault(reader, 0L)
                        ? CompletableFuture.completedFuture(false)
                        : watermarks.advance(Watermarks.Kind.READ, conversation, reader, upToSeq).thenApply(v -> true))
                .whenComplete((advanced, error) -> {
                    try {
                        if (error == null && advanced) {
                            tell(conversationId, reader, upToSeq);
                        }
                    } finally {
                        inFlight.remove(key, result);
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(advanced);
                        }
                    }
                });
        return result;
    }

    private void tell(ConversationId conversationId, UUID reader, long upToSeq) {
        if (!conversationId.isDirect()) {
            groups.read(conversationId, reader, upToSeq);
            return;
        }
        Receipt receipt = new Receipt(conversationId.value(), Receipt.Type.read, upToSeq, reader, clock.instant());
        publisher.publish(conversationId.otherParticipant(reader), receipt);
        publisher.publish(reader, receipt);
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
