package dev.parley.broker.receipts;

import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Receipt;
import dev.parley.store.messages.Watermarks;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records "delivered up to N" for a recipient and tells the sender's devices (in a group: coalesced,
 * see {@link GroupReceiptDigest}). Acknowledgements that do
 * not raise the watermark (a second device, a redelivery, catch-up of older messages) cost nothing:
 * this node remembers the highest watermark it has recorded per conversation and reader.
 */
final class DeliveredReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredReceipts.class);
    private static final int MAX_REMEMBERED = 200_000;

    private final Watermarks watermarks;
    private final ReceiptPublisher publisher;
    private final Clock clock;
    private final GroupReceiptDigest groups;
    private final Map<String, Long> recorded = new ConcurrentHashMap<>();

    DeliveredReceipts(Watermarks watermarks, ReceiptPublisher publisher, GroupReceiptDigest groups, Clock clock) {
        this.watermarks = watermarks;
        this.publisher = publisher;
        this.groups = groups;
        this.clock = clock;
    }

    void delivered(ConversationId conversation, UUID reader, long seq) {
        String key = conversation.value() + "|" + reader;
        boolean[] raised = {false};
        // Atomically: only the acknowledgement that raises the watermark goes on (two devices ack at once).
        recorded.compute(key, (k, before) -> {
            if (before == null || seq > before) {
                raised[0] = true;
                return seq;
            }
            return before;
        });
        if (!raised[0]) {
            return;
        }
        if (recorded.size() > MAX_REMEMBERED) {
            recorded.clear();
        }
        if (!conversation.isDirect()) {
            groups.delivered(conversation, reader, seq);
            return;
        }
        watermarks.advance(Watermarks.Kind.DELIVERED, conversation.value(), reader, seq).whenComplete((v, error) -> {
            if (error != null) {
                LOG.warn("Delivered watermark {} of {} for user {} not stored: {}", seq, conversation, reader,
                        error.toString());
                recorded.remove(key, seq);
                return;
            }
            publisher.publish(conversation.otherParticipant(reader),
                    new Receipt(conversation.value(), Receipt.Type.delivered, seq, reader, clock.instant()));
        });
    }
}
