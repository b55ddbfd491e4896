package dev.parley.persistence.conversations;

import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import dev.parley.store.messages.Watermarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Writes 1:1 messages straight into the store, as the broker's conversation owner does (message, send
 * record and head; the index with the first message), asynchronously in batches so 10,000 take seconds.
 */
final class TestMessages {

    private static final int BATCH = 200;

    private final MessageStore messages;
    private final ConversationIndex index;
    private final Watermarks watermarks;

    TestMessages(MessageStore messages, ConversationIndex index, Watermarks watermarks) {
        this.messages = messages;
        this.index = index;
        this.watermarks = watermarks;
    }

    static UUID uuid(String id) {
        return UUID.fromString(id);
    }

    /** Seqs {@code first..last} of the conversation of {@code from} and {@code to}, all sent by {@code from}. */
    String write(String from, String to, long first, long last) {
        String conversation = ConversationId.direct(uuid(from), uuid(to)).value();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (long batchStart = first; batchStart <= last; batchStart += BATCH) {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (long seq = batchStart; seq <= Math.min(last, batchStart + BATCH - 1); seq++) {
                StoredMessage m = new StoredMessage(UUID.randomUUID(), conversation, seq, uuid(from), uuid(to), null,
                        "message " + seq, "client-" + UUID.randomUUID(), start.plusMillis(seq));
                writes.add(messages.append(m, 1).toCompletableFuture());
                if (seq == 1) {
                    writes.add(index.recordStart(m).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        }
        return conversation;
    }

    /** Group messages {@code first..last} of {@code groupId}, all sent by {@code from}. */
    String writeGroup(UUID groupId, String from, long first, long last) {
        String conversation = ConversationId.group(groupId).value();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (long seq = first; seq <= last; seq++) {
            writes.add(messages.append(new StoredMessage(UUID.randomUUID(), conversation, seq, uuid(from), null, groupId,
                    "group message " + seq, "client-" + UUID.randomUUID(), Instant.parse("2026-02-01T00:00:00Z")
                    .plusMillis(seq)), 1).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        return conversation;
    }

    void read(String conversation, String user, long upTo) {
        watermarks.advance(Watermarks.Kind.READ, conversation, uuid(user), upTo).toCompletableFuture().join();
    }

    void delivered(String conversation, String user, long upTo) {
        watermarks.advance(Watermarks.Kind.DELIVERED, conversation, uuid(user), upTo).toCompletableFuture().join();
    }
}
