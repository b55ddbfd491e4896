package dev.parley.store.messages;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message as stored. {@code recipient} is set for 1:1 messages, {@code groupId} for group messages.
 * {@code event} is set (as JSON) only for system messages, such as a member joining a group: they take
 * a seq in the conversation like any message, so every device shows the same timeline.
 */
public record StoredMessage(UUID messageId, String conversationId, long seq, UUID sender, UUID recipient,
                            UUID groupId, String text, String clientMsgId, Instant sentAt, String event) {

    /** A message a user sent (not a system message). */
    public StoredMessage(UUID messageId, String conversationId, long seq, UUID sender, UUID recipient,
                         UUID groupId, String text, String clientMsgId, Instant sentAt) {
        this(messageId, conversationId, seq, sender, recipient, groupId, text, clientMsgId, sentAt, null);
    }

    public StoredMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(conversationId, "conversationId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
