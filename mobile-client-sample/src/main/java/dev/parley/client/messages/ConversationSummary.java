package dev.parley.client.messages;

import dev.parley.protocol.Envelope;

/** A line of the conversation list: the conversation, its newest message and how many this device holds. */
public record ConversationSummary(String conversationId, Envelope last, int messageCount) {
}
