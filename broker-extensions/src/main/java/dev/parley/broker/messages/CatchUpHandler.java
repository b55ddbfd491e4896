package dev.parley.broker.messages;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.broker.topics.TopicPublishHandler;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.SyncRequest;
import dev.parley.protocol.SyncResult;
import dev.parley.protocol.Topic;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import dev.parley.broker.groups.Rosters;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catch-up over MQTT: a device publishes what it holds to {@code users/{me}/sync} and receives exactly
 * what it lacks, read from Cassandra by seq (one or two partitions per conversation with news, one
 * read per conversation without), then a "sync" event. The store is the truth, so this works after any
 * absence, on any node, beyond the broker's own queue limits.
 */
final class CatchUpHandler implements TopicPublishHandler<Topic.UserSync> {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUpHandler.class);

    private final ConversationIndex index;
    private final MessageStore messages;
    private final Rosters rosters;
    private final EnvelopeDelivery delivery;

    CatchUpHandler(ConversationIndex index, MessageStore messages, Rosters rosters, EnvelopeDelivery delivery) {
        this.index = index;
        this.messages = messages;
        this.rosters = rosters;
        this.delivery = delivery;
    }

    @Override
    public void handle(ClientIdentity device, Topic.UserSync sync, PublishInboundInput input,
                       PublishInboundOutput output) {
        String clientId = device.clientId();
        UUID me = device.userId();
        SyncRequest request;
        try {
            request = SyncRequest.parse(input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)));
        } catch (InvalidPayloadException e) {
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
            return;
        }
        // Accepted: the answer follows as publishes to this device.
        output.preventPublishDelivery();
        answer(clientId, me, request).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Catch-up for {} failed: {}", clientId, error.toString());
                delivery.eventTo(clientId, me, Map.of("type", "sync.failed", "requestId",
                        request.requestId() == null ? "" : request.requestId(),
                        "detail", "catch-up could not read the store; ask again"));
            }
        });
    }

    private CompletionStage<SyncResult> answer(String clientId, UUID me, SyncRequest request) {
        return index.conversationsOf(me).thenCompose(conversations -> {
            List<String> all = new ArrayList<>(conversations);
            request.cursors().keySet().stream().map(ConversationId::value)
                    .filter(c -> !all.contains(c) && ConversationId.parse(c).map(id -> id.hasParticipant(me)).orElse(false))
                    .forEach(all::add);
            all.sort(null);
            Map<String, Long> cursors = new TreeMap<>();
            for (String c : all) {
                cursors.put(c, request.cursor(new ConversationId(c)));
            }
            return sendFrom(clientId, me, all, 0, cursors, request.limit(), 0).thenCompose(sent -> {
                boolean complete = sent < request.limit();
                SyncResult result = SyncResult.of(request.requestId(), sent, complete, cursors);
                return delivery.eventTo(clientId, me, result).thenApply(r -> result);
            });
        });
    }

    /** Conversation by conversation, page by page, each envelope after the one before (order matters). */
    private CompletionStage<Integer> sendFrom(String clientId, UUID me, List<String> conversations, int index,
                                              Map<String, Long> cursors, int limit, int sent) {
        if (index >= conversations.size() || sent >= limit) {
            return CompletableFuture.completedFuture(sent);
        }
        String conversation = conversations.get(index);
        return startOf(me, conversation, cursors.get(conversation)).thenCompose(start -> {
            if (start.isEmpty()) {
                cursors.remove(conversation);
                return sendFrom(clientId, me, conversations, index + 1, cursors, limit, sent);
            }
            cursors.put(conversation, start.get());
            return page(clientId, me, conversations, index, cursors, limit, sent);
        });
    }

    /**
     * Where catch-up of a conversation starts: after the device's cursor; in a group, never before the
     * member joined (they see the history from their join on). Empty when the user is no longer a member.
     */
    private CompletionStage<Optional<Long>> startOf(UUID me, String conversation, long cursor) {
        Optional<UUID> group = ConversationId.parse(conversation).flatMap(ConversationId::groupId);
        if (group.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of(cursor));
        }
        return rosters.current(group.get()).thenApply(roster -> roster.flatMap(r -> r.member(me))
                .map(member -> Math.max(cursor, member.joinedAfterSeq())));
    }

    private CompletionStage<Integer> page(String clientId, UUID me, List<String> conversations, int index,
                                          Map<String, Long> cursors, int limit, int sent) {
        String conversation = conversations.get(index);
        return messages.after(conversation, cursors.get(conversation), limit - sent).thenCompose(page ->
                sendAll(clientId, me, page).thenCompose(v -> {
                    if (!page.isEmpty()) {
                        cursors.put(conversation, page.get(page.size() - 1).seq());
                    }
                    return sendFrom(clientId, me, conversations, index + 1, cursors, limit, sent + page.size());
                }));
    }

    /**
     * The page's envelopes, in seq order: each publishToClient call queues its envelope for the device
     * before it returns (HiveMQ's topic-tree lookup and queue insert run in the call), so calls made one
     * after another from this thread keep their order without waiting for each other; waiting for each
     * one would make a page cost one queue round trip per envelope. Completes when all are queued.
     */
    private CompletionStage<Void> sendAll(String clientId, UUID me, List<StoredMessage> page) {
        CompletableFuture<?>[] queued = new CompletableFuture<?>[page.size()];
        for (int i = 0; i < page.size(); i++) {
            queued[i] = delivery.sendTo(clientId, me, page.get(i));
        }
        return CompletableFuture.allOf(queued);
    }
}
