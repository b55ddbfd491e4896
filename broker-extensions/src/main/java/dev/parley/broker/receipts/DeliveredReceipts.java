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
 *
 * <p>A 1:1 watermark is written at most once at a time per conversation and reader: acknowledgements
 * that arrive while a write is in flight only raise what the next write records, and the sender hears
 * "delivered up to" the highest of them once (the watermark is cumulative, so nothing is lost by
 * skipping the ones in between). A device catching up on 10,000 envelopes acknowledges them in bursts
 * of hundreds; without this, each acknowledgement cost a Cassandra write and a receipt to the sender.
 */
final class DeliveredReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredReceipts.class);
    private static final int MAX_REMEMBERED = 200_000;
    private static final long NOTHING_WAITING = 0;

    private final Watermarks watermarks;
    private final ReceiptPublisher publisher;
    private final Clock clock;
    private final GroupReceiptDigest groups;
    private final Map<String, Long> recorded = new ConcurrentHashMap<>();
    /**
     * Keys whose watermark write is in flight, with the highest seq acknowledged since it started
     * ({@link #NOTHING_WAITING} if none): present only while a write runs.
     */
    private final Map<String, Long> writing = new ConcurrentHashMap<>();

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
        boolean[] start = {false};
        writing.compute(key, (k, waiting) -> {
            if (waiting == null) {
                start[0] = true;
                return NOTHING_WAITING;
            }
            return Math.max(waiting, seq);
        });
        if (start[0]) {
            record(key, conversation, reader, seq);
        }
    }

    private void record(String key, ConversationId conversation, UUID reader, long seq) {
        watermarks.advance(Watermarks.Kind.DELIVERED, conversation.value(), reader, seq).whenComplete((v, error) -> {
            if (error != null) {
                LOG.warn("Delivered watermark {} of {} for user {} not stored: {}", seq, conversation, reader,
                        error.toString());
                // The next acknowledgement above what is stored tries again.
                recorded.remove(key, seq);
            } else {
                publisher.publish(conversation.otherParticipant(reader),
                        new Receipt(conversation.value(), Receipt.Type.delivered, seq, reader, clock.instant()));
            }
            long[] next = {NOTHING_WAITING};
            writing.compute(key, (k, waiting) -> {
                if (waiting == null || waiting <= seq) {
                    return null;
                }
                next[0] = waiting;
                return NOTHING_WAITING;
            });
            if (next[0] != NOTHING_WAITING) {
                record(key, conversation, reader, next[0]);
            }
        });
    }
}
