package dev.parley.protocol.groups;

import dev.parley.protocol.Receipt;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Receipts of a group, coalesced: every member's watermark that moved in the last second, in one
 * publish per member at most once a second, so a 200-member group reading along cannot cause a storm
 * of 200 × 200 receipts. {@code marks}: member → "delivered (or read) up to" seq.
 */
public record GroupReceipts(String conversationId, Receipt.Type type, Map<UUID, Long> marks, Instant at) {

    public GroupReceipts {
        marks = Map.copyOf(marks);
    }
}
