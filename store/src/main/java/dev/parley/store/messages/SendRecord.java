package dev.parley.store.messages;

import java.util.UUID;

/** Where a (sender, clientMsgId) send was stored. */
public record SendRecord(String conversationId, long seq, UUID messageId) {
}
